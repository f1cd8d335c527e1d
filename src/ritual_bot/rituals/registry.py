"""The one list of rituals a run composes (DESIGN: "One package per ritual").

A new ritual is a new package under ``rituals/`` plus one line in ``RITUALS``; the runner (and
the benchmarks that replay it) take the rituals from here, in this order, which is the order
their plans are applied in.
"""

from __future__ import annotations

from ritual_bot.rituals.base import Ritual
from ritual_bot.rituals.decisions.ritual import DecisionRitual
from ritual_bot.rituals.hpfo.ritual import HpfoRitual
from ritual_bot.rituals.okrs.ritual import OkrRitual
from ritual_bot.rituals.onboarding.ritual import OnboardingRitual
from ritual_bot.rituals.review.ritual import ReviewRitual

# OKRs plan first: the tracker records this week's values before HPFO opens check-ins that list
# the last values, and each later ritual plans on what the earlier ones will have written
# (``runner.plan``), so a planning issue's sign-off (a decision) builds on the OKR block.
RITUALS: tuple[type[Ritual], ...] = (
    OkrRitual,
    HpfoRitual,
    DecisionRitual,
    OnboardingRitual,
    ReviewRitual,
)


def all_rituals() -> list[Ritual]:
    """A fresh instance of every ritual (rituals keep per-run caches, so never share one)."""
    return [ritual() for ritual in RITUALS]
