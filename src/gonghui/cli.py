"""The ``gonghui`` command line: one entry point, sub-commands contributed by the domain apps.

Exit codes (CONTRACT.md): 0 success, 1 finished but some input rejected,
2 bad usage or unreadable input (nothing written). With ``--json`` the last
line on stdout is one JSON object.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# Modules that register commands, in the order they are listed by --help.
COMMAND_MODULES = [
    "gonghui.core.commands",
    "gonghui.members.commands",
    "gonghui.reports.commands",
    "gonghui.activities.commands",
]


class CommandError(Exception):
    """A failure to report in Chinese with an exit code (2: bad usage or input)."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass
class Command:
    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int | None]


REGISTRY: dict[str, Command] = {}


def command(name: str, help: str) -> Callable[[Any], Any]:
    """Register a class with ``configure(parser)`` and ``run(args)`` static methods."""

    def wrap(cls: Any) -> Any:
        REGISTRY[name] = Command(name, help, cls.configure, cls.run)
        return cls

    return wrap


def emit(args: argparse.Namespace, data: dict[str, Any], lines: list[str] | None = None) -> None:
    """Print human lines, or with --json one JSON object as the last line."""
    if getattr(args, "json", False):
        for line in lines or []:
            print(line, file=sys.stderr)
        print(json.dumps(data, ensure_ascii=False, default=str))
    else:
        for line in lines or []:
            print(line)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gonghui",
        description="工会通命令行：演示数据、会员导入导出、统计、报告、账户与令牌、备份恢复、服务运行。",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="命令")
    for name in COMMAND_MODULES:
        importlib.import_module(name)
    for cmd in REGISTRY.values():
        p = sub.add_parser(cmd.name, help=cmd.help, description=cmd.help)
        cmd.configure(p)
    return parser


def main(argv: list[str] | None = None) -> int:
    if argv is None and hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `gonghui stats | head` ends quietly
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gonghui.settings")
    import django

    django.setup()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    try:
        code = REGISTRY[args.command].run(args)
    except CommandError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        if getattr(args, "json", False):
            print(json.dumps({"error": str(exc)}, ensure_ascii=False))
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    return code or 0


if __name__ == "__main__":
    # Run through the importable module, so commands register in the one REGISTRY.
    from gonghui.cli import main as _main

    sys.exit(_main())
