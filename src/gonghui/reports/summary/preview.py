"""The draft as the HTML preview shows it: each printed figure linked to the records behind it."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from gonghui.reports.summary.compose import Derived, Draft, FigureValue, Para, PrintedFigure

# The drill-down page (``reports.figures``) lists the records behind a figure; its address and query
# (org, year, f_<filter>, own) are documented in ``reports.figures.links`` and docs/FIGURES.md.
DRILL_DOWN = "/figures/{key}/"


def figure_url(figure: FigureValue, org_code: str) -> str:
    params = {"org": org_code, "year": str(figure.year), **{f"f_{k}": v for k, v in figure.filters}}
    if figure.own_only:
        params["own"] = "1"
    return DRILL_DOWN.format(key=figure.key) + "?" + urlencode(params)


@dataclass(frozen=True, slots=True)
class Piece:
    text: str
    href: str = ""
    tip: str = ""
    kind: str = "text"  # text | figure | derived


def pieces(para: Para, org_code: str) -> list[Piece]:
    out = []
    for p in para.pieces:
        if isinstance(p, PrintedFigure):
            f = p.figure
            out.append(Piece(p.text, figure_url(f, org_code),
                             f"{f.display_label}（{f.key}）= {f.value}{'' if f.unit == '%' else f.unit}，"
                             f"记录 {f.record_count} 条；修饰：{p.qualifier.value}", "figure"))
        elif isinstance(p, Derived):
            tip = "；".join(f"{b.year}年 {b.display_label} = {b.value}" for b in p.bases)
            out.append(Piece(p.text, "", tip, "derived"))
        else:
            out.append(Piece(p))
    return out


@dataclass
class Block:
    kind: str  # h1 h2 p authored
    text: str = ""
    pieces: list[Piece] | None = None


def blocks(draft: Draft) -> list[Block]:
    def para(p: Para) -> Block:
        return Block("authored" if p.authored else "p", p.text, pieces(p, draft.org_code))

    out = [para(p) for p in draft.opening]
    heads = iter(h for _lvl, h in draft.headings)
    out.append(Block("h1", next(heads)))
    for s in draft.sections:
        out.append(Block("h2", f"{s.number}{s.title}"))
        out.extend(para(p) for p in s.paras)
    for part in (draft.problems, draft.plans):
        if part:
            out.append(Block("h1", next(heads)))
            out.extend(para(p) for p in part)
    return out
