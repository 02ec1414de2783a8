"""Print performance figures of the foundation on a throw-away database (see README.md)."""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xiaoneng.settings")
os.environ.setdefault("XN_ENV", "test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

UNITS = int(os.environ.get("BENCH_UNITS", "2000"))
STAFF = int(os.environ.get("BENCH_STAFF", "20000"))
CASES = int(os.environ.get("BENCH_CASES", "50000"))


def timed(fn, repeat: int = 5) -> tuple[float, int]:
    times, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        queries = len(ctx.captured_queries)
    return statistics.median(times), queries


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run() -> None:
    from datetime import date

    from django.test import Client

    from core.audit import audit_record
    from core.calendar import add_working_days
    from core.testing import build_world, make_user
    from org.choices import UnitKind
    from org.models import Staff, Unit, UnitCategory

    print(f"database: {connection.vendor}; units {UNITS}, staff {STAFF}")
    world = build_world()
    category = UnitCategory.objects.first()
    start = time.perf_counter()
    departments = [Unit(name=f"部门{i}", code=f"BD{i}", kind=UnitKind.DEPARTMENT, category=category) for i in range(UNITS // 10)]
    Unit.objects.bulk_create(departments, batch_size=1000)
    departments = list(Unit.objects.filter(code__startswith="BD"))
    for unit in departments:
        unit.path = f"/{unit.pk:07d}/"
    Unit.objects.bulk_update(departments, ["path"], batch_size=1000)
    divisions = [
        Unit(name=f"{d.name}科{j}", code=f"{d.code}-{j}", kind=UnitKind.DIVISION, parent=d, depth=1) for d in departments for j in range(9)
    ]
    Unit.objects.bulk_create(divisions, batch_size=1000)
    divisions = list(Unit.objects.filter(kind=UnitKind.DIVISION, code__startswith="BD").select_related("parent"))
    for unit in divisions:
        unit.path = f"{unit.parent.path}{unit.pk:07d}/"
    Unit.objects.bulk_update(divisions, ["path"], batch_size=1000)
    everyone = departments + divisions
    Staff.objects.bulk_create(
        [Staff(name=f"员工{i}", unit=everyone[i % len(everyone)], phone="13800000000") for i in range(STAFF)], batch_size=2000
    )
    print(f"fill: {time.perf_counter() - start:.1f}s")

    liaison = make_user("unit_liaison", departments[0])
    for label, user in (("office", world.office), ("liaison (one department)", liaison)):
        client = Client()
        client.force_login(user)
        seconds, queries = timed(lambda c=client: c.get("/org/staff/?size=50"))
        print(f"staff list page, {label}: {seconds * 1000:.1f} ms median, {queries} queries")
        seconds, queries = timed(lambda c=client: c.get("/org/staff/?q=员工1&size=50"))
        print(f"staff list search, {label}: {seconds * 1000:.1f} ms median, {queries} queries")

    n = 2000
    begin = time.perf_counter()
    for i in range(n):
        add_working_days(date(2026, 1, 1 + i % 28), 10)
    print(f"add_working_days(…, 10): {n / (time.perf_counter() - begin):,.0f} per second")

    n = 500
    begin = time.perf_counter()
    for i in range(n):
        audit_record(action="bench.event", detail={"i": i})
    print(f"audit_record: {n / (time.perf_counter() - begin):,.0f} appends per second")

    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.jobs import job_start
    from core.models import Job
    from core.testing import credit_code
    from core.uploads import XLSX
    from core.xlsx import build_workbook
    from org.transfer import ENTERPRISE_COLUMNS

    rows = [[f"基准企业{i}有限公司", credit_code(900000 + i), "", "制造业", "", "", ""] for i in range(1000)]
    data = build_workbook([("企业", [c.header for c in ENTERPRISE_COLUMNS], rows)])
    begin = time.perf_counter()
    job = job_start(kind="org.import_enterprises", title="bench", user=world.office, upload=SimpleUploadedFile("e.xlsx", data, XLSX))
    job = Job.objects.get(pk=job.pk)
    print(f"enterprise import (1000 rows, all-or-nothing): {1000 / (time.perf_counter() - begin):,.0f} rows per second ({job.status})")
    if CASES:
        run_cases(world, departments)


def run_cases(world, units) -> None:  # type: ignore[no-untyped-def]
    """A year of cases at the scale of a large city's hotline: the list page, the yearly
    figures and the monthly three-rates ranking."""
    import random
    from datetime import datetime, timedelta

    from django.test import Client
    from django.utils import timezone

    from cases.choices import CaseStatus, Triage
    from cases.figures import case_figures, three_rates
    from cases.models import Case, Channel
    from core.testing import make_user

    rng = random.Random(7)
    channels = list(Channel.objects.all())
    tz = timezone.get_current_timezone()
    start = datetime(2025, 1, 1, 9, 0, tzinfo=tz)
    begin = time.perf_counter()
    rows = []
    for i in range(CASES):
        received = start + timedelta(minutes=rng.randrange(0, 360 * 24 * 60))
        closed = rng.random() < 0.97
        rows.append(
            Case(
                channel=rng.choice(channels),
                kind=rng.choice(["request", "complaint", "inquiry", "suggestion"]),
                title="路灯不亮",
                content="小区门口路灯不亮已一周。",
                contact_name="王",
                contact_phone="13800000000",
                tracking_code=f"B{i:09d}",
                received_at=received,
                triage=Triage.IN_SCOPE,
                unit=rng.choice(units),
                status=CaseStatus.CLOSED if closed else CaseStatus.IN_PROGRESS,
                deadline=(received + timedelta(days=14)).date(),
                completed_at=received + timedelta(days=5) if closed else None,
                closed_at=received + timedelta(days=6) if closed else None,
                handled_on_time=closed,
                satisfaction=rng.choice(["very_satisfied", "satisfied", "basically_satisfied", "dissatisfied"]) if closed else "",
            )
        )
    Case.objects.bulk_create(rows, batch_size=5000)
    print(f"cases: {CASES} filled in {time.perf_counter() - begin:.1f}s")
    liaison = make_user("unit_liaison", units[0])
    for label, user in (("office", world.office), ("liaison", liaison)):
        client = Client()
        client.force_login(user)
        seconds, queries = timed(lambda c=client: c.get("/cases/?size=50"))
        print(f"case list page, {label}: {seconds * 1000:.1f} ms median, {queries} queries")
    for dimension in ("unit", "channel", "month"):
        seconds, queries = timed(lambda d=dimension: case_figures(world.office, dimension=d, year=2025), repeat=3)
        print(f"case figures 2025 by {dimension}: {seconds * 1000:.1f} ms median, {queries} queries")
    seconds, queries = timed(lambda: three_rates(datetime(2025, 6, 1).date()), repeat=3)
    print(f"three-rates ranking of a month: {seconds * 1000:.1f} ms median, {queries} queries")


if __name__ == "__main__":
    main()
