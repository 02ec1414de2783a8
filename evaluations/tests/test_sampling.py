"""千项办件看效能: the handled-cases population (all-or-nothing .xlsx import, or the cases
app through its adapter), the stratified sample reproducible from its recorded seed, and
the call-back queue with its "fully satisfied" count."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.jobs import job_start
from core.models import Job, JobStatus
from core.xlsx import build_workbook
from evaluations import adapters, services
from evaluations.choices import CampaignKind, SampleStatus
from evaluations.models import HandledCase, SampledCase
from evaluations.selectors import campaign_figures
from evaluations.tests import helpers

pytestmark = pytest.mark.django_db


def _cases(unit: Any, n: int, prefix: str) -> None:
    closed = timezone.now() - timedelta(days=3)
    for i in range(n):
        services.handled_case_upsert(
            unit=unit, ref=f"{prefix}-{i:03d}", summary="办理营业执照", closed_at=closed, contact_phone="13800138000"
        )


def _campaign(world: Any, per_unit: int = 3) -> Any:
    c = helpers.campaign(world, kind=CampaignKind.HANDLED_CASES, units=[world.unit_a, world.unit_b], open_=False)
    services.campaign_update(actor=world.office, campaign=c, sample_per_unit=per_unit)
    c.refresh_from_db()
    return c


def test_draw_sample_is_stratified_and_reproducible_from_its_seed() -> None:
    population = {1: [f"A{i}" for i in range(20)], 2: [f"B{i}" for i in range(5)], 3: ["C1"]}
    first = services.draw_sample(population, 3, seed=20250101)
    assert {k: len(v) for k, v in first.items()} == {1: 3, 2: 3, 3: 1}
    # the order the population arrives in does not matter; the seed alone fixes the sample
    shuffled = {k: list(reversed(v)) for k, v in reversed(list(population.items()))}
    assert services.draw_sample(shuffled, 3, seed=20250101) == first
    assert services.draw_sample(population, 3, seed=20250102) != first


def test_sample_draw_records_its_seed_and_redraws_the_same(world: Any) -> None:
    _cases(world.unit_a, 12, "A")
    _cases(world.window_a, 3, "AW")  # a window of unit A belongs to A's stratum
    _cases(world.unit_b, 2, "B")
    c = _campaign(world)
    samples = services.sample_draw(actor=world.office, campaign=c, seed=42)
    c.refresh_from_db()
    assert c.sample_seed == 42 and c.sampled_at is not None
    by_target = {t.unit_id: sorted(s.case.ref for s in samples if s.target_id == t.pk) for t in c.targets.all()}
    assert len(by_target[world.unit_a.pk]) == 3 and len(by_target[world.unit_b.pk]) == 2
    population = {t.pk: [hc.ref for hc in HandledCase.objects.filter(unit__path__startswith=t.unit.path)] for t in c.targets.all()}
    redrawn = services.draw_sample(population, 3, seed=42)
    assert sorted(sum(redrawn.values(), [])) == sorted(s.case.ref for s in samples)
    with pytest.raises(ValidationError) as exc:
        services.sample_draw(actor=world.office, campaign=c, seed=1)
    assert "42" in exc.value.messages[0]


def test_sample_without_cases_is_refused(world: Any) -> None:
    c = _campaign(world)
    with pytest.raises(ValidationError) as exc:
        services.sample_draw(actor=world.office, campaign=c)
    assert "没有已办结的办件" in exc.value.messages[0]
    assert not SampledCase.objects.exists()


def test_call_backs_and_the_fully_satisfied_count(world: Any) -> None:
    _cases(world.unit_a, 3, "A")
    c = _campaign(world, per_unit=3)
    services.sample_draw(actor=world.office, campaign=c, seed=7)
    services.campaign_open(actor=world.office, campaign=c)
    s1, s2, s3 = SampledCase.objects.filter(campaign=c).order_by("id")
    services.sample_callback(actor=world.office, sample=s1, reached=True, answers=helpers.answers_for(c, 100))
    services.sample_callback(actor=world.office, sample=s2, reached=True, answers=helpers.answers_for(c, 80))
    for _ in range(3):  # policy cases.follow_up_max_tries = 3
        s3.refresh_from_db()
        services.sample_callback(actor=world.office, sample=s3, reached=False, note="无人接听")
    s3.refresh_from_db()
    assert (s3.status, s3.attempts) == (SampleStatus.UNREACHABLE, 3)
    s1.refresh_from_db()
    assert s1.status == SampleStatus.ANSWERED and s1.response.channel == "phone" and s1.response.fully_satisfied
    with pytest.raises(ValidationError):
        services.sample_callback(actor=world.office, sample=s1, reached=True, answers=helpers.answers_for(c, 60))
    figures = campaign_figures(c)
    assert (figures.samples, figures.samples_answered, figures.fully_satisfied, figures.counted) == (3, 2, 1, 2)


def _workbook(rows: list[tuple]) -> SimpleUploadedFile:
    content = build_workbook([("办件", ["办件编号", "办理单位编码", "事项", "联系人", "联系电话", "办结时间"], rows)])
    return SimpleUploadedFile("cases.xlsx", content)


def test_import_is_all_or_nothing(world: Any) -> None:
    bad = _workbook(
        [
            ("R1", "A", "办理社保", "张三", "13800138000", "2025-03-01 10:00"),
            ("R2", "NOPE", "办理社保", "", "", "2025-03-01"),
            ("R1", "A", "重复编号", "", "12345", "昨天"),
        ]
    )
    job = job_start(kind="evaluations.import_handled_cases", title="导入", user=world.office, upload=bad)
    job.refresh_from_db()
    assert job.status == JobStatus.REJECTED
    messages = {(e["row"], e["column"]) for e in job.report["errors"]}
    assert {(3, "办理单位编码"), (4, "办件编号"), (4, "联系电话"), (4, "办结时间")} <= messages
    assert not HandledCase.objects.exists()
    good = _workbook(
        [("R1", "A", "办理社保", "张三", "13800138000", datetime(2025, 3, 1, 10, 0)), ("R2", "B", "企业开办", "", "", "2025-03-02")]
    )
    job = job_start(kind="evaluations.import_handled_cases", title="导入", user=world.office, upload=good)
    job = Job.objects.get(pk=job.pk)
    assert job.status == JobStatus.DONE, job.report
    assert HandledCase.objects.count() == 2
    assert HandledCase.objects.get(ref="R1").contact_phone == "13800138000"


def test_pull_takes_closed_callable_cases_from_the_cases_app(world: Any) -> None:
    """The real seam: cases closed through the cases module's own services become the
    population of the handled-cases sample; anonymous and still-open cases do not."""
    from cases import services as case_services
    from cases.models import Channel

    hotline = Channel.objects.get(code="hotline_12345")

    def closed_case(unit: Any, liaison: Any, **fields: Any) -> Any:
        values = {"kind": "request", "contact_name": "王小明", "contact_phone": "13812345678", **fields}
        case, _password = case_services.case_create(
            actor=world.office, channel=hotline, title="办理营业执照", content="咨询营业执照办理进度。", **values
        )
        case_services.case_dispatch(actor=world.office, case=case, unit=unit)
        case_services.case_sign(actor=liaison, case=case)
        case_services.case_reply(actor=liaison, case=case, text="已按规定办结并告知。")
        case_services.case_reply_check(actor=world.office, case=case, approve=True)
        case_services.case_follow_up(actor=world.office, case=case, outcome="answered", satisfaction="satisfied", resolved=True)
        case.refresh_from_db()
        return case

    assert adapters.cases_available()
    first, second = closed_case(world.unit_a, world.liaison_a), closed_case(world.unit_a, world.liaison_a)
    closed_case(world.unit_a, world.liaison_a, kind="report", anonymous=True, contact_name="", contact_phone="")
    open_case, _pw = case_services.case_create(
        actor=world.office,
        channel=hotline,
        kind="request",
        title="未办结",
        content="尚在办理。",
        contact_name="李四",
        contact_phone="13900000000",
    )
    case_services.case_dispatch(actor=world.office, case=open_case, unit=world.unit_a)
    c = _campaign(world, per_unit=5)
    assert services.handled_cases_pull(actor=world.office, campaign=c) == 2
    population = HandledCase.objects.filter(unit=world.unit_a)
    assert sorted(population.values_list("ref", flat=True)) == sorted([first.tracking_code, second.tracking_code])
    assert {h.case_id for h in population} == {first.pk, second.pk} and {h.source for h in population} == {"cases"}
    # pulling again changes nothing
    assert services.handled_cases_pull(actor=world.office, campaign=c) == 2
    assert HandledCase.objects.filter(unit=world.unit_a).count() == 2
    samples = services.sample_draw(actor=world.office, campaign=c, seed=7)
    assert sorted(s.case.ref for s in samples) == sorted([first.tracking_code, second.tracking_code])


def test_call_back_page_shows_the_number_to_the_office_and_audits_it(world: Any) -> None:
    from django.urls import reverse

    from core.models import AuditRecord
    from core.testing import client_for

    _cases(world.unit_a, 2, "A")
    c = _campaign(world, per_unit=2)
    services.sample_draw(actor=world.office, campaign=c, seed=3)
    services.campaign_open(actor=world.office, campaign=c)
    sample = SampledCase.objects.filter(campaign=c).first()
    url = reverse("evaluations:sample", args=[sample.pk])
    assert client_for(world.liaison_a).get(url).status_code == 403
    assert client_for(world.viewer).get(url).status_code == 403
    page = client_for(world.office).get(url).content.decode()
    assert "13800138000" in page
    assert AuditRecord.objects.filter(action="evaluations.sample.view_contact", actor=world.office, object_id=str(sample.pk)).exists()
    question = c.questionnaire.questions.get()
    done = client_for(world.office).post(url, {"reached": "1", "note": "", f"q{question.pk}": "very_satisfied"})
    assert done.status_code == 302
    sample.refresh_from_db()
    assert sample.status == SampleStatus.ANSWERED and sample.response.fully_satisfied
