"""Compose a summary: a template's sentences filled with figures from records, plus the officers' own text.

``compose(spec, narrative, source, …)`` is independent of where figures come from:
``LiveSource`` evaluates them through the metric registry for the acting user (the
union's subtree, within the user's scope); ``FrozenSource`` replays the snapshot
taken when the summary was finalised. The result (``Draft``) is what the HTML
preview, the .docx and the 数据来源 table are made from.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404

from gonghui.reports import registry
from gonghui.reports.summary import numbers
from gonghui.reports.summary.numbers import Printed, Qualifier
from gonghui.reports.summary.templating import Clause, SectionSpec, Sentence, Slot, parse_paragraphs
from gonghui.reports.windows import Window

NARRATIVE_KEYS = ("opening", "problems", "plans")  # besides one entry per section code
COMPLETION_KEY = "targets.completion_rate"
LIST_MARKS = "，、；："


@dataclass(frozen=True, slots=True)
class FigureValue:
    """A figure fetched for the summary: GLOSSARY ``Figure`` without the printing choice."""

    key: str
    label: str
    unit: str
    value: int | decimal.Decimal
    record_count: int
    year: int
    filters: tuple[tuple[str, str], ...] = ()
    own_only: bool = False

    @property
    def ident(self) -> tuple[str, tuple[tuple[str, str], ...], bool, int]:
        return (self.key, self.filters, self.own_only, self.year)

    @property
    def display_label(self) -> str:
        extra = [f"{k}={v}" for k, v in self.filters] + (["本级"] if self.own_only else [])
        return f"{self.label}〔{'，'.join(extra)}〕" if extra else self.label

    def as_data(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "unit": self.unit, "value": str(self.value),
                "record_count": self.record_count, "year": self.year, "filters": [list(f) for f in self.filters],
                "own_only": self.own_only}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> FigureValue:
        raw = decimal.Decimal(data["value"])
        value: int | decimal.Decimal = int(raw) if "." not in data["value"] else raw
        return cls(data["key"], data["label"], data["unit"], value, int(data["record_count"]), int(data["year"]),
                   tuple((str(a), str(b)) for a, b in data.get("filters", [])), bool(data.get("own_only")))


class FigureSource(Protocol):
    def get(self, key: str, filters: tuple[tuple[str, str], ...], own_only: bool, year: int) -> FigureValue | None:
        """The figure, or None when it is not computed from records (pending key, out of scope)."""


class LiveSource:
    """Figures evaluated now through the registry, for the acting user; each evaluated once."""

    def __init__(self, user: Any, org: Any, *, window_for: Any = Window.year) -> None:
        self.user, self.org, self.window_for = user, org, window_for
        self.fetched: dict[tuple[Any, ...], FigureValue | None] = {}

    def get(self, key: str, filters: tuple[tuple[str, str], ...], own_only: bool, year: int) -> FigureValue | None:
        ident = (key, filters, own_only, year)
        if ident not in self.fetched:
            self.fetched[ident] = self._evaluate(key, filters, own_only, year)
        return self.fetched[ident]

    def _evaluate(self, key: str, filters: tuple[tuple[str, str], ...], own_only: bool,
                  year: int) -> FigureValue | None:
        if key not in registry.REGISTRY.metrics:
            return None  # pending or not from records: the sentence is not generated
        try:
            figure = registry.evaluate(self.user, key, self.org, self.window_for(year), filters=dict(filters),
                                       own_only=own_only)
        except (Http404, PermissionDenied, registry.BadFilter):
            return None
        if figure.value is None:
            return None
        return FigureValue(key, figure.label, figure.unit, figure.value, figure.record_count, year, filters, own_only)

    def snapshot(self) -> list[dict[str, Any]]:
        """Every figure fetched (zeros included), to freeze a finalised summary."""
        return [f.as_data() for f in self.fetched.values() if f is not None]


class FrozenSource:
    """The figures of a finalised summary, exactly as they were when it was frozen."""

    def __init__(self, figures: list[Mapping[str, Any]]) -> None:
        self.figures = {f.ident: f for f in map(FigureValue.from_data, figures)}

    def get(self, key: str, filters: tuple[tuple[str, str], ...], own_only: bool, year: int) -> FigureValue | None:
        return self.figures.get((key, filters, own_only, year))


# -- the composed document ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PrintedFigure:
    figure: FigureValue
    printed: Printed

    @property
    def text(self) -> str:
        return self.printed.text

    @property
    def qualifier(self) -> Qualifier:
        return self.printed.qualifier


@dataclass(frozen=True, slots=True)
class Derived:
    """A phrase computed from figures (同比, 完成): printed as text, its bases listed."""

    text: str
    bases: tuple[FigureValue, ...]


Piece = str | PrintedFigure | Derived


@dataclass
class Para:
    pieces: list[Piece]
    authored: bool = False

    @property
    def text(self) -> str:
        return "".join(p if isinstance(p, str) else p.text for p in self.pieces)


@dataclass
class DraftSection:
    code: str
    title: str
    number: str  # （一）
    paras: list[Para]
    generated: int  # sentences generated from figures


@dataclass
class Draft:
    org_name: str
    org_code: str
    year: int
    title: str
    opening: list[Para]
    main_heading: str
    sections: list[DraftSection]
    problems_heading: str
    problems: list[Para]
    plans_heading: str
    plans: list[Para]
    signature: str
    dated: dt.date
    warnings: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # template sections left out (all zero or pending)

    def all_paras(self) -> list[Para]:
        out = list(self.opening)
        for s in self.sections:
            out.extend(s.paras)
        return out + self.problems + self.plans

    @property
    def printed(self) -> list[PrintedFigure]:
        return [p for para in self.all_paras() for p in para.pieces if isinstance(p, PrintedFigure)]

    @property
    def sources(self) -> list[FigureValue]:
        """One row per figure printed, in order of first use: the 数据来源 table."""
        seen: dict[tuple[Any, ...], FigureValue] = {}
        for p in self.printed:
            seen.setdefault(p.figure.ident, p.figure)
        return list(seen.values())

    @property
    def yoy_bases(self) -> list[FigureValue]:
        seen: dict[tuple[Any, ...], FigureValue] = {}
        for para in self.all_paras():
            for p in para.pieces:
                if isinstance(p, Derived):
                    for base in p.bases:
                        if base.year != self.year:
                            seen.setdefault(base.ident, base)
        return list(seen.values())

    @property
    def headings(self) -> list[tuple[str, str]]:
        """(level, text) of the three parts, numbered after empty parts are left out."""
        out = [self.main_heading]
        if self.problems:
            out.append(self.problems_heading)
        if self.plans:
            out.append(self.plans_heading)
        return [("h1", f"{numbers.number_in_chinese(i)}、{h}") for i, h in enumerate(out, start=1)]

    @property
    def missing(self) -> list[str]:
        """Authored parts still empty (they are never generated)."""
        out = []
        if not self.problems:
            out.append("存在的问题")
        if not self.plans:
            out.append("下一年工作计划")
        return out

    def plain_text(self) -> str:
        lines = [self.title, *[p.text for p in self.opening]]
        heads = iter(h for _lvl, h in self.headings)
        lines.append(next(heads))
        for s in self.sections:
            lines.append(f"{s.number}{s.title}")
            lines.extend(p.text for p in s.paras)
        for part in (self.problems, self.plans):
            if part:
                lines.append(next(heads))
                lines.extend(p.text for p in part)
        lines += [self.signature, f"{self.dated.year}年{self.dated.month}月{self.dated.day}日"]
        return "\n".join(lines)


@dataclass(frozen=True)
class TemplateSpec:
    """A template as data (a ``SummaryTemplate`` row, a default fixture or a frozen copy)."""

    title: str
    opening: str
    main_heading: str
    problems_heading: str
    plans_heading: str
    sections: tuple[SectionSpec, ...]


# -- composing ----------------------------------------------------------------------------------


class _Composer:
    def __init__(self, source: FigureSource, org_name: str, year: int) -> None:
        self.source, self.org_name, self.year = source, org_name, year
        self.warnings: list[str] = []

    def var(self, name: str) -> str:
        return {"工会": self.org_name, "年度": str(self.year), "上一年": str(self.year - 1),
                "下一年": str(self.year + 1)}[name]

    def text(self, template: str) -> str:
        """Headings and titles: variables only."""
        out = template
        for name in ("工会", "年度", "上一年", "下一年"):
            out = out.replace("{" + name + "}", self.var(name))
        return out

    def _figure(self, slot: Slot, total: PrintedFigure | None) -> PrintedFigure | None:
        fig = self.source.get(slot.key, slot.filters, slot.own_only, self.year)
        if fig is None or fig.value == 0:
            return None
        request = slot.request
        if slot.part and total is not None:
            if fig.value > total.figure.value:
                self.warnings.append(f"“{fig.display_label}”（{fig.value}）大于其总数“{total.figure.display_label}”"
                                     f"（{total.figure.value}），该分项未写入")
                return None
            if not request and total.qualifier is not Qualifier.EXACT:
                carried = numbers.render(fig.value, fig.unit, self._request_of(total), unit_text=slot.unit_text)
                if carried.qualifier is not Qualifier.EXACT:
                    return PrintedFigure(fig, carried)
        return PrintedFigure(fig, numbers.render(fig.value, fig.unit, request, unit_text=slot.unit_text))

    @staticmethod
    def _request_of(total: PrintedFigure) -> str:
        text = total.text
        for word in ("余", "多", "近", "约", "以上"):
            if word in text:
                return word
        return ""

    def _derived(self, slot: Slot) -> Derived | None:
        if slot.kind == "yoy":
            cur = self.source.get(slot.key, slot.filters, slot.own_only, self.year)
            prev = self.source.get(slot.key, slot.filters, slot.own_only, self.year - 1)
            # Only when both years come from records (GLOSSARY 同比).
            if cur is None or prev is None or prev.record_count == 0 or cur.value == 0:
                return None
            phrase = numbers.yoy_phrase(cur.value, prev.value)
            return Derived(phrase, (cur, prev)) if phrase else None
        rate = self.source.get(COMPLETION_KEY, (("key", slot.key), *slot.filters), slot.own_only, self.year)
        if rate is None or rate.record_count == 0:
            return None  # no stored Target behind the rate: nothing to word
        threshold = getattr(settings, "GONGHUI_PARAMS", {}).get("largely_completed_threshold")
        return Derived(numbers.completion_phrase(rate.value, threshold)[1], (rate,))

    def sentence(self, sentence: Sentence) -> list[Piece] | None:
        """The sentence's pieces, or None when one of its own figures is zero or not available."""
        out: list[Piece] = []
        total: PrintedFigure | None = None
        required = any(isinstance(t, Slot) and t.kind != "var" for t in sentence.tokens)
        clauses_printed = 0
        # A run of clauses is a list: its first printed item takes the run's opening
        # punctuation ("建设[，楼宇…][、商圈…]" prints "建设，商圈…" when 楼宇 is left out).
        run_lead: str | None = None
        run_started = False
        for token in sentence.tokens:
            if not isinstance(token, Clause):
                run_lead, run_started = None, False
            if isinstance(token, str):
                out.append(token)
            elif isinstance(token, Slot):
                piece = self._slot(token, total)
                if piece is None:
                    return None
                if isinstance(piece, PrintedFigure) and not token.part:
                    total = piece
                out.append(piece)
            else:
                if run_lead is None:
                    first = token.tokens[0]
                    run_lead = first[0] if isinstance(first, str) and first[:1] in LIST_MARKS else ""
                clause = self._clause(token, total)
                if clause is not None:
                    head = clause[0]
                    if not run_started and run_lead and isinstance(head, str) and head[:1] in LIST_MARKS:
                        clause = [run_lead + head[1:], *clause[1:]]
                    run_started = True
                    clauses_printed += 1
                    out.extend(clause)
                    for piece in clause:
                        if isinstance(piece, PrintedFigure) and total is None:
                            total = piece
        if not required and clauses_printed == 0 and any(isinstance(t, Clause) for t in sentence.tokens):
            return None  # a sentence made only of optional figures, none of them there
        return out

    def _clause(self, clause: Clause, total: PrintedFigure | None) -> list[Piece] | None:
        out: list[Piece] = []
        for token in clause.tokens:
            if isinstance(token, str):
                out.append(token)
                continue
            piece = self._slot(token, total)
            if piece is None:
                return None
            out.append(piece)
        return out

    def _slot(self, slot: Slot, total: PrintedFigure | None) -> Piece | None:
        if slot.kind == "var":
            return self.var(slot.key)
        if slot.kind == "figure":
            return self._figure(slot, total if slot.part else None)
        return self._derived(slot)

    def paragraphs(self, text: str) -> tuple[list[Para], int]:
        """Generated paragraphs of a template text and how many sentences made it."""
        paras: list[Para] = []
        made = 0
        for paragraph in parse_paragraphs(text):
            pieces: list[Piece] = []
            for sentence in paragraph.sentences:
                got = self.sentence(sentence)
                if got is not None:
                    pieces.extend(got)
                    made += any(s.kind != "var" for s in sentence.slots())
            if pieces:
                paras.append(Para(_merge(pieces)))
        return paras, made


def _merge(pieces: list[Piece]) -> list[Piece]:
    out: list[Piece] = []
    for p in pieces:
        if isinstance(p, str) and out and isinstance(out[-1], str):
            out[-1] = out[-1] + p
        else:
            out.append(p)
    return out


def authored(text: str) -> list[Para]:
    """Officers' own text: one paragraph per non-blank line, never parsed for slots."""
    return [Para([line.strip()], authored=True) for line in (text or "").splitlines() if line.strip()]


def compose(spec: TemplateSpec, narrative: Mapping[str, str], source: FigureSource, *, org_name: str,
            org_code: str, year: int, dated: dt.date) -> Draft:
    c = _Composer(source, org_name, year)
    opening, _ = c.paragraphs(spec.opening)
    opening += authored(narrative.get("opening", ""))
    sections: list[DraftSection] = []
    skipped: list[str] = []
    for section in spec.sections:
        if not section.enabled:
            continue
        paras, made = c.paragraphs(section.sentences)
        own = authored(narrative.get(section.code, ""))
        if made == 0 and not own:
            reworded, _ = c.paragraphs(section.empty)
            if not reworded:
                skipped.append(section.title)
                continue
            paras = reworded
        lead, _ = c.paragraphs(section.lead)
        if lead:
            first = paras[0] if paras else None
            if first is not None and not first.authored:
                paras[0] = Para(_merge([*lead[0].pieces, *first.pieces]))
            else:
                paras = lead[:1] + paras
        number = f"（{numbers.number_in_chinese(len(sections) + 1)}）"
        sections.append(DraftSection(section.code, c.text(section.title), number, paras + own, made))
    return Draft(
        org_name=org_name, org_code=org_code, year=year, title=c.text(spec.title), opening=opening,
        main_heading=c.text(spec.main_heading), sections=sections,
        problems_heading=c.text(spec.problems_heading), problems=authored(narrative.get("problems", "")),
        plans_heading=c.text(spec.plans_heading), plans=authored(narrative.get("plans", "")),
        signature=org_name, dated=dated, warnings=c.warnings, skipped=skipped,
    )
