"""The summary as a Word document (docxtpl), laid out as a Chinese official document (GB/T 9704-2012).

The layout lives in a docxtpl template built here with python-docx (A4, 天头 37 mm,
订口 28 mm, 版心 156 × 225 mm; title 2号 方正小标宋, body 3号 仿宋_GB2312 at a fixed
28-point line, 一级标题 黑体, 二级标题 楷体, page numbers "— 1 —" in 4号 宋体 outside
on odd and even pages). Fonts a machine lacks are named with their usual substitutes
in the font table (方正小标宋简体 → 黑体, 仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体).
A deployment may use its own letterhead: ``GONGHUI_SUMMARY_DOCX_TEMPLATE`` names a
.docx with the same Jinja tags. The last table is 数据来源 (CONTRACT.md "Reports").
"""

from __future__ import annotations

import io
import re
from typing import Any

from django.conf import settings
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docxtpl import DocxTemplate

from gonghui.reports.summary.compose import Draft, FigureValue
from gonghui.reports.summary.numbers import plain

TITLE_FONT, BODY_FONT, H1_FONT, H2_FONT, PAGE_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"
SUBSTITUTES = {"方正小标宋简体": "黑体", "仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体"}
SIZE_2, SIZE_3, SIZE_4, SIZE_SMALL_4 = Pt(22), Pt(16), Pt(14), Pt(12)
LINE = Pt(28)  # 22 lines of 3号 text in a 225 mm 版心
SOURCE_HEADERS = ("指标", "指标代码", "数值", "记录数")


def _fonts(style_or_run: Any, east_asian: str, latin: str = "Times New Roman") -> None:
    font = style_or_run.font
    font.name = latin
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


def _style(doc: Any, name: str, font: str, size: Any, *, base: str = "Normal", indent: bool = True,
           align: Any = None, bold: bool = False, line: Any = LINE) -> Any:
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles[base]
    _fonts(style, font)
    style.font.size = size
    style.font.bold = bold
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = line
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.first_line_indent = Pt(size.pt * 2) if indent else Pt(0)
    if align is not None:
        fmt.alignment = align
    return style


def _page_number(paragraph: Any, align: Any) -> None:
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Pt(0)
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        fmt.right_indent = Pt(14)
    else:
        fmt.left_indent = Pt(14)
    for text in ("— ", None, " —"):
        if text is None:
            field = OxmlElement("w:fldSimple")
            field.set(qn("w:instr"), "PAGE")
            run = OxmlElement("w:r")
            t = OxmlElement("w:t")
            t.text = "1"
            run.append(t)
            field.append(run)
            paragraph._p.append(field)
            continue
        run = paragraph.add_run(text)
        _fonts(run, PAGE_FONT)
        run.font.size = SIZE_4


def _substitutes(doc: Any) -> None:
    """Name the usual substitute of each official-document font in the font table (w:altName)."""
    for part in doc.part.package.parts:
        if str(part.partname) != "/word/fontTable.xml":
            continue
        xml = part.blob.decode("utf-8")
        entries = "".join(
            f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
            f'<w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>'
            for name, alt in SUBSTITUTES.items())
        xml = re.sub(r"</w:fonts>\s*$", entries + "</w:fonts>", xml)
        part._blob = xml.encode("utf-8")


def build_template() -> bytes:
    """The docxtpl template of a summary, as .docx bytes."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(22)
    normal = doc.styles["Normal"]
    _fonts(normal, BODY_FONT)
    normal.font.size = SIZE_3
    fmt = normal.paragraph_format
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, LINE
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.first_line_indent = Pt(32)
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _style(doc, "GH Title", TITLE_FONT, SIZE_2, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(36))
    h1 = _style(doc, "GH Heading 1", H1_FONT, SIZE_3)
    h2 = _style(doc, "GH Heading 2", H2_FONT, SIZE_3)
    h1.paragraph_format.keep_with_next = h2.paragraph_format.keep_with_next = True
    sign = _style(doc, "GH Signature", BODY_FONT, SIZE_3, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    sign.paragraph_format.right_indent = Pt(64)
    _style(doc, "GH Appendix", H1_FONT, SIZE_3, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    _style(doc, "GH Table", BODY_FONT, SIZE_SMALL_4, indent=False, line=Pt(18))
    _style(doc, "GH Note", BODY_FONT, SIZE_SMALL_4, indent=False, line=Pt(20))

    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)

    doc.add_paragraph("{{ title }}", style="GH Title")
    doc.add_paragraph("", style="GH Title")
    for text, style in [
        ("{%p for block in blocks %}", None),
        ("{%p if block.kind == 'h1' %}", None), ("{{ block.text }}", "GH Heading 1"),
        ("{%p elif block.kind == 'h2' %}", None), ("{{ block.text }}", "GH Heading 2"),
        ("{%p elif block.kind == 'sign' %}", None), ("{{ block.text }}", "GH Signature"),
        ("{%p elif block.kind == 'gap' %}", None), ("", "Normal"),
        ("{%p else %}", None), ("{{ block.text }}", "Normal"),
        ("{%p endif %}", None), ("{%p endfor %}", None),
    ]:
        doc.add_paragraph(text, style=style)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_paragraph("数据来源", style="GH Appendix")
    doc.add_paragraph("{{ source_intro }}", style="GH Note")
    table = doc.add_table(rows=4, cols=4)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = (Mm(52), Mm(58), Mm(28), Mm(18))
    rows = [SOURCE_HEADERS, ("{%tr for row in sources %}", "", "", ""),
            ("{{ row.label }}", "{{ row.key }}", "{{ row.value }}", "{{ row.record_count }}"),
            ("{%tr endfor %}", "", "", "")]
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.width = widths[c]
            para = cell.paragraphs[0]
            para.style = doc.styles["GH Table"]
            run = para.add_run(value)
            if r == 0:
                run.font.bold = True
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif c >= 2:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph("{%p if yoy_note %}", style="GH Note")
    doc.add_paragraph("{{ yoy_note }}", style="GH Note")
    doc.add_paragraph("{%p endif %}", style="GH Note")
    _substitutes(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def source_value(figure: FigureValue) -> str:
    """The exact base-unit value (元, 人, 家 … or %), unrounded, never 万-scaled."""
    return str(figure.value)


def context(draft: Draft) -> dict[str, Any]:
    """What the docxtpl template is filled with."""
    blocks: list[dict[str, str]] = [{"kind": "p", "text": p.text} for p in draft.opening]
    heads = iter(h for _lvl, h in draft.headings)
    blocks.append({"kind": "h1", "text": next(heads)})
    for s in draft.sections:
        blocks.append({"kind": "h2", "text": f"{s.number}{s.title}"})
        blocks.extend({"kind": "p", "text": p.text} for p in s.paras)
    for part in (draft.problems, draft.plans):
        if part:
            blocks.append({"kind": "h1", "text": next(heads)})
            blocks.extend({"kind": "p", "text": p.text} for p in part)
    blocks += [{"kind": "gap", "text": ""}, {"kind": "gap", "text": ""},
               {"kind": "sign", "text": draft.signature},
               {"kind": "sign", "text": f"{draft.dated.year}年{draft.dated.month}月{draft.dated.day}日"}]
    bases = draft.yoy_bases
    yoy_note = ""
    if bases:
        yoy_note = "注：同比增幅按上年同期记录计算，上年数值为：" + "；".join(
            f"{b.display_label}（{b.key}）{b.year}年 {plain(b.value)}{'' if b.unit == '%' else b.unit}，"
            f"记录{b.record_count}条"
            for b in bases) + "。"
    return {
        "title": draft.title,
        "blocks": blocks,
        "source_intro": (f"本表列出正文所引用的每项统计数字：{draft.org_name}（工会代码 {draft.org_code}）"
                         f"及所属工会{draft.year}年1月1日至12月31日的记录统计结果，数值为未经修饰、未换算的原始值"
                         f"（金额单位为元）；指标名称后〔〕内为筛选条件，无筛选条件的数值与"
                         f"“gonghui stats --org {draft.org_code} --year {draft.year}”一致。"),
        "sources": [{"label": f.display_label, "key": f.key, "value": source_value(f), "record_count": f.record_count}
                    for f in draft.sources],
        "yoy_note": yoy_note,
    }


def render_docx(draft: Draft) -> bytes:
    """The .docx of a composed summary."""
    custom = getattr(settings, "GONGHUI_SUMMARY_DOCX_TEMPLATE", "")
    tpl = DocxTemplate(custom or io.BytesIO(build_template()))
    tpl.render(context(draft), autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()
