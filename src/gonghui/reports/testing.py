"""Metrics tested on known data: each app lists its cases in ``<app>/tests/metric_cases.py``.

``build(world)`` adds the app's records to the standard test world (see
``gonghui.testing``); ``CASES`` says what each figure must be. ``tests/test_metrics.py``
evaluates every case through the registry, and fails for an implemented metric
that no case covers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class MetricCase:
    key: str
    expected: int | Decimal | None
    org: str = "GZ"  # code of the union the figure is taken for
    year: int = 2025
    filters: Mapping[str, str] = field(default_factory=dict)
    own_only: bool = False
    stats_year: bool = False
