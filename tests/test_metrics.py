"""The metric registry against METRICS.md, and every implemented metric on known data."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from typing import Any

import pytest

import gonghui
from gonghui.core.scope import OPERATOR
from gonghui.orgs.models import Org
from gonghui.reports import catalog, registry
from gonghui.reports.windows import Window


def _case_modules() -> dict[str, Any]:
    found = {}
    for info in pkgutil.iter_modules(gonghui.__path__):
        try:
            found[info.name] = importlib.import_module(f"gonghui.{info.name}.tests.metric_cases")
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.startswith(f"gonghui.{info.name}.tests"):
                continue
            raise
    return found


MODULES = _case_modules()


def test_every_catalog_key_has_a_status() -> None:
    missing = catalog.coverage()["missing"]
    assert not missing, f"keys with no status (implement, or declare pending / not from records): {missing}"


def test_catalog_reads_both_spec_files() -> None:
    entries = catalog.entries()
    assert len(entries) >= 270
    assert {"members.new", "orgs.grassroots.new", "care.summer_cooling.amount"} <= {e.key for e in entries}
    assert any(e.source == "ANNUAL_RETURN.md" and e.key == "orgs.grassroots.dissolved" for e in entries)


def test_spec_copies_match_the_shared_spec() -> None:
    shared = Path(__file__).resolve().parents[2] / "shared" / "spec"
    if not shared.is_dir():
        pytest.skip("the shared spec folder is not next to this checkout")
    for name in ("METRICS.md", "ANNUAL_RETURN.md"):
        assert (catalog.SPEC_DIR / name).read_text() == (shared / name).read_text(), name


def test_every_implemented_metric_has_a_case_on_known_data() -> None:
    covered = {case.key for module in MODULES.values() for case in module.CASES}
    untested = sorted(set(registry.implemented_keys()) - covered)
    assert not untested, f"implemented metrics without a MetricCase: {untested}"


def test_implemented_metrics_are_in_the_catalog_and_drillable() -> None:
    keys = {e.key for e in catalog.entries()}
    for key, metric in registry.REGISTRY.metrics.items():
        assert key in keys, f"{key} is not a METRICS.md / ANNUAL_RETURN.md key"
        assert metric.label and metric.unit
        if metric.kind != registry.RATIO:
            assert metric.columns, f"{key}: drill-down needs columns"


@pytest.mark.django_db
@pytest.mark.parametrize("app", sorted(MODULES))
def test_metric_cases(app: str, world: Any) -> None:
    module = MODULES[app]
    module.build(world)
    failures = []
    for case in module.CASES:
        org = Org.objects.get(code=case.org)
        window = Window.stats_year(case.year) if case.stats_year else Window.year(case.year)
        figure = registry.evaluate(OPERATOR, case.key, org, window, filters=case.filters, own_only=case.own_only)
        if figure.value != case.expected:
            failures.append(f"{case.key}{dict(case.filters) or ''} @{case.org} {case.year}: "
                            f"{figure.value} != {case.expected}")
    assert not failures, "\n".join(failures)
