"""The summary pages through the web door: start, preview with drill-down links, write, download, finalise."""

from __future__ import annotations

import datetime as dt
import io
import re

import docx
import pytest
from django.test import Client

from gonghui.core.models import AuditLog
from gonghui.reports.summary.models import AnnualSummary
from gonghui.testing import make_grassroots

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_draft_preview_write_download_finalise(world) -> None:
    make_grassroots(world.street_a, "GZ.A.S1.0009", founded_on=dt.date(2025, 5, 1))
    client = _client(world.town_officer)
    assert "起草A区一街道总工会的工作总结" in client.get("/reports/summaries/").content.decode()
    response = client.post("/reports/summaries/", {"year": 2025, "base": "town"})
    assert response.status_code == 302 and response["Location"] == "/reports/summaries/GZ.A.S1/2025/"
    assert client.post("/reports/summaries/", {"year": 2025, "base": "town"}).status_code == 200  # exists: form error

    page = client.get("/reports/summaries/GZ.A.S1/2025/").content.decode()
    assert "今年新建基层工会" in page and "尚待撰写" in page
    links = re.findall(r'<a class="gh-figure" href="([^"]+)"[^>]*>([^<]+)</a>', page)
    assert ("/figures/orgs.grassroots.new/?org=GZ.A.S1&amp;year=2025", "1家") in links
    assert any("f_mode=single" in href for href, _text in links)

    summary = AnnualSummary.objects.get(org=world.street_a, year=2025)
    form = {"template": str(summary.template_id), "organisation": "", "s_organisation": "街道走访企业宣传建会。",
            "problems": "一是新建工会运行不规范。", "plans": "一是加强培训。", "note": "第一次撰写"}
    assert client.post("/reports/summaries/GZ.A.S1/2025/edit/", form).status_code == 302
    bad = client.post("/reports/summaries/GZ.A.S1/2025/edit/", {**form, "plans": "新建X家"})
    assert bad.status_code == 200 and "占位符" in bad.content.decode()
    page = client.get("/reports/summaries/GZ.A.S1/2025/").content.decode()
    assert "街道走访企业宣传建会。" in page and "二、存在的问题" in page

    download = client.get("/reports/summaries/GZ.A.S1/2025/docx/")
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    document = docx.Document(io.BytesIO(download.content))
    assert document.paragraphs[0].text == "A区一街道总工会2025年度工作总结"
    assert AuditLog.objects.filter(action=AuditLog.Action.EXPORT, object_type="reports.AnnualSummary").exists()

    assert client.post("/reports/summaries/GZ.A.S1/2025/finalise/").status_code == 302
    assert AnnualSummary.objects.get(pk=summary.pk).is_final
    assert "已定稿" in client.get("/reports/summaries/GZ.A.S1/2025/").content.decode()
    assert client.get("/reports/summaries/GZ.A.S1/2025/edit/").status_code == 302  # reopen first
    versions = client.get("/reports/summaries/GZ.A.S1/2025/versions/").content.decode()
    assert "第一次撰写" in versions and "定稿" in versions


def test_template_editor_reorders_and_reports_errors(world) -> None:
    client = _client(world.town_officer)
    client.post("/reports/summaries/", {"year": 2025, "base": "town"})
    summary = AnnualSummary.objects.get(org=world.street_a, year=2025)
    url = f"/reports/summary-templates/{summary.template_id}/"
    page = client.get(url)
    assert page.status_code == 200 and "数字句子" in page.content.decode()
    t = summary.template
    data = {f: getattr(t, f) for f in ("name", "title", "opening", "main_heading", "problems_heading",
                                        "plans_heading")}
    for i, s in enumerate(t.sections):
        data.update({f"s{i}_order": (len(t.sections) - i) * 10, f"s{i}_code": s["code"], f"s{i}_title": s["title"],
                     f"s{i}_lead": s["lead"], f"s{i}_sentences": s["sentences"], f"s{i}_empty": s["empty"],
                     f"s{i}_enabled": "on"})
    n = len(t.sections)
    data.update({f"s{n}_order": 1, f"s{n}_code": "highlights", f"s{n}_title": "工作亮点",
                 f"s{n}_sentences": "全年新建基层工会{orgs.grassroots.new}。", f"s{n}_enabled": "on"})
    assert client.post(url, data).status_code == 302
    t.refresh_from_db()
    assert [s["code"] for s in t.sections][:2] == ["highlights", "self"]
    bad = client.post(url, {**data, f"s{n}_sentences": "{orgs.not_a_metric}"})
    assert bad.status_code == 200 and "未知的指标代码" in bad.content.decode()
    assert _client(world.officer_b).get(url).status_code == 404
