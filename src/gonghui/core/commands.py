"""Commands for operators: accounts, tokens, demo data, migrations, serving, backups, keys."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management import call_command

from gonghui.cli import CommandError, command, emit


def _validation_message(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "；".join(f"{m}" for msgs in exc.message_dict.values() for m in msgs)
    return "；".join(exc.messages)


@command("demo", "生成演示数据：市总工会、区县与街镇总工会、数百个基层工会、会员及各业务记录")
class Demo:
    @staticmethod
    def configure(p: argparse.ArgumentParser) -> None:
        p.add_argument("--members", type=int, default=40000,
                       help="会员人数（默认40000：约为演示用人单位职工的八成多，入会率可信）")
        p.add_argument("--seed", type=int, default=2026, help="随机种子：相同种子生成相同数据")
        p.add_argument("--if-empty", action="store_true", help="数据库已有数据时什么也不做")
        p.add_argument("--json", action="store_true", help="最后一行输出JSON")

    @staticmethod
    def run(args: argparse.Namespace) -> int:
        from gonghui import demo
        from gonghui.orgs.models import Org

        if not demo.database_is_empty():
            if args.if_empty:
                emit(args, {"orgs": [], "logins": [], "skipped": True}, ["数据库已有数据，跳过演示数据。"])
                return 0
            raise CommandError("数据库中已有数据。演示数据只能装入空数据库：可删除 var/ 下的数据库后重新执行。")
        if args.members < 0:
            raise CommandError("--members 不能为负数")

        def progress(step: str, ctx: Any) -> None:
            print(f"  {step.rsplit('.', 2)[-2]} 完成", file=sys.stderr)

        ctx = demo.run(members=args.members, seed=args.seed, progress=progress)
        codes = list(Org.objects.order_by("path").values_list("code", flat=True))
        lines = [f"演示数据已生成：工会 {ctx.counts.get('orgs', 0)} 个，用人单位 {ctx.counts.get('employers', 0)} 家，"
                 f"会员 {ctx.counts.get('members', 0)} 人（用时 {sum(ctx.timings.values()):.0f} 秒）。"
                 "演示账号见 gonghui logins。"]
        emit(args, {"orgs": codes, "logins": [{k: x[k] for k in ("username", "password", "org", "role")}
                                              for x in ctx.logins], "counts": ctx.counts}, lines)
        return 0


@command("logins", "列出演示账号（make run 启动时显示）")
class Logins:
    @staticmethod
    def configure(p: argparse.ArgumentParser) -> None:
        p.add_argument("--json", action="store_true")

    @staticmethod
    def run(args: argparse.Namespace) -> int:
        from gonghui.core.models import RoleAssignment
        from gonghui.demo import DEMO_PASSWORD

        rows = (RoleAssignment.objects.filter(user__username__in=["city_admin", "town_officer", "grassroots_officer"])
                .select_related("user", "org", "role").order_by("org__depth"))
        logins = [{"username": a.user.username, "password": DEMO_PASSWORD, "org": a.org.code, "role": a.role.code,
                   "org_name": a.org.name} for a in rows]
        emit(args, {"logins": logins},
             [f"  {x['username']:<20} 密码 {x['password']}  {x['org_name']}（{x['org']}）" for x in logins])
        return 0


@command("user", "账户管理：gonghui user add NAME --org CODE --role ROLE [--password P]")
class UserCmd:
    @staticmethod
    def configure(p: argparse.ArgumentParser) -> None:
        sub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
        add = sub.add_parser("add", help="新建用户并分配角色")
        add.add_argument("name", help="用户名")
        add.add_argument("--org", required=True, help="工会代码，如 GZ.TH")
        add.add_argument("--role", required=True,
                         help="角色：federation_admin（管理员）、officer（工会干部）、clerk（录入员）、viewer（只读）")
        add.add_argument("--password", help="密码（不填则自动生成并显示）")
        add.add_argument("--full-name", default="", help="姓名")
        add.add_argument("--own-only", action="store_true", help="只管理本级，不含所属下级工会")
        add.add_argument("--json", action="store_true")
        passwd = sub.add_parser("passwd", help="重置密码（同时解除锁定）")
        passwd.add_argument("name")
        passwd.add_argument("--password", help="新密码（不填则自动生成并显示）")
        passwd.add_argument("--json", action="store_true")

    @staticmethod
    def run(args: argparse.Namespace) -> int:
        import secrets

        from gonghui.core import services
        from gonghui.core.models import User
        from gonghui.orgs.models import Org

        password = args.password or secrets.token_urlsafe(12)
        try:
            if args.action == "add":
                org = Org.objects.filter(code=args.org.strip().upper()).first()
                if org is None:
                    raise CommandError(f"找不到工会代码“{args.org}”")
                user = services.create_user(None, args.name, org=org, role_code=args.role, password=password,
                                            full_name=args.full_name, include_subtree=not args.own_only)
                lines = [f"已创建用户 {user.username}：{org.name}（{org.code}），角色 {args.role}"
                         + ("，仅本级" if args.own_only else "，含所属工会")]
            else:
                found = User.objects.filter(username=args.name).first()
                if found is None:
                    raise CommandError(f"没有用户“{args.name}”")
                user = found
                services.set_password(None, user, password)
                lines = [f"已重置 {user.username} 的密码并解除锁定"]
        except ValidationError as exc:
            raise CommandError(_validation_message(exc)) from None
        if not args.password:
            lines.append(f"密码：{password}")
        emit(args, {"username": user.username, "password": None if args.password else password}, lines)
        return 0


@command("token", "为用户签发 API 令牌：gonghui token NAME")
class Token:
    @staticmethod
    def configure(p: argparse.ArgumentParser) -> None:
        p.add_argument("name", help="用户名")
        p.add_argument("--label", default="命令行签发", help="令牌名称")
        p.add_argument("--json", action="store_true")

    @staticmethod
    def run(args: argparse.Namespace) -> int:
        from gonghui.core import services
        from gonghui.core.models import User

        user = User.objects.filter(username=args.name, is_active=True).first()
        if user is None:
            raise CommandError(f"没有有效用户“{args.name}”")
        _token, key = services.create_token(None, user, args.label)
        if args.json:
            emit(args, {"username": user.username, "token": key})
        else:
            print(key)
        return 0


@command("migrate", "执行数据库迁移（make run 会自动执行）")
class Migrate:
    @staticmethod
    def configure(p: argparse.ArgumentParser) -> None:
        p.add_argument("--check", action="store_true", help="只检查是否有未执行的迁移")

    @staticmethod
    def run(args: argparse.Namespace) -> int:
        if args.check:
            call_command("migrate", check=True, verbosity=0)
            return 0
        call_command("migrate", interactive=False, verbosity=1)
        return 0


@command("worker", "运行后台任务进程（导入、报告等长任务）")
class Worker:
    @staticmethod
    def configure(p: argparse.ArgumentParser) -> None:
        p.add_argument("--batch", action="store_true", help="处理完队列中的任务后退出")

    @staticmethod
    def run(args: argparse.Namespace) -> int:
        options: dict[str, Any] = {"interval": 0.5}
        if args.batch:
            options["batch"] = True
        call_command("db_worker", **options)
        return 0


@command("serve", "在 127.0.0.1 上提供网页和 API 服务，并启动后台任务进程")
class Serve:
    @staticmethod
    def configure(p: argparse.ArgumentParser) -> None:
        p.add_argument("--port", type=int, default=8000)
        p.add_argument("--host", default="127.0.0.1")
        p.add_argument("--threads", type=int, default=8)
        p.add_argument("--no-worker", action="store_true", help="不启动后台任务进程")

    @staticmethod
    def run(args: argparse.Namespace) -> int:
        from waitress import serve

        from gonghui.wsgi import application

        worker = None
        if not args.no_worker:
            worker = subprocess.Popen([sys.executable, "-m", "gonghui.cli", "worker"], env=os.environ.copy())
        print(f"工会通已启动：http://{args.host}:{args.port}/  （按 Ctrl+C 停止）", flush=True)
        try:
            serve(application, host=args.host, port=args.port, threads=args.threads, ident="gonghui",
                  clear_untrusted_proxy_headers=True)
        finally:
            if worker is not None:
                worker.send_signal(signal.SIGTERM)
                worker.wait(timeout=20)
        return 0


@command("manage", "运行 Django 管理命令（如 gonghui manage shell）")
class Manage:
    @staticmethod
    def configure(p: argparse.ArgumentParser) -> None:
        p.add_argument("rest", nargs=argparse.REMAINDER, help="django-admin 的参数")

    @staticmethod
    def run(args: argparse.Namespace) -> int:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["gonghui manage", *args.rest])
        return 0


@command("backup", "完整、一致的备份：gonghui backup -o FILE")
class Backup:
    @staticmethod
    def configure(p: argparse.ArgumentParser) -> None:
        p.add_argument("-o", "--output", required=True, help="备份文件（.zip）")
        p.add_argument("--json", action="store_true")

    @staticmethod
    def run(args: argparse.Namespace) -> int:
        from gonghui.core import backup

        manifest = backup.create(args.output)
        total = sum(manifest["counts"].values())
        emit(args, {"file": args.output, **manifest}, [f"已备份 {total} 条记录到 {args.output}"])
        return 0


@command("restore", "从备份恢复（替换当前数据库中的全部数据）：gonghui restore FILE")
class Restore:
    @staticmethod
    def configure(p: argparse.ArgumentParser) -> None:
        p.add_argument("file")
        p.add_argument("--json", action="store_true")

    @staticmethod
    def run(args: argparse.Namespace) -> int:
        from gonghui.core import backup

        try:
            manifest = backup.restore(args.file)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        total = sum(manifest["counts"].values())
        emit(args, {"file": args.file, **manifest}, [f"已从 {args.file} 恢复 {total} 条记录"])
        return 0


@command("rotate-keys", "轮换个人信息加密密钥：新密钥加密全部敏感字段，旧密钥保留用于读取")
class RotateKeys:
    @staticmethod
    def configure(p: argparse.ArgumentParser) -> None:
        p.add_argument("--json", action="store_true")

    @staticmethod
    def run(args: argparse.Namespace) -> int:
        from gonghui.core import keyrotation

        try:
            result = keyrotation.rotate()
        except keyrotation.RotationError as exc:
            raise CommandError(str(exc)) from None
        emit(args, result, [f"已启用新密钥 {result['key_id']}，重新加密 {result['rows']} 条记录。",
                            "旧密钥仍保留在 var/keys.json 中，用于恢复轮换前的备份。"])
        return 0
