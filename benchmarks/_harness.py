"""Shared set-up for benchmarks: a fresh, migrated database and a timer.

By default a new PostgreSQL database is created on 127.0.0.1 (dropped afterwards);
``--sqlite`` uses a temporary SQLite file instead. Each benchmark prints its
figures and ratios against a baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--sqlite", action="store_true", help="use a temporary SQLite database instead of PostgreSQL")
    p.add_argument("--pg", default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432"),
                   help="PostgreSQL server URL (without database name)")
    return p


@contextlib.contextmanager
def database(args: argparse.Namespace, name: str) -> Iterator[str]:
    """Point Django at a fresh database, migrate it, and drop it afterwards."""
    if args.sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
            _setup()
            yield "SQLite"
        return
    import psycopg

    db = f"gonghui_bench_{name}_{os.getpid()}"
    with psycopg.connect(f"{args.pg}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {db}")
        conn.execute(f"CREATE DATABASE {db}")
    os.environ["DATABASE_URL"] = f"{args.pg}/{db}"
    try:
        _setup()
        yield "PostgreSQL"
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(f"{args.pg}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gonghui.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def best_of(fn: Callable[[], object], repeat: int = 5) -> tuple[float, object]:
    """Median wall time in seconds of ``repeat`` runs (after one warm-up), and the last result."""
    result = fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f} ms"


@contextlib.contextmanager
def kept_database(args: argparse.Namespace, db: str, *, rebuild: bool = False) -> Iterator[str]:
    """Like ``database``, but a PostgreSQL database ``db`` is kept between runs (a large generated data
    set is built once and reused); ``rebuild`` drops it first. SQLite stays a temporary file."""
    if args.sqlite:
        with database(args, db) as vendor:
            yield vendor
        return
    import psycopg

    with psycopg.connect(f"{args.pg}/postgres", autocommit=True) as conn:
        if rebuild:
            conn.execute(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db]).fetchone() is None:
            conn.execute(f"CREATE DATABASE {db}")
    os.environ["DATABASE_URL"] = f"{args.pg}/{db}"
    try:
        _setup()
        yield "PostgreSQL"
    finally:
        from django.db import connections

        connections.close_all()


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far, in MiB (Linux reports KiB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
