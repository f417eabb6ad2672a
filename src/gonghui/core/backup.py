"""Full, consistent backup and restore of every table, across SQLite and PostgreSQL.

A backup is a zip of ``manifest.json`` and ``data.jsonl`` (Django's line-delimited
serialisation, read back as a stream). It is taken inside one read transaction
(REPEATABLE READ on PostgreSQL) so it is a snapshot of one moment. Personal data
stays encrypted in the file: restoring needs the same field keys.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

from gonghui.core.crypto import parse_keys

FORMAT = 1
EXCLUDE = ["contenttypes", "auth.permission", "sessions", "django_tasks_database"]


class BackupError(Exception):
    pass


def _applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def create(path: str) -> dict[str, Any]:
    """Write a backup of the whole database to ``path``; returns the manifest."""
    target = Path(path)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data.jsonl"
        nested = connection.in_atomic_block  # inside a caller's transaction: use its snapshot
        with transaction.atomic():
            if connection.vendor == "postgresql" and not nested:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            call_command("dumpdata", format="jsonl", exclude=EXCLUDE, output=str(data), verbosity=0)
            migrations = _applied_migrations()
        counts: Counter[str] = Counter()
        with data.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    counts[json.loads(line)["model"]] += 1
        manifest = {
            "format": FORMAT,
            "product": "gonghui",
            "created_at": dt.datetime.now(dt.UTC).isoformat(),
            "database": connection.vendor,
            "migrations": migrations,
            "counts": dict(sorted(counts.items())),
            "field_key_ids": [key_id for key_id, _ in parse_keys(settings.FIELD_ENCRYPTION_KEYS)],
        }
        target.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
            zf.write(data, "data.jsonl")
    return manifest


def restore(path: str) -> dict[str, Any]:
    """Replace all data with the backup's, in one transaction; returns its manifest."""
    source = Path(path)
    if not source.is_file():
        raise BackupError(f"找不到备份文件 {path}")
    try:
        zf = zipfile.ZipFile(source)
        manifest = json.loads(zf.read("manifest.json"))
    except (zipfile.BadZipFile, KeyError, json.JSONDecodeError):
        raise BackupError(f"{path} 不是工会通的备份文件") from None
    if manifest.get("product") != "gonghui" or manifest.get("format") != FORMAT:
        raise BackupError("备份文件格式不受支持")
    current = _applied_migrations()
    ours = {app: names for app, names in current.items() if app in manifest["migrations"]}
    if ours != manifest["migrations"]:
        raise BackupError("备份来自不同版本的数据库结构：请用与备份时相同版本的工会通恢复，或先执行 gonghui migrate")
    known = {key_id for key_id, _ in parse_keys(settings.FIELD_ENCRYPTION_KEYS)}
    missing = [k for k in manifest.get("field_key_ids", []) if k not in known]
    if missing and any(f.__class__.__name__ == "EncryptedTextField" for m in apps.get_models()
                       for f in m._meta.concrete_fields):
        raise BackupError(f"缺少备份时使用的加密密钥 {','.join(missing)}：请先恢复 var/keys.json 或 GONGHUI_FIELD_KEYS")
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data.jsonl"
        data.write_bytes(zf.read("data.jsonl"))
        with transaction.atomic():
            postgres = connection.vendor == "postgresql"
            if postgres:  # TRUNCATE refuses while earlier writes have deferred FK checks pending
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
            if postgres:
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            call_command("loaddata", str(data), verbosity=0)
    return manifest
