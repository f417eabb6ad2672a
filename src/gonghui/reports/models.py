"""Models of the reports app; each report kind keeps its own in its package."""

from gonghui.reports.annual_return.models import AnnualReturn, CheckResult, ReturnValue
from gonghui.reports.summary.models import AnnualSummary, AnnualSummaryVersion, SummaryTemplate

__all__ = ["AnnualReturn", "AnnualSummary", "AnnualSummaryVersion", "CheckResult", "ReturnValue", "SummaryTemplate"]
