"""Member import speed (issue 4): 100,000 rows with full validation, SQLite and PostgreSQL.

Prints rows/s of the import (read + normalise + validate + classify + write, one
transaction), its ratio to a bare python-calamine read of the same file measured
in the same run, and the ratio to django-import-export (bulk mode) importing the
same rows into the same Person table, plus the peak RSS of each import process.
Each import runs in its own process on a fresh database (see ``_harness``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _harness import ROOT, database, parser


def generate(path: Path, rows: int, seed: int = 4) -> None:
    """A realistic member workbook: title rows, the template header, ``rows`` valid people."""
    import xlsxwriter

    from gonghui.core import demo_data, idnumber
    from gonghui.members.importers import TEMPLATE_HEADERS

    rng = random.Random(seed)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    ws = wb.add_worksheet("会员信息")
    ws.write_string(0, 0, "基准测试会员花名册")
    for c, h in enumerate(TEMPLATE_HEADERS):
        ws.write_string(1, c, h)
    start = dt.date(1966, 1, 1)
    used: set[str] = set()
    educations = ["大学本科", "大学专科", "高中", "初中", "中专"]
    r = 1
    while r - 1 < rows:
        gender = "male" if rng.random() < 0.55 else "female"
        birth = start + dt.timedelta(days=rng.randint(0, 36 * 365))
        migrant = rng.random() < 0.35
        number = demo_data.id_number(rng, birth, gender, migrant)
        if number in used:
            continue
        used.add(number)
        r += 1
        values = [r - 1, demo_data.person_name(rng, gender), "男" if gender == "male" else "女", birth.isoformat(),
                  "汉族", "在岗", "居民身份证", number, rng.choice(educations), "中级工", demo_data.mobile(rng),
                  "农业户口" if migrant else "非农业户口", "广东省广州市", "入会",
                  f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "", "群众",
                  f"广州基准{rng.randint(1, 300)}号有限公司", "广东广州", "是" if migrant else "否"]
        for c, v in enumerate(values):
            if isinstance(v, int):
                ws.write_number(r, c, v)
            else:
                ws.write_string(r, c, v)
    wb.close()
    assert idnumber  # imported for its side effects in demo_data


def bare_read(path: Path) -> tuple[float, int]:
    """python-calamine alone: open the workbook and iterate every row of the first sheet."""
    from python_calamine import CalamineWorkbook

    def once() -> int:
        wb = CalamineWorkbook.from_path(str(path))
        n = 0
        for _row in wb.get_sheet_by_index(0).iter_rows():
            n += 1
        return n

    once()
    times, n = [], 0
    for _ in range(3):
        t = time.perf_counter()
        n = once()
        times.append(time.perf_counter() - t)
    return statistics.median(times), n


def _union() -> object:
    from gonghui.core.roles import ensure_default_roles
    from gonghui.testing import make_org

    ensure_default_roles()
    root = make_org(None, "BM", name="基准测试市总工会", kind="federation", level="city")
    return make_org(root, "BM.0001", name="基准测试基层工会")


def child_read(path: Path) -> dict[str, object]:
    """The bare read in a process of its own, for its peak RSS (the memory floor of any import)."""
    seconds, n = bare_read(path)
    return {"rows": n, "seconds": seconds, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def child_ours(args: object, path: Path) -> dict[str, object]:
    with database(args, "import") as vendor:  # type: ignore[arg-type]
        from gonghui.members.importers import import_members
        from gonghui.members.models import Member

        union = _union()
        t = time.perf_counter()
        result = import_members(path, union)
        seconds = time.perf_counter() - t
        assert result.rejected == 0 and result.created == Member.objects.count(), result.as_dict(limit=5)
        t = time.perf_counter()
        again = import_members(path, union)
        reimport = time.perf_counter() - t
        assert again.unchanged == result.created and again.created == again.updated == 0
        return {"vendor": vendor, "rows": result.rows, "seconds": seconds, "reimport_seconds": reimport,
                "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def child_peer(args: object, path: Path, limit: int) -> dict[str, object]:
    with database(args, "peer") as vendor:  # type: ignore[arg-type]
        import tablib
        from import_export import fields, resources

        from gonghui.members.importers import id_bidx
        from gonghui.members.models import Person

        class PersonResource(resources.ModelResource):
            name = fields.Field(attribute="name", column_name="姓名")
            id_number = fields.Field(attribute="id_number", column_name="证件号码")
            id_number_bidx = fields.Field(attribute="id_number_bidx", column_name="id_number_bidx")
            gender = fields.Field(attribute="gender", column_name="性别")
            birth_date = fields.Field(attribute="birth_date", column_name="出生日期")
            ethnicity = fields.Field(attribute="ethnicity", column_name="民族")
            mobile = fields.Field(attribute="mobile", column_name="移动电话")
            household_place = fields.Field(attribute="household_place", column_name="户籍所在地")
            native_place = fields.Field(attribute="native_place", column_name="籍贯")

            class Meta:
                model = Person
                use_bulk = True
                batch_size = 2000
                skip_diff = True
                import_id_fields = ("id_number_bidx",)
                fields = ("name", "id_number", "id_number_bidx", "gender", "birth_date", "ethnicity", "mobile",
                          "household_place", "native_place")

            def before_import_row(self, row: object, **kwargs: object) -> None:
                row["id_number_bidx"] = id_bidx(str(row["证件号码"]))  # type: ignore[index]

        t = time.perf_counter()
        from openpyxl import load_workbook

        ws = load_workbook(str(path), read_only=True).worksheets[0]
        rows = ws.iter_rows(min_row=2, values_only=True)
        headers = [str(h) for h in next(rows)]
        data = tablib.Dataset(headers=headers)
        for i, row in enumerate(rows):
            if i >= limit:
                break
            data.append(row)
        data.append_col([""] * len(data), header="id_number_bidx")
        result = PersonResource().import_data(data, dry_run=False, raise_errors=True)
        seconds = time.perf_counter() - t
        assert not result.has_errors() and Person.objects.count() == len(data)
        return {"vendor": vendor, "rows": len(data), "seconds": seconds,
                "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def spawn(*extra: str) -> dict[str, object]:
    out = subprocess.run([sys.executable, __file__, *extra], check=True, capture_output=True, text=True,
                         cwd=ROOT / "benchmarks")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    p = parser(__doc__ or "")
    p.add_argument("--rows", type=int, default=100_000)
    p.add_argument("--peer-rows", type=int, default=0,
                   help="rows given to django-import-export (default: all; it takes a minute or more for 100,000)")
    p.add_argument("--child", choices=["ours", "peer", "read"])
    p.add_argument("--file")
    p.add_argument("--only", choices=["sqlite", "pg"], help="run one database only")
    args = p.parse_args()
    if args.child:
        if args.child == "read":
            result = child_read(Path(args.file))
        elif args.child == "ours":
            result = child_ours(args, Path(args.file))
        else:
            result = child_peer(args, Path(args.file), args.peer_rows)
        print(json.dumps(result))
        return

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gonghui.settings")
    import django

    django.setup()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "members.xlsx"
        t = time.perf_counter()
        generate(path, args.rows)
        print(f"member import — {args.rows} rows generated in {time.perf_counter() - t:.1f}s "
              f"({path.stat().st_size / 1e6:.1f} MB)")
        read_s, n = bare_read(path)
        read_rss = float(spawn("--child", "read", "--file", str(path), "--sqlite")["rss_mb"])  # type: ignore[arg-type]
        print(f"  bare python-calamine read (baseline)          {read_s:7.2f} s   {args.rows / read_s:9.0f} rows/s"
              f"   peak RSS {read_rss:5.0f} MB (its own process)")
        runs = []
        if args.only != "pg":
            runs.append(("SQLite", spawn("--child", "ours", "--file", str(path), "--sqlite")))
        if args.only != "sqlite":
            runs.append(("PostgreSQL", spawn("--child", "ours", "--file", str(path), "--pg", args.pg)))
        for name, r in runs:
            s = float(r["seconds"])  # type: ignore[arg-type]
            print(f"  import with full validation, {name:<10}      {s:7.2f} s   {args.rows / s:9.0f} rows/s   "
                  f"{s / read_s:4.1f}x the bare read   peak RSS {float(r['rss_mb']):5.0f} MB   "  # type: ignore[arg-type]
                  f"re-import (all unchanged) {float(r['reimport_seconds']):5.2f} s")  # type: ignore[arg-type]
        peer = spawn("--child", "peer", "--file", str(path), "--sqlite", "--peer-rows",
                     str(args.peer_rows or args.rows))
        peer_rate = float(peer["rows"]) / float(peer["seconds"])  # type: ignore[arg-type]
        print(f"  django-import-export (bulk), SQLite, {peer['rows']} rows  {float(peer['seconds']):7.2f} s"  # type: ignore[arg-type]
              f"   {peer_rate:9.0f} rows/s   peak RSS {float(peer['rss_mb']):5.0f} MB")  # type: ignore[arg-type]
        for name, r in runs:
            rate = args.rows / float(r["seconds"])  # type: ignore[arg-type]
            print(f"  ours ({name}) vs django-import-export (rows/s)   {rate / peer_rate:5.1f}x")
        assert n >= args.rows


if __name__ == "__main__":
    main()
