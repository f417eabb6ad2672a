"""Reporting windows: the calendar year, the statistical year (1 Oct – 30 Sep), any period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Window:
    """An inclusive date range a figure covers; stocks are taken at ``end``."""

    start: dt.date
    end: dt.date
    label: str = ""

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("window ends before it starts")

    @classmethod
    def year(cls, year: int) -> Window:
        """The reporting year, 1 January – 31 December."""
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year}年")

    @classmethod
    def stats_year(cls, year: int) -> Window:
        """The statistical year of the annual return: 1 October of the year before – 30 September."""
        return cls(dt.date(year - 1, 10, 1), dt.date(year, 9, 30), f"{year}统计年度")

    @classmethod
    def period(cls, start: dt.date, end: dt.date) -> Window:
        return cls(start, end, f"{start:%Y年%-m月%-d日}至{end:%Y年%-m月%-d日}")

    @property
    def range(self) -> tuple[dt.date, dt.date]:
        """For ``field__range=`` lookups (inclusive at both ends)."""
        return (self.start, self.end)

    def previous(self) -> Window:
        """The same window one year earlier (for 同比)."""
        def back(d: dt.date) -> dt.date:
            try:
                return d.replace(year=d.year - 1)
            except ValueError:  # 29 February
                return d.replace(year=d.year - 1, day=28)

        return Window(back(self.start), back(self.end), self.label)

    def __str__(self) -> str:
        return self.label or f"{self.start}—{self.end}"
