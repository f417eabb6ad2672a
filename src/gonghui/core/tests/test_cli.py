import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from gonghui.cli import main
from gonghui.core.models import User

pytestmark = pytest.mark.django_db

CONTRACT_COMMANDS = ["demo", "user", "token", "backup", "restore", "migrate", "serve"]


def test_help_lists_the_commands_through_the_real_entry_point() -> None:
    exe = Path(sys.executable).with_name("gonghui")
    out = subprocess.run([str(exe), "--help"], capture_output=True, text=True, check=True).stdout
    for name in CONTRACT_COMMANDS:
        assert f" {name} " in out or f" {name}\n" in out, name


def test_user_add_and_token_work_with_the_api(world, capsys) -> None:
    assert main(["user", "add", "li_si", "--org", "GZ.A.S1", "--role", "officer", "--password", "Str0ng-pass!",
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["username"] == "li_si"
    assert main(["token", "li_si", "--json"]) == 0
    token = json.loads(capsys.readouterr().out.strip().splitlines()[-1])["token"]
    body = Client().get("/api/v1/orgs", headers={"Authorization": f"Bearer {token}"}).json()
    assert {o["code"] for o in body["items"]} == {"GZ.A.S1", "GZ.A.S1.0001", "GZ.A.S1.0002"}


@pytest.mark.parametrize("argv", [
    ["user", "add", "x1", "--org", "NOPE", "--role", "officer", "--password", "Str0ng-pass!"],
    ["user", "add", "x2", "--org", "GZ", "--role", "king", "--password", "Str0ng-pass!"],
    ["user", "add", "x3", "--org", "GZ", "--role", "officer", "--password", "123"],
    ["token", "ghost"],
])
def test_bad_input_exits_2_with_a_chinese_message(world, capsys, argv) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：")
    assert not User.objects.filter(username__in=["x1", "x2", "x3"]).exists()


def test_bad_usage_exits_2() -> None:
    with pytest.raises(SystemExit) as exc:
        main(["user", "add"])
    assert exc.value.code == 2


def test_passwd_resets_and_unlocks(world, capsys) -> None:
    User.objects.filter(username="officer_a").update(failed_logins=3)
    assert main(["user", "passwd", "officer_a", "--password", "N3w-password!"]) == 0
    user = User.objects.get(username="officer_a")
    assert user.check_password("N3w-password!") and user.failed_logins == 0


def test_backup_and_restore_commands(world, tmp_path, capsys) -> None:
    path = tmp_path / "b.zip"
    assert main(["backup", "-o", str(path), "--json"]) == 0
    manifest = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert manifest["counts"]["orgs.org"] == 8
    assert main(["restore", str(tmp_path / "missing.zip")]) == 2
    assert main(["restore", str(path)]) == 0
