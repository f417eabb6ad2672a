"""Figures on screen: the drill-down page behind every figure, and the dashboard of a union (issue 6)."""
