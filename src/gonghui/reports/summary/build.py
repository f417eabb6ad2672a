"""From a stored summary (or a union and year with no draft yet) to a composed ``Draft``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from gonghui.reports.summary import specs
from gonghui.reports.summary.compose import Draft, FrozenSource, LiveSource, TemplateSpec, compose

__all__ = ["Draft", "FrozenSource", "LiveSource", "TemplateSpec", "compose", "draft_for", "draft_from_default", "specs"]
from gonghui.reports.summary.models import AnnualSummary


def spec_of(summary: AnnualSummary) -> TemplateSpec:
    if summary.is_final and summary.snapshot:
        return specs.validate(summary.snapshot["template"])
    return specs.validate(specs.data_of(summary.template))


def draft_for(user: Any, summary: AnnualSummary, *, today: dt.date | None = None) -> tuple[Draft, Any]:
    """The summary as it reads now: live figures for a draft, the frozen ones once finalised."""
    if summary.is_final and summary.snapshot:
        snap = summary.snapshot
        source: Any = FrozenSource(snap["figures"])
        narrative = snap["narrative"]
        dated = dt.date.fromisoformat(snap["dated"])
    else:
        source = LiveSource(user, summary.org)
        narrative = summary.narrative
        dated = today or dt.date.today()
    draft = compose(spec_of(summary), narrative, source, org_name=summary.org.name, org_code=summary.org.code,
                    year=summary.year, dated=dated)
    return draft, source


def draft_from_default(user: Any, org: Any, year: int, *, base: str | None = None,
                       narrative: Mapping[str, str] | None = None, today: dt.date | None = None) -> Draft:
    """A union with no stored summary: the default template for its kind, live figures, no authored text."""
    spec = specs.validate(specs.default_template(base or specs.default_base_for(org)))
    return compose(spec, narrative or {}, LiveSource(user, org), org_name=org.name, org_code=org.code, year=year,
                   dated=today or dt.date.today())
