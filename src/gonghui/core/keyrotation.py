"""Rotate the AES-GCM key of personal data: a new key encrypts every row again.

The new key goes first in ``var/keys.json``; older keys stay so backups taken
before the rotation can still be restored. Keys given by GONGHUI_FIELD_KEYS are
rotated by the operator in the environment instead (see README).
"""

from __future__ import annotations

import base64
import os
import secrets
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import transaction

from gonghui.core.crypto import EncryptedTextField, parse_keys
from gonghui.core.keys import load_keys, save_keys


class RotationError(Exception):
    pass


def encrypted_fields() -> list[tuple[Any, list[str]]]:
    out = []
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if names:
            out.append((model, names))
    return out


def rotate(batch_size: int = 2000) -> dict[str, Any]:
    """Add a new newest key and re-encrypt every encrypted column with it."""
    if os.environ.get("GONGHUI_FIELD_KEYS"):
        raise RotationError(
            "密钥来自环境变量 GONGHUI_FIELD_KEYS：请在环境变量最前面加入新密钥（id:base64）后执行本命令")
    keys = load_keys(settings.VAR_DIR)
    existing = parse_keys(keys["field_keys"])
    used = {key_id for key_id, _ in existing}
    n = len(existing) + 1
    while f"k{n}" in used:
        n += 1
    key_id = f"k{n}"
    new_spec = f"{key_id}:{base64.b64encode(secrets.token_bytes(32)).decode()}," + keys["field_keys"]
    settings.FIELD_ENCRYPTION_KEYS = new_spec
    rows = 0
    with transaction.atomic():
        for model, names in encrypted_fields():
            qs = model._default_manager.order_by("pk").only("pk", *names)
            batch = []
            for obj in qs.iterator(chunk_size=batch_size):
                batch.append(obj)
                if len(batch) >= batch_size:
                    model._default_manager.bulk_update(batch, names)
                    rows += len(batch)
                    batch = []
            if batch:
                model._default_manager.bulk_update(batch, names)
                rows += len(batch)
        keys["field_keys"] = new_spec
        save_keys(settings.VAR_DIR, keys)
    return {"key_id": key_id, "rows": rows}
