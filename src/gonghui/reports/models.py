"""Models of the reports app; each report kind keeps its own in its package."""

from gonghui.reports.summary.models import AnnualSummary, AnnualSummaryVersion, SummaryTemplate

__all__ = ["AnnualSummary", "AnnualSummaryVersion", "SummaryTemplate"]
