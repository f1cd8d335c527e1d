"""The counts line of a summary agrees with its numbers, in English and French (issue 12)."""

from __future__ import annotations

from datetime import UTC, datetime

from ritual_bot.model import Comment, User
from ritual_bot.summary import render, summarize


def _comment(number: int, login: str, body: str) -> Comment:
    at = datetime(2026, 11, 23, 9, number, tzinfo=UTC)
    return Comment(number, 1, User(login), body, at, at)


def test_one_comment_by_one_person_is_singular() -> None:
    one = summarize([_comment(1, "bob", "Looks good to me.")])
    assert "1 comment by 1 person." in render(one)
    assert "1 commentaire de 1 personne." in render(one, language="fr")


def test_several_comments_by_several_people_are_plural() -> None:
    many = summarize(
        [_comment(1, "bob", "Fine."), _comment(2, "carol", "Agreed."), _comment(3, "bob", "Ok.")]
    )
    assert "3 comments by 2 people." in render(many)
    assert "3 commentaires de 2 personnes." in render(many, language="fr")
