"""The demo federation's summaries as .docx, read back with python-docx and checked against ``gonghui stats``."""

from __future__ import annotations

import io
import json
import re
import shutil
import struct
import subprocess
from contextlib import redirect_stdout
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.shared import Mm
from docx.text.paragraph import Paragraph

from gonghui.cli import main
from gonghui.core.scope import OPERATOR
from gonghui.orgs.models import Org
from gonghui.reports import registry
from gonghui.reports.summary.docx import SOURCE_HEADERS
from gonghui.reports.summary.numbers import render
from gonghui.reports.windows import Window

pytestmark = pytest.mark.django_db
FORBIDDEN = re.compile(r"(?<![A-Za-z])(X|None|nan|NaN)(?![A-Za-z])|\{|\}|\[|\]")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """One demo federation for the module (its last year has a federation, a town and an organ summary)."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        buffer = io.StringIO()
        with redirect_stdout(buffer):
            assert main(["demo", "--members", "50", "--seed", "11", "--json"]) == 0
        from gonghui.reports.summary.models import AnnualSummary

        summaries = {s.org.code: (s.template.base, s.year, s.status)
                     for s in AnnualSummary.objects.select_related("org", "template")}
        yield summaries
        transaction.set_rollback(True)


def _cli_json(argv: list[str]) -> dict[str, Any]:
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        assert main(argv) == 0
    return json.loads(buffer.getvalue().strip().splitlines()[-1])


def _filters(label: str) -> dict[str, str]:
    m = re.search(r"〔(.*)〕$", label)
    if not m:
        return {}
    return dict(part.split("=", 1) for part in m.group(1).split("，") if "=" in part)


def _check(path: Path, code: str, year: int) -> tuple[docx.document.Document, list[list[str]]]:
    document = docx.Document(str(path))
    prose = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert not FORBIDDEN.search(prose), FORBIDDEN.search(prose)
    assert not re.search(r"(?<![A-Za-z])(X|None|nan|NaN)(?![A-Za-z])|\{|\}", cells)

    table = document.tables[-1]
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert tuple(rows[0]) == SOURCE_HEADERS
    heading = table._element.getprevious()
    texts: list[str] = []
    while heading is not None and len(texts) < 3:
        texts.append(Paragraph(heading, document.part).text)
        heading = heading.getprevious()
    assert "数据来源" in texts

    stats = _cli_json(["stats", "--org", code, "--year", str(year), "--json"])
    org = Org.objects.get(code=code)
    body = prose.split("数据来源")[0]
    for label, key, value, count in rows[1:]:
        filters = _filters(label)
        figure = registry.evaluate(OPERATOR, key, org, Window.year(year), filters=filters)
        if not filters:
            assert Decimal(value) == Decimal(str(stats[key])), key  # the value `gonghui stats --json` prints
        assert Decimal(value) == Decimal(str(figure.value)), (key, filters)
        assert int(count) == figure.record_count, key
        assert Decimal(value) != 0
        unit = registry.REGISTRY.get(key).unit
        candidates = {render(Decimal(value), unit, request, unit_text=unit_text).text
                      for request in ("", "余", "多", "近", "约", "以上") for unit_text in ("", "名", "个", "家")}
        assert any(c in body for c in candidates), (key, value, candidates)
    return document, rows


@pytest.mark.parametrize("template", ["federation", "town", "organ"])
def test_each_default_template_for_the_demo_federation(demo, tmp_path, template) -> None:
    year = next(iter(demo.values()))[1]
    out = tmp_path / f"{template}.docx"
    result = _cli_json(["report", "summary", "--org", "GZ", "--year", str(year), "-o", str(out),
                        "--template", template, "--json"])
    assert result["output"] == str(out)
    document, rows = _check(out, "GZ", year)
    assert len(rows) > 5
    prose = [p.text for p in document.paragraphs]
    assert prose[0] == f"广州市总工会{year}年{'度' if template == 'town' else ''}工作总结"
    assert any(t.startswith("一、") for t in prose) and any(t.startswith("（一）") for t in prose)


def test_stored_drafts_and_the_finalised_summary(demo, tmp_path) -> None:
    assert {base for base, _year, _status in demo.values()} == {"federation", "town", "organ"}
    for code, (base, year, status) in demo.items():
        out = tmp_path / f"{code}.docx"
        result = _cli_json(["report", "summary", "--org", code, "--year", str(year), "-o", str(out), "--json"])
        assert result["final"] == (status == "final")
        assert result["missing"] == []
        document, rows = _check(out, code, year)
        assert len(rows) >= 4, (code, base)  # figures from records, also in the summary frozen by the demo
        prose = [p.text for p in document.paragraphs]
        # the officers' own paragraphs, problems and plans are in
        assert any(t.startswith("二、") and "问题" in t for t in prose)
        assert any(t.startswith("三、") for t in prose)
        assert any(t.startswith("一是") for t in prose), base


def test_official_document_layout(demo, tmp_path) -> None:
    code, (_base, year, _status) = next(iter(demo.items()))
    out = tmp_path / "layout.docx"
    _cli_json(["report", "summary", "--org", code, "--year", str(year), "-o", str(out), "--json"])
    document = docx.Document(str(out))
    section = document.sections[0]
    def near(a: Any, b: Any) -> bool:  # stored in twips
        return abs(a - b) < Mm(0.5)

    assert near(section.page_width, Mm(210)) and near(section.page_height, Mm(297))  # A4
    assert near(section.top_margin, Mm(37)) and near(section.left_margin, Mm(28))  # 天头, 订口
    width, height = (int(section.page_width or 0), int(section.page_height or 0))
    left, right = int(section.left_margin or 0), int(section.right_margin or 0)
    top, bottom = int(section.top_margin or 0), int(section.bottom_margin or 0)
    assert abs(width - left - right - Mm(156)) < Mm(1) and abs(height - top - bottom - Mm(225)) < Mm(1)  # 版心

    def east_asian(style_name: str) -> str:
        rfonts = document.styles[style_name].element.rPr.rFonts
        return rfonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")

    assert east_asian("GH Title") == "方正小标宋简体"
    assert east_asian("Normal") == "仿宋_GB2312"
    assert east_asian("GH Heading 1") == "黑体"
    assert east_asian("GH Heading 2") == "楷体_GB2312"
    assert document.styles["Normal"].font.size.pt == 16 and document.styles["GH Title"].font.size.pt == 22
    styles = {p.style.name for p in document.paragraphs if p.text.strip() and p.style is not None}
    assert {"GH Title", "GH Heading 1", "GH Heading 2", "Normal", "GH Signature"} <= styles
    for footer in (section.footer, section.even_page_footer):
        xml = footer._element.xml
        assert 'w:instr="PAGE"' in xml and "—" in xml
    font_table = next(p for p in document.part.package.parts if str(p.partname) == "/word/fontTable.xml")
    assert '<w:altName w:val="黑体"/>' in font_table.blob.decode()


def test_bad_cli_input(demo, tmp_path, capsys) -> None:
    assert main(["report", "summary", "--org", "NOPE", "--year", "2025", "-o", str(tmp_path / "a.docx")]) == 2
    assert "找不到工会代码" in capsys.readouterr().err
    assert main(["report", "summary", "--org", "GZ", "--year", "2025", "-o", str(tmp_path / "a.pdf")]) == 2
    assert ".docx" in capsys.readouterr().err
    assert not (tmp_path / "a.docx").exists()


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftoppm")), reason="LibreOffice is not installed")
def test_the_docx_renders_to_a_png_page(demo, tmp_path) -> None:
    """scripts/render-docx: LibreOffice → PDF → PNG of the first page, the way a person looks at it."""
    code, (_base, year, _status) = next(iter(demo.items()))
    out = tmp_path / "summary.docx"
    _cli_json(["report", "summary", "--org", code, "--year", str(year), "-o", str(out), "--json"])
    shots = Path(__file__).resolve().parents[4] / "test-results" / "docx"
    script = Path(__file__).resolve().parents[4] / "scripts" / "render-docx"
    done = subprocess.run([str(script), str(out), str(shots), "2"], capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    pngs = [Path(line) for line in done.stdout.split()]
    assert len(pngs) == 2
    header = pngs[0].read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    assert abs(height / width - 297 / 210) < 0.01  # an A4 page
