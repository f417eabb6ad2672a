import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client

from gonghui.core import audit
from gonghui.core.models import AuditLog
from gonghui.orgs import services

pytestmark = pytest.mark.django_db


def test_update_records_who_what_before_and_after(world) -> None:
    services.update_org(world.town_officer, world.union_a, name="甲公司工会（新）", covered_workers=130)
    row = AuditLog.objects.filter(object_type="orgs.Org", object_id=str(world.union_a.pk)).latest("id")
    assert row.user == world.town_officer and row.org == world.union_a and row.action == "update"
    assert row.before == {"name": "甲公司工会委员会", "covered_workers": 120}
    assert row.after == {"name": "甲公司工会（新）", "covered_workers": 130}


def test_audit_row_is_in_the_same_transaction(world) -> None:
    before = AuditLog.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.update_org(world.town_officer, world.union_a, name="回滚测试")
        raise RuntimeError("boom")
    assert AuditLog.objects.count() == before


def test_failed_validation_writes_nothing(world) -> None:
    before = AuditLog.objects.count()
    with pytest.raises(ValidationError):
        services.dissolve_org(world.town_officer, world.street_a, on=dt.date.today(), reason="测试")
    assert AuditLog.objects.count() == before


@pytest.mark.django_db(transaction=True)
def test_record_outside_a_transaction_is_refused(live_world) -> None:
    with pytest.raises(RuntimeError, match="transaction"):
        audit.record(None, "update", live_world.union_a)


def test_unchanged_save_writes_no_row(world) -> None:
    before = AuditLog.objects.count()
    services.update_org(world.town_officer, world.union_a, name=world.union_a.name)
    assert AuditLog.objects.count() == before


def test_audit_page_filters_and_is_scoped(world) -> None:
    services.update_org(world.officer_a, world.union_a, address="甲地址")
    services.update_org(world.officer_b, world.union_b, address="丙地址")
    client = Client()
    client.force_login(world.officer_a)
    page = client.get("/audit/").content.decode()
    assert "甲地址" in page and "丙地址" not in page
    assert "甲地址" not in client.get("/audit/?user=officer_b").content.decode()
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    assert "甲地址" not in client.get(f"/audit/?from={tomorrow}").content.decode()
    assert "甲地址" in client.get("/audit/?type=orgs.Org&action=update").content.decode()
    client.force_login(world.city_admin)
    page = client.get("/audit/").content.decode()
    assert "甲地址" in page and "丙地址" in page
