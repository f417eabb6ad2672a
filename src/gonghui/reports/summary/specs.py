"""Templates as data: the shipped defaults (JSON under ``defaults/``), checking, and conversion to ``TemplateSpec``."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

from gonghui.reports import catalog, registry
from gonghui.reports.summary.compose import TemplateSpec
from gonghui.reports.summary.templating import TemplateError, parse_paragraphs, section_from_data

DEFAULTS_DIR = Path(__file__).resolve().parent / "defaults"
BASES = ("federation", "town", "organ")
TEXT_FIELDS = ("title", "opening", "main_heading", "problems_heading", "plans_heading")
REQUIRED_LABELS = {"title": "标题", "main_heading": "第一部分标题", "problems_heading": "存在问题部分标题",
                   "plans_heading": "工作计划部分标题"}


def _lines(value: Any) -> str:
    return "\n".join(value) if isinstance(value, list) else str(value or "")


@cache
def _default(base: str) -> dict[str, Any]:
    raw = json.loads((DEFAULTS_DIR / f"{base}.json").read_text(encoding="utf-8"))
    return {
        "base": raw["base"], "name": raw["name"], "title": raw["title"], "opening": _lines(raw["opening"]),
        "main_heading": raw["main_heading"], "problems_heading": raw["problems_heading"],
        "plans_heading": raw["plans_heading"],
        "sections": [{"code": s["code"], "title": s["title"], "lead": _lines(s.get("lead")),
                      "sentences": _lines(s.get("sentences")), "empty": _lines(s.get("empty")),
                      "enabled": bool(s.get("enabled", True))} for s in raw["sections"]],
    }


def default_template(base: str) -> dict[str, Any]:
    """A fresh copy of a shipped default (federation, town or organ)."""
    if base not in BASES:
        raise ValueError(f"unknown template base {base!r}")
    return json.loads(json.dumps(_default(base)))


def default_base_for(org: Any) -> str:
    """Which default suits a union: town/street federations, other federations, and grassroots (organ) unions."""
    if org.kind in ("federation", "industry"):
        return "town" if org.level in ("town", "subdistrict", "community", "village", "park") else "federation"
    return "organ"


def known_key(key: str) -> bool:
    """A key of METRICS.md / ANNUAL_RETURN.md or the registry (implemented or pending alike)."""
    return key in registry.REGISTRY.metrics or key in {e.key for e in catalog.entries()}


def validate(data: dict[str, Any]) -> TemplateSpec:
    """Check a template's texts and keys; ValidationError with Chinese messages for the editor."""
    errors: list[str] = []
    for name, label in REQUIRED_LABELS.items():
        if not str(data.get(name) or "").strip():
            errors.append(f"请填写{label}")
    sections = []
    codes: set[str] = set()
    for raw in data.get("sections") or []:
        try:
            section = section_from_data(raw)
        except TemplateError as exc:
            errors.append(str(exc))
            continue
        if section.code in codes or section.code in ("opening", "problems", "plans"):
            errors.append(f"栏目代码“{section.code}”重复或为保留字")
        codes.add(section.code)
        sections.append(section)
        for text in (section.lead, section.sentences, section.empty):
            for paragraph in parse_paragraphs(text):
                for sentence in paragraph.sentences:
                    for slot in sentence.slots():
                        if slot.kind == "var":
                            continue
                        if not known_key(slot.key):
                            errors.append(f"栏目“{section.title}”：未知的指标代码“{slot.key}”")
                            continue
                        metric = registry.REGISTRY.metrics.get(slot.key)
                        if metric is not None and slot.kind == "figure":
                            unknown = {k for k, _v in slot.filters} - set(metric.filters)
                            if unknown:
                                errors.append(f"栏目“{section.title}”：指标 {slot.key} 不支持筛选条件"
                                              f"{'、'.join(sorted(unknown))}")
    try:
        parse_paragraphs(str(data.get("opening") or ""))
    except TemplateError as exc:
        errors.append(f"开头段落：{exc}")
    if errors:
        raise ValidationError(errors)
    return TemplateSpec(
        title=str(data["title"]), opening=str(data.get("opening") or ""), main_heading=str(data["main_heading"]),
        problems_heading=str(data["problems_heading"]), plans_heading=str(data["plans_heading"]),
        sections=tuple(sections),
    )


def data_of(template: Any) -> dict[str, Any]:
    """A ``SummaryTemplate`` row as template data (what a finalised summary freezes)."""
    return {"name": template.name, "base": template.base, **{f: getattr(template, f) for f in TEXT_FIELDS},
            "sections": list(template.sections)}
