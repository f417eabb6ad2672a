"""The dashboard of a union: its key figures of the year, read from the metric registry."""

from __future__ import annotations

# The key figures every union's dashboard shows first, in this order (all from records).
KEY_FIGURES: tuple[str, ...] = (
    "members.total",
    "members.new",
    "members.membership_rate",
    "orgs.grassroots.total",
    "orgs.grassroots.new",
    "orgs.establishment_rate.above_scale",
    "orgs.grassroots.term_overdue",
    "facilities.home.total",
    "publicity.lectures.events",
    "culture.events",
    "skills.training.person_times",
    "competitions.participants",
)
