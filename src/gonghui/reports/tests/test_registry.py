import json

import pytest
from django.http import Http404
from django.test import Client

from gonghui.cli import main
from gonghui.core.scope import OPERATOR
from gonghui.core.services import create_token
from gonghui.orgs.tests import metric_cases
from gonghui.reports import registry
from gonghui.reports.windows import Window

pytestmark = pytest.mark.django_db
Y2025 = Window.year(2025)


@pytest.fixture
def known(world):
    metric_cases.build(world)
    return world


def test_figures_are_scoped_to_the_user(known) -> None:
    with pytest.raises(Http404):
        registry.evaluate(known.officer_a, "orgs.grassroots.total", known.root, Y2025)
    own = registry.evaluate(known.officer_a, "orgs.grassroots.total", known.union_a, Y2025)
    assert own.value == 1 and own.record_count == 1
    town = registry.evaluate(known.town_officer, "orgs.grassroots.total", known.street_a, Y2025)
    assert town.value == 2  # union_a and the joint union; union_a2 was dissolved in 2025


def test_records_are_the_rows_behind_the_figure(known) -> None:
    rows = registry.records(known.city_admin, "orgs.grassroots.new", known.root, Y2025)
    assert sorted(rows.values_list("code", flat=True)) == ["GZ.A.S1.0003", "GZ.B.S1.0002"]
    metric = registry.REGISTRY.get("orgs.grassroots.new")
    assert [c.of(rows.get(code="GZ.A.S1.0003")) for c in metric.columns][:4] == [
        "GZ.A.S1.0003", "甲楼宇联合工会", "基层工会", "联合建会"]


def test_per_child_rolls_up_in_one_query(known, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(3):
        rows = registry.per_child(known.city_admin, "orgs.grassroots.total.workers_covered", known.root, Y2025)
    assert [(org.code, value) for org, value in rows] == [("GZ.A", 180), ("GZ.B", 270)]
    loop = registry.per_child(known.city_admin, "orgs.grassroots.new.covered_entities", known.root, Y2025)
    assert [(org.code, value) for org, value in loop] == [("GZ.A", 3), ("GZ.B", 1)]


def test_unknown_filter_is_refused_in_chinese(known) -> None:
    with pytest.raises(registry.BadFilter, match="不支持筛选条件"):
        registry.evaluate(OPERATOR, "orgs.grassroots.new", known.root, Y2025, filters={"colour": "red"})


def test_ratio_with_no_denominator_is_none(world) -> None:
    from gonghui.orgs.models import Org

    Org.objects.filter(kind="grassroots").update(covered_workers=0)
    figure = registry.evaluate(OPERATOR, "members.workforce.female_share", world.root, Window.year(2030))
    assert figure.value is None


def test_stats_command_equals_evaluate(known, capsys) -> None:
    assert main(["stats", "--org", "GZ", "--year", "2025", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert set(printed) == set(registry.implemented_keys())
    for key, value in printed.items():
        assert value == registry.evaluate(OPERATOR, key, known.root, Y2025).number, key
    assert printed["members.workforce.female_share"] == 34.4


def test_stats_command_bad_input(known, capsys) -> None:
    assert main(["stats", "--org", "NOPE", "--year", "2025"]) == 2
    assert main(["stats", "--org", "GZ", "--year", "2025", "--keys", "no.such.key"]) == 2
    assert "未实现或不存在的指标" in capsys.readouterr().err
    assert main(["stats", "--org", "GZ"]) == 2


def test_stats_year_window(known, capsys) -> None:
    assert main(["stats", "--org", "GZ", "--year", "2025", "--stats-year", "--keys",
                 "orgs.grassroots.dissolved,orgs.grassroots.new", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert printed == {"orgs.grassroots.dissolved": 1, "orgs.grassroots.new": 2}  # Oct 2024 – Sep 2025


def test_coverage_command(capsys) -> None:
    assert main(["stats", "--coverage", "--json"]) == 0
    counts = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert counts["missing"] == 0 and counts["implemented"] >= 28


def test_stats_api_matches_cli_and_is_scoped(known, capsys) -> None:
    client = Client()
    headers = {"Authorization": f"Bearer {create_token(None, known.city_admin)[1]}"}
    body = client.get("/api/v1/stats?org=GZ&year=2025", headers=headers).json()
    main(["stats", "--org", "GZ", "--year", "2025", "--json"])
    assert body == json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    officer = {"Authorization": f"Bearer {create_token(None, known.officer_a)[1]}"}
    assert client.get("/api/v1/stats?org=GZ&year=2025", headers=officer).status_code == 404
    mine = client.get("/api/v1/stats?org=GZ.A.S1.0001&year=2025", headers=officer).json()
    assert mine["orgs.grassroots.total"] == 1
