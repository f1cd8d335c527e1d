"""Metrics CSV files as people export them (issue 16): dialects, numbers, weeks, bad rows."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ritual_bot.metrics_csv import (
    MetricsCsvError,
    MetricsTable,
    parse_number,
    parse_week,
    read_metrics,
)


def _values(table: MetricsTable, key: str) -> dict[str, tuple[float, str]]:
    return {week: (r.value, r.unit) for week, r in table.metric(key).items()}


def test_google_sheets_export_quotes_numbers_that_hold_the_separator() -> None:
    """Sheets (English locale): commas, CRLF, quoted grouped numbers, a trailing empty line."""
    text = (
        "week,signups,activation_rate,revenue\r\n"
        '2026-W46,"1,180",44.5%,"12,400.50"\r\n'
        '2026-W47,"1,204",45%,"13,020.00"\r\n'
        "2026-W48,980,,9800\r\n"
        "\r\n"
    )
    table = read_metrics(text, keys=["signups", "activation_rate"])
    assert (table.delimiter, table.decimal_mark, table.problems) == (",", ".", ())
    assert _values(table, "signups") == {
        "2026-W46": (1180, ""),
        "2026-W47": (1204, ""),
        "2026-W48": (980, ""),
    }
    # The empty cell is a missing week, not a zero.
    assert _values(table, "activation_rate") == {"2026-W46": (44.5, "%"), "2026-W47": (45, "%")}
    assert table.metric("revenue")["2026-W46"].value == 12400.5
    assert table.metric("signups")["2026-W47"].line == 3


def test_excel_in_french_semicolons_decimal_commas_spaces_and_windows_1252() -> None:
    """Excel FR "CSV (séparateur : point-virgule)": ANSI bytes, no-break spaces grouping
    thousands, decimal commas, "45,5 %" with a space, dates for weeks."""
    text = (
        "Week;Inscriptions;Taux d'activation;Chiffre d'affaires\r\n"
        "16/11/2026 (ignored);1;2;3\r\n"
        "2026-11-16;1\u00a0204;45,5 %;12\u00a0400,50\r\n"
        "2026-11-23;980;46 %;9\u00a0800\r\n"
    )
    table = read_metrics(text.encode("cp1252"), keys=["inscriptions"])
    assert (table.delimiter, table.decimal_mark) == (";", ",")
    assert _values(table, "Inscriptions") == {"2026-W47": (1204, ""), "2026-W48": (980, "")}
    assert _values(table, "taux d'activation") == {
        "2026-W47": (45.5, "%"),
        "2026-W48": (46, "%"),
    }
    assert table.metric("Chiffre d'affaires")["2026-W47"].value == 12400.5
    (problem,) = table.problems
    assert problem.line == 2 and "is not a week" in problem.message
    assert set(problem.keys) == {"Inscriptions", "Taux d'activation", "Chiffre d'affaires"}


def test_a_bom_dotted_thousands_and_an_excel_separator_line() -> None:
    table = read_metrics("\ufeffsep=;\nweek;visits;rate\n2026-W47;1.200.300;0,5\n")
    assert table.metric("visits")["2026-W47"].line == 3
    assert _values(table, "visits") == {"2026-W47": (1200300, "")}
    assert _values(table, "rate") == {"2026-W47": (0.5, "")}
    utf8_bom = "week,visits\n2026-W47,12\n".encode("utf-8-sig")
    assert _values(read_metrics(utf8_bom), "visits") == {"2026-W47": (12, "")}


def test_tab_separated_from_a_script_with_one_metric() -> None:
    table = read_metrics("week\tpaying_customers\n2026-W47\t31\n2026-W48\t33\n\n\n")
    assert table.delimiter == "\t"
    assert _values(table, "paying_customers") == {"2026-W47": (31, ""), "2026-W48": (33, "")}


def test_a_malformed_row_fails_only_what_it_touches() -> None:
    """An unquoted "1,200" splits into two cells; a typo, a formula error, a week written twice
    with two values: each costs its own cells and says where, and the rest is read."""
    text = (
        "week,signups,activation_rate\n"
        "2026-W44,900,40%\n"
        "2026-W45,1,200,41%\n"
        "2026-W46,1O5O,42%\n"
        "2026-W47,#DIV/0!,43%\n"
        "2026-W48,1000,\n"
        "2026-W48,1100,44%\n"
        "2025-W53,1,\n"
    )
    table = read_metrics(text)
    assert _values(table, "signups") == {"2026-W44": (900, "")}
    assert _values(table, "activation_rate") == {
        "2026-W44": (40, "%"),
        "2026-W46": (42, "%"),
        "2026-W47": (43, "%"),
        "2026-W48": (44, "%"),
    }
    by_line = {p.line: p for p in table.problems}
    assert sorted(by_line) == [3, 4, 5, 7, 8]
    assert by_line[3].keys == ("signups", "activation_rate") and "4 cells" in by_line[3].message
    assert by_line[4].keys == ("signups",) and "`1O5O` is not a number" in by_line[4].message
    assert "#DIV/0!" in by_line[5].message
    assert "lines 6 and 7" in by_line[7].message and by_line[7].keys == ("signups",)
    assert "`2025-W53` is not a week" in by_line[8].message  # 2025 has 52 ISO weeks
    assert [p.line for p in table.problems_for("activation_rate")] == [3]


def test_missing_week_column_or_key_is_a_clear_error() -> None:
    with pytest.raises(MetricsCsvError, match=r"first column must be `week`.*not `date`"):
        read_metrics("date,signups\n2026-W47,3\n")
    with pytest.raises(MetricsCsvError, match="empty"):
        read_metrics("\n\n")
    with pytest.raises(MetricsCsvError, match=r"no column `churn` .*`signups`, `rate`"):
        read_metrics("week,signups,rate\n2026-W47,3,4\n", keys=["signups", "churn"])
    doubled = "week,signups,signups,rate\n2026-W47,3,4,5\n"
    with pytest.raises(MetricsCsvError, match="`signups` appears more than once"):
        read_metrics(doubled, keys=["signups"])
    table = read_metrics(doubled)
    assert table.columns == ("rate",) and "more than once" in table.problems[0].message


def test_weeks_and_numbers_as_written() -> None:
    assert parse_week("2026-W48") == parse_week("2026w48") == parse_week("2026-11-23") == "2026-W48"
    assert parse_week("2027-01-01") == "2026-W53"  # a date in the ISO week-year it belongs to
    assert parse_week("2026-11-29T23:59:00Z") == "2026-W48"
    for bad in ("2025-W53", "2026-11-31", "23/11/2026", "W48"):
        with pytest.raises(ValueError):
            parse_week(bad)
    assert parse_number("1,200") == (1200, "")
    assert parse_number("1,200", ",") == (1.2, "")
    assert parse_number("1.200,5", ",") == (1200.5, "")
    assert parse_number("\u22123,5 %", ",") == (-3.5, "%")
    assert parse_number("1'200") == (1200, "")
    assert parse_number("1.2E+03") == (1200, "")
    for bad, mark in (("12.5", ","), ("1,20", "."), ("1,2,3", "."), ("1 20", "."), ("€5", ".")):
        with pytest.raises(ValueError):
            parse_number(bad, mark)


_DECIMALS = st.decimals(
    min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=2, allow_nan=False
)


def _spell(value: Decimal, mark: str, group: str) -> str:
    """A number as a spreadsheet in that locale shows it: grouped thousands, two decimals."""
    sign = "-" if value < 0 else ""
    whole, _, fraction = f"{abs(value):.2f}".partition(".")
    groups: list[str] = []
    while whole:
        whole, groups = whole[:-3], [whole[-3:], *groups]
    return f"{sign}{group.join(groups)}{mark}{fraction}"


@given(
    rows=st.dictionaries(
        st.integers(1, 52),
        st.tuples(st.one_of(st.none(), _DECIMALS), _DECIMALS, st.booleans()),
        max_size=12,
    ),
    locale=st.sampled_from(
        [
            (",", ".", ","),  # Sheets and Excel in English
            (",", ".", ""),  # scripts
            (",", ",", "\u00a0"),  # Sheets in French: commas, quoted decimal commas
            (";", ",", "\u00a0"),  # Excel in French
            (";", ",", "."),  # Excel in German
            ("\t", ",", " "),
        ]
    ),
    bom=st.booleans(),
    newline=st.sampled_from(["\n", "\r\n"]),
)
def test_values_written_by_a_spreadsheet_read_back_the_same(
    rows: dict[int, tuple[Decimal | None, Decimal, bool]],
    locale: tuple[str, str, str],
    bom: bool,
    newline: str,
) -> None:
    delimiter, mark, group = locale
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=newline)
    writer.writerow(["week", "signups", "rate"])
    for week, (signups, rate, percent) in rows.items():
        spelled = "" if signups is None else _spell(signups, mark, group)
        writer.writerow([f"2026-W{week:02d}", spelled, _spell(rate, mark, "") + "%" * percent])
    text = ("\ufeff" if bom else "") + out.getvalue()
    table = read_metrics(text, keys=["signups", "rate"])
    assert table.problems == ()
    assert _values(table, "signups") == {
        f"2026-W{week:02d}": (float(signups), "")
        for week, (signups, _, _) in rows.items()
        if signups is not None
    }
    assert _values(table, "rate") == {
        f"2026-W{week:02d}": (float(rate), "%" if percent else "")
        for week, (_, rate, percent) in rows.items()
    }
