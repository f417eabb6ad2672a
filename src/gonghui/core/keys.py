"""Secrets that must survive restarts: created once under var/, never committed."""

from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path


def _new_keys() -> dict[str, str]:
    field_key = base64.b64encode(secrets.token_bytes(32)).decode()
    return {
        "secret_key": secrets.token_urlsafe(50),
        "field_keys": f"k1:{field_key}",
        "blind_index_key": base64.b64encode(secrets.token_bytes(32)).decode(),
    }


def load_keys(var_dir: Path) -> dict[str, str]:
    """Read var/keys.json, creating it atomically (mode 0600) on first use."""
    path = var_dir / "keys.json"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".keys.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump(_new_keys(), fh)
        try:
            # link() fails if another process won the race; then we read theirs.
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return json.loads(path.read_text())


def save_keys(var_dir: Path, keys: dict[str, str]) -> None:
    """Replace var/keys.json atomically (used by key rotation)."""
    path = var_dir / "keys.json"
    tmp = path.with_name(f".keys.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(keys, fh)
    os.replace(tmp, path)
