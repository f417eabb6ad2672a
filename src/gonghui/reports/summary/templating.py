"""The sentence language of summary templates: fixed phrasing with figure slots.

A section's sentences are lines of text; a blank line starts a new paragraph.

- ``{orgs.grassroots.new}`` prints a figure of the reporting union (and its subtree)
  with its unit: ``12家``. Options follow ``|``: a qualifier the rules may grant
  (``余`` ``多`` ``近`` ``约`` ``以上``), ``本级`` (the union alone), ``其中`` (a part
  of the figure before it: checked to be no larger, carries its qualifier only when
  both are rounded), ``单位:名`` (another word for the unit), and filters
  ``name=value`` (``{orgs.joint.total|joint_type=building}``).
- ``{同比:KEY}`` prints 同比增长X% / 同比下降X% / 与上年持平 when both years come from records.
- ``{完成:KEY}`` prints the completion wording of the target set on KEY (``targets.completion_rate``
  filtered ``key=KEY``, as the targets app of issue 6 registers it).
- ``{工会}`` ``{年度}`` ``{上一年}`` ``{下一年}``: the union's name and the years.
- ``[ … ]`` is an optional clause: left out when one of its figures is zero or not available.

A sentence whose own (non-optional) figures are zero or not yet computed from records
is left out whole: figures are never printed as zeros, and a key that is still pending
in the registry simply produces no sentence until its domain app registers it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gonghui.reports.summary.numbers import REQUESTS

VARIABLES = ("工会", "年度", "上一年", "下一年")
SLOT_RE = re.compile(r"\{([^{}\[\]]*)\}")
KEY_RE = re.compile(r"^[a-z_]+(\.[a-z_]+)+$")


class TemplateError(ValueError):
    """A template sentence that cannot be read; the message is Chinese, for the editor."""


@dataclass(frozen=True, slots=True)
class Slot:
    kind: str  # "figure" | "yoy" | "completion" | "var"
    key: str  # metric key, or the variable's name
    filters: tuple[tuple[str, str], ...] = ()
    own_only: bool = False
    request: str = ""  # "" or 余 多 近 约 以上
    part: bool = False
    unit_text: str = ""
    source: str = ""  # the slot as written


@dataclass(frozen=True, slots=True)
class Clause:
    tokens: tuple[str | Slot, ...]


Token = str | Slot | Clause


@dataclass(frozen=True, slots=True)
class Sentence:
    tokens: tuple[Token, ...]
    source: str

    def slots(self) -> list[Slot]:
        out: list[Slot] = []
        for t in self.tokens:
            if isinstance(t, Slot):
                out.append(t)
            elif isinstance(t, Clause):
                out.extend(s for s in t.tokens if isinstance(s, Slot))
        return out


@dataclass(frozen=True, slots=True)
class Paragraph:
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True)
class SectionSpec:
    code: str
    title: str
    lead: str = ""
    sentences: str = ""
    empty: str = ""
    enabled: bool = True
    paragraphs: tuple[Paragraph, ...] = field(default=(), compare=False)


def parse_slot(inner: str) -> Slot:
    text = inner.strip()
    if text in VARIABLES:
        return Slot("var", text, source=inner)
    kind = "figure"
    for prefix, name in (("同比:", "yoy"), ("同比：", "yoy"), ("完成:", "completion"), ("完成：", "completion")):
        if text.startswith(prefix):
            kind, text = name, text[len(prefix):]
            break
    key, *options = [part.strip() for part in text.split("|")]
    if not KEY_RE.match(key):
        raise TemplateError(f"“{{{inner}}}”不是指标代码（形如 orgs.grassroots.new）"
                            f"或可用的变量（{'、'.join(VARIABLES)}）")
    filters: list[tuple[str, str]] = []
    own_only = part = False
    request = unit_text = ""
    for opt in options:
        if not opt:
            continue
        if opt in REQUESTS:
            if request:
                raise TemplateError(f"“{{{inner}}}”只能使用一个修饰语（余、多、近、约、以上）")
            request = opt
        elif opt == "本级":
            own_only = True
        elif opt == "其中":
            part = True
        elif opt.startswith(("单位:", "单位：")):
            unit_text = opt[3:].strip()
        elif "=" in opt:
            name, value = (s.strip() for s in opt.split("=", 1))
            if not name or not value:
                raise TemplateError(f"“{{{inner}}}”中的筛选条件“{opt}”不完整")
            filters.append((name, value))
        else:
            raise TemplateError(f"“{{{inner}}}”中的“{opt}”无法识别"
                                "（可用：余、多、近、约、以上、本级、其中、单位:名、筛选 名=值）")
    if kind != "figure" and (request or part or unit_text):
        raise TemplateError(f"“{{{inner}}}”：同比和完成情况不使用修饰语、其中或单位")
    return Slot(kind, key, tuple(sorted(filters)), own_only, request, part, unit_text, inner)


def _tokens(text: str) -> list[str | Slot]:
    out: list[str | Slot] = []
    pos = 0
    for m in SLOT_RE.finditer(text):
        if m.start() > pos:
            out.append(text[pos:m.start()])
        out.append(parse_slot(m.group(1)))
        pos = m.end()
    if pos < len(text):
        out.append(text[pos:])
    for piece in out:
        if isinstance(piece, str) and ("{" in piece or "}" in piece):
            raise TemplateError(f"“{text}”中的花括号不成对")
    return out


def parse_sentence(text: str) -> Sentence:
    tokens: list[Token] = []
    rest = text
    while rest:
        start = rest.find("[")
        end = rest.find("]")
        if start == -1:
            if end != -1:
                raise TemplateError(f"“{text}”中的方括号不成对")
            tokens.extend(_tokens(rest))
            break
        if end != -1 and end < start:
            raise TemplateError(f"“{text}”中的方括号不成对")
        tokens.extend(_tokens(rest[:start]))
        close = rest.find("]", start)
        if close == -1 or "[" in rest[start + 1:close]:
            raise TemplateError(f"“{text}”中的方括号不成对（可选部分不能嵌套）")
        inner = _tokens(rest[start + 1:close])
        if not any(isinstance(t, Slot) for t in inner):
            raise TemplateError(f"“{text}”：方括号内的可选部分须含有指标")
        tokens.append(Clause(tuple(inner)))
        rest = rest[close + 1:]
    return Sentence(tuple(tokens), text)


def parse_paragraphs(text: str) -> tuple[Paragraph, ...]:
    """Lines are sentences; blank lines separate paragraphs."""
    paragraphs: list[Paragraph] = []
    current: list[Sentence] = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            if current:
                paragraphs.append(Paragraph(tuple(current)))
                current = []
            continue
        current.append(parse_sentence(line))
    if current:
        paragraphs.append(Paragraph(tuple(current)))
    return tuple(paragraphs)


def section_from_data(data: dict[str, object]) -> SectionSpec:
    code = str(data.get("code") or "").strip()
    title = str(data.get("title") or "").strip()
    if not code or not re.match(r"^[a-z0-9_]+$", code):
        raise TemplateError(f"栏目代码“{code}”只能使用小写英文字母、数字和下划线")
    if not title:
        raise TemplateError(f"栏目“{code}”缺少标题")
    lead = str(data.get("lead") or "")
    sentences = str(data.get("sentences") or "")
    empty = str(data.get("empty") or "")
    try:
        paragraphs = parse_paragraphs(sentences)
        parse_paragraphs(lead)
        parse_paragraphs(empty)
    except TemplateError as exc:
        raise TemplateError(f"栏目“{title}”：{exc}") from None
    return SectionSpec(code, title, lead, sentences, empty, bool(data.get("enabled", True)), paragraphs)


def keys_used(texts: list[str]) -> set[str]:
    """Metric keys named by slots in these texts (for validation and the editor's key list)."""
    keys: set[str] = set()
    for text in texts:
        for paragraph in parse_paragraphs(text):
            for sentence in paragraph.sentences:
                keys.update(s.key for s in sentence.slots() if s.kind != "var")
    return keys
