import datetime as dt
import json
import zipfile

import pytest
from django.db import connection

from gonghui.core import crypto, keyrotation
from gonghui.core.backup import create as create_backup
from gonghui.core.backup import restore as restore_backup
from gonghui.orgs import services
from gonghui.orgs.models import Officer

pytestmark = pytest.mark.django_db


def _raw_mobile(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT mobile FROM orgs_officer WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_round_trip_and_random_nonce() -> None:
    a, b = crypto.encrypt("13800138000"), crypto.encrypt("13800138000")
    assert a != b
    assert crypto.decrypt(a) == crypto.decrypt(b) == "13800138000"


def test_tampered_ciphertext_is_rejected() -> None:
    token = crypto.encrypt("440106198503121234")
    key_id, _, b64 = token.partition(":")
    raw = bytearray(__import__("base64").b64decode(b64))
    raw[-1] ^= 1
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(f"{key_id}:{__import__('base64').b64encode(bytes(raw)).decode()}")


def test_blind_index_is_keyed_normalised_and_per_purpose() -> None:
    assert crypto.blind_index("11010519491231002x", "id") == crypto.blind_index(" 11010519491231002X", "id")
    assert crypto.blind_index("13800138000", "id") != crypto.blind_index("13800138000", "phone")
    assert "1101" not in crypto.blind_index("11010519491231002X", "id")


def test_masks() -> None:
    assert crypto.mask_id_number("44010619850312123X") == "4401**********123X"
    assert crypto.mask_phone("13812345678") == "138****5678"
    assert crypto.mask_phone("") == ""


def test_field_is_encrypted_at_rest(world) -> None:
    officer = services.add_officer(None, world.union_a, role="chair", name="周敏", gender="female",
                                   mobile="13912345678", started_on=dt.date(2024, 1, 1))
    raw = _raw_mobile(officer.pk)
    assert "13912345678" not in raw and raw.startswith("k1:")
    assert Officer.objects.get(pk=officer.pk).mobile == "13912345678"


def test_audit_never_copies_personal_data(world) -> None:
    from gonghui.core.models import AuditLog

    officer = services.add_officer(None, world.union_a, role="chair", name="周敏", gender="female",
                                   mobile="13912345678", started_on=dt.date(2024, 1, 1))
    services.update_officer(None, officer, mobile="13700000000")
    rows = AuditLog.objects.filter(object_type="orgs.Officer", object_id=str(officer.pk))
    dumped = json.dumps([[r.before, r.after] for r in rows], ensure_ascii=False)
    assert "13912345678" not in dumped and "13700000000" not in dumped
    assert rows.count() == 2  # the change of a masked value is still recorded


def test_key_rotation_reencrypts_and_keeps_old_key(world, settings, tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("GONGHUI_FIELD_KEYS", raising=False)
    settings.VAR_DIR = tmp_path
    (tmp_path / "keys.json").write_text(json.dumps({
        "secret_key": "x", "field_keys": settings.FIELD_ENCRYPTION_KEYS, "blind_index_key": settings.BLIND_INDEX_KEY,
    }))
    officer = services.add_officer(None, world.union_a, role="chair", name="周敏", gender="female",
                                   mobile="13912345678", started_on=dt.date(2024, 1, 1))
    old_id = crypto.key_id_of(_raw_mobile(officer.pk))
    result = keyrotation.rotate()
    assert result["rows"] >= 1
    raw = _raw_mobile(officer.pk)
    assert crypto.key_id_of(raw) == result["key_id"] != old_id
    assert Officer.objects.get(pk=officer.pk).mobile == "13912345678"
    stored = json.loads((tmp_path / "keys.json").read_text())["field_keys"]
    assert stored.startswith(result["key_id"] + ":") and f",{old_id}:" in stored


def test_backup_is_encrypted_and_restores(world, tmp_path) -> None:
    from gonghui.orgs.models import Org

    officer = services.add_officer(None, world.union_a, role="chair", name="周敏", gender="female",
                                   mobile="13912345678", started_on=dt.date(2024, 1, 1))
    path = tmp_path / "backup.zip"
    manifest = create_backup(str(path))
    assert manifest["counts"]["orgs.org"] == Org.objects.count()
    data = zipfile.ZipFile(path).read("data.jsonl").decode()
    assert "13912345678" not in data and "周敏" in data
    services.update_org(None, world.union_a, name="备份后改名")
    Officer.objects.all().delete()
    restore_backup(str(path))
    assert Org.objects.get(code=world.union_a.code).name == "甲公司工会委员会"
    assert Officer.objects.get(pk=officer.pk).mobile == "13912345678"
    assert Org.objects.count() == manifest["counts"]["orgs.org"]
