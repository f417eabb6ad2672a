"""Demo step: last statistical year's returns under 猎德街道 in every state of the workflow.

The grassroots unions fill what records cannot give (农民工 in the workforce, the
funds of 表5), explain their warnings and submit; the street accepts most of them,
returns the demo grassroots officer's union with a reason and leaves one awaiting
review; its own return sums the accepted ones and is still a draft.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from gonghui.demo import DemoContext
from gonghui.reports.annual_return import compute, services, state
from gonghui.reports.annual_return.models import AnnualReturn, ReturnStatus


def _fill(ret: AnnualReturn, rng: Any) -> AnnualReturn:
    ret = services.fill_blanks_with_zero(None, ret)
    values = state.load_cells(ret)
    members = values.value("2-04") or Decimal(0)
    workforce = values.value("2-01") or Decimal(0)
    migrants = max(values.value("2-06") or Decimal(0), min(workforce, members // 3))
    dues = (members * 24).quantize(Decimal("0.01"))
    remitted = Decimal(rng.randint(20, 80) * 1000)
    activities, rights = Decimal(rng.randint(10, 40) * 1000), Decimal(rng.randint(2, 9) * 1000)
    opening = Decimal(rng.randint(5, 30) * 1000)
    income, spent = dues + remitted, activities + rights
    column = compute.own_column(ret.org)
    changes = [
        {"row": "2-03", "column": column, "value": migrants},
        {"row": "5-01", "value": opening}, {"row": "5-03", "value": dues}, {"row": "5-04", "value": remitted},
        {"row": "5-02", "value": income}, {"row": "5-09", "value": activities}, {"row": "5-10", "value": rights},
        {"row": "5-08", "value": spent}, {"row": "5-15", "value": opening + income - spent},
    ]
    if ret.is_aggregate:
        changes = []
    ret = services.set_values(None, ret, changes)
    ret = services.update_cover(None, ret, principal="王建国", preparer="李敏", phone="020-38000000")
    warnings = {r.key: "已核实，情况属实" for r in ret.check_results.filter(severity="W")}
    return services.explain(None, ret, warnings) if warnings else ret


def build(ctx: DemoContext) -> None:
    rng = ctx.rng_for("annual_return")
    year = compute.default_year(ctx.today)
    street = ctx.orgs["GZ.TH.LD"]
    login_org = next((x["org"] for x in ctx.logins if x["username"] == "grassroots_officer"), "")
    kids = [k for k in compute.filing_children(street, year) if k.kind == "grassroots"]
    made = accepted = 0
    for i, org in enumerate(kids):
        ret = _fill(services.start_return(None, org, year, today=ctx.today), rng)
        made += 1
        try:
            ret = services.submit(None, ret)
        except ValidationError:
            continue  # records the demo cannot reconcile: the return stays a draft to fix
        if org.code == login_org:
            services.send_back(None, ret, "职工人数与上年差异较大，请核对本单位在岗职工台账后重新上报")
        elif i == len(kids) - 1:
            continue  # awaiting the street's review
        else:
            services.accept(None, ret)
            accepted += 1
    aggregate = services.start_return(None, street, year, today=ctx.today)
    _fill(aggregate, rng)
    ctx.counts["annual_returns"] = made + 1
    ctx.counts["annual_returns_accepted"] = accepted
    ctx.counts["annual_returns_returned"] = AnnualReturn.objects.filter(status=ReturnStatus.RETURNED).count()
