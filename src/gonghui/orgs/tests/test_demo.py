import datetime as dt
import json

import pytest

from gonghui.cli import main
from gonghui.core import idnumber, uscc
from gonghui.core.models import User
from gonghui.orgs.models import Employer, Officer, Org, OrgEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_json(django_db_setup, django_db_blocker):
    """One demo build shared by the tests of this module (it takes a few seconds)."""
    import io
    from contextlib import redirect_stdout

    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        buffer = io.StringIO()
        with redirect_stdout(buffer):
            assert main(["demo", "--members", "50", "--seed", "7", "--json"]) == 0
        yield json.loads(buffer.getvalue().strip().splitlines()[-1])
        transaction.set_rollback(True)  # leave the test database as it was


def test_demo_json_lists_orgs_and_three_logins(demo_json) -> None:
    assert "GZ" in demo_json["orgs"] and "GZ.TH.LD" in demo_json["orgs"]
    roles = {x["username"]: (x["org"], x["role"]) for x in demo_json["logins"]}
    assert roles["city_admin"] == ("GZ", "federation_admin")
    assert roles["town_officer"] == ("GZ.TH.LD", "officer")
    assert roles["grassroots_officer"][0].startswith("GZ.TH.LD.")
    for login in demo_json["logins"]:
        assert User.objects.get(username=login["username"]).check_password(login["password"])


def test_demo_is_believable(demo_json) -> None:
    grassroots = Org.objects.filter(kind="grassroots")
    assert 300 <= grassroots.count() <= 1000
    assert Org.objects.filter(mode="joint").exists() and Org.objects.filter(kind="industry").count() == 2
    assert all(uscc.validate(c) == c for c in Employer.objects.exclude(uscc="").values_list("uscc", flat=True))
    assert Employer.objects.filter(covering_unions__isnull=True).count() > 50  # employers without a union
    names = list(Officer.objects.values_list("name", flat=True)[:200])
    assert all(2 <= len(n) <= 3 for n in names)
    assert OrgEvent.objects.filter(kind="moved").count() == 3
    assert OrgEvent.objects.filter(kind="dissolved").count() == 6
    this_year = dt.date.today().year
    for year in (this_year - 2, this_year - 1, this_year):
        assert grassroots.filter(founded_on__year=year).exists(), year


def test_demo_refuses_a_database_with_data(demo_json, capsys) -> None:
    assert main(["demo"]) == 2
    assert "已有数据" in capsys.readouterr().err
    assert main(["demo", "--if-empty"]) == 0


def test_generated_ids_are_valid() -> None:
    import random

    from gonghui.core import demo_data

    rng = random.Random(5)
    for _ in range(100):
        birth = demo_data.birth_date(rng, dt.date(2026, 1, 1))
        assert idnumber.parse(demo_data.id_number(rng, birth, "female", migrant=True)).gender == "female"
