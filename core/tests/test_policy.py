"""Policies are versioned data: defaults load on migrate, drafts are validated against the
schema with Chinese messages, published versions are never edited in place."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core import services
from core.models import Policy, PolicyStatus, PolicyVersion
from core.selectors import NoPolicy, policy_document, policy_version_for
from core.testing import client_for

pytestmark = pytest.mark.django_db


def test_two_default_policies_load_on_migrate() -> None:
    codes = set(Policy.objects.values_list("code", flat=True))
    assert {"seed002", "seed004"} <= codes
    current = Policy.objects.get(is_current=True)
    assert current.code == "seed002"
    version, doc = policy_document()
    assert version.policy == current
    # the defaults of RULES.md
    assert doc.inspections.min_team_size == 2
    assert doc.inspections.verify_days == 5 and doc.inspections.rectify_days == 10
    assert doc.cases.deadline_days["complaint"] == 10 and doc.cases.deadline_days["inquiry"] == 1
    assert doc.cases.three_rates_weights == {"response": 30, "resolution": 35, "satisfaction": 35}
    assert [lv.score for lv in doc.evaluations.levels] == [100, 80, 60, 40, 0]
    assert doc.evaluations.min_sample == 30 and doc.evaluations.award_threshold == 95
    assert doc.approvals.statutory_days == 20 and doc.approvals.extension_days == 10
    assert [step.count for step in doc.accountability.ladder] == [1, 2, 3, 4]
    assert doc.accountability.dismissal_count == 5 and doc.accountability.dismissal_window_months == 24
    assert [(b.label, b.min_score) for b in doc.assessment.bands] == [("满意", 90), ("比较满意", 80), ("基本满意", 70), ("不满意", 0)]
    weights = {c.category: (c.direct, c.counterpart, c.other) for c in doc.assessment.categories}
    assert weights == {"gov_public": (80, 10, 10), "party_mass": (80, 20, 0), "stationed": (80, 20, 0)}
    assert doc.ratings.fix_days == 10


def test_the_two_cities_differ_where_the_seeds_do() -> None:
    a = PolicyVersion.objects.get(policy__code="seed002").document
    b = PolicyVersion.objects.get(policy__code="seed004").document
    assert "涉企检查报批制" in b["eight_systems"] and "涉企检查报批制" not in a["eight_systems"]
    assert "责任追究制" in a["eight_systems"]
    assert b["accountability"]["serious_finding_measures"] == ["grassroots_reassignment"]


def test_draft_update_validates_and_names_the_parameter_in_chinese(world) -> None:
    source = policy_version_for()
    draft = services.policy_draft_create(actor=world.office, source=source)
    bad = dict(source.document)
    bad["inspections"] = {**bad["inspections"], "min_team_size": 0}
    bad["cases"] = {"three_rates_weights": {"response": 50, "resolution": 35, "satisfaction": 35}}
    with pytest.raises(ValidationError) as info:
        services.policy_draft_update(actor=world.office, version=draft, document=bad, note="试改")
    messages = " ".join(info.value.messages)
    assert "每个任务最少监督员人数" in messages and "应不小于 1" in messages
    assert "三率权重之和须为100" in messages
    draft.refresh_from_db()
    assert draft.document == source.document  # nothing saved


def test_published_version_is_never_edited_in_place(world) -> None:
    source = policy_version_for()
    with pytest.raises(ValidationError):
        services.policy_draft_update(actor=world.office, version=source, document=source.document, note="x")
    draft = services.policy_draft_create(actor=world.office, source=source)
    with pytest.raises(ValidationError):  # only one draft at a time
        services.policy_draft_create(actor=world.office, source=source)
    changed = dict(source.document)
    changed["inspections"] = {**changed["inspections"], "rectify_days": 15}
    services.policy_draft_update(actor=world.office, version=draft, document=changed, note="整改期延长")
    tomorrow = timezone.localdate() + timedelta(days=1)
    services.policy_publish(actor=world.office_head, version=draft, effective_from=tomorrow)
    # today the old version is in force, from tomorrow the new one
    assert policy_document()[1].inspections.rectify_days == 10
    assert policy_document(on=tomorrow)[1].inspections.rectify_days == 15
    assert policy_version_for(on=tomorrow).version == 2
    with pytest.raises(ValidationError):
        services.policy_publish(actor=world.office_head, version=draft, effective_from=tomorrow)


def test_publish_refuses_a_retroactive_date(world) -> None:
    draft = services.policy_draft_create(actor=world.office, source=policy_version_for())
    with pytest.raises(ValidationError):
        services.policy_publish(actor=world.office_head, version=draft, effective_from=timezone.localdate() - timedelta(days=1))
    draft.refresh_from_db()
    assert draft.status == PolicyStatus.DRAFT


def test_copy_and_adopt(world) -> None:
    copy = services.policy_copy(actor=world.office, source=policy_version_for(), code="district", name="某区办法")
    with pytest.raises(ValidationError):  # no published version yet
        services.policy_make_current(actor=world.office_head, policy=copy.policy)
    services.policy_publish(actor=world.office_head, version=copy, effective_from=timezone.localdate())
    services.policy_make_current(actor=world.office_head, policy=copy.policy)
    assert Policy.objects.get(is_current=True).code == "district"
    with pytest.raises(ValidationError):
        services.policy_copy(actor=world.office, source=copy, code="district", name="重名")


def test_no_policy_in_force_before_the_first_version() -> None:
    with pytest.raises(NoPolicy):
        policy_version_for(on=date(2019, 12, 31))


def test_policy_pages_by_role(world) -> None:
    version = policy_version_for()
    assert client_for(world.office).get("/policies/").status_code == 200
    assert client_for(world.viewer).get(f"/policies/versions/{version.pk}/").status_code == 200
    for persona in (world.liaison_a, world.supervisor, world.admin, world.rater):
        assert client_for(persona).get("/policies/").status_code == 403
    # only the office head publishes
    draft = services.policy_draft_create(actor=world.office, source=version)
    url = f"/policies/versions/{draft.pk}/publish/"
    assert client_for(world.office).post(url, {"effective_from": timezone.localdate().isoformat()}).status_code == 403
    response = client_for(world.office_head).post(url, {"effective_from": timezone.localdate().isoformat()})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == PolicyStatus.PUBLISHED


def test_policy_edit_page_shows_errors_and_keeps_the_draft(world) -> None:
    draft = services.policy_draft_create(actor=world.office, source=policy_version_for())
    client = client_for(world.office)
    response = client.post(f"/policies/versions/{draft.pk}/edit/", {"note": "x", "document": "{not json"})
    assert response.status_code == 400
    assert "JSON 格式错误" in response.content.decode()
    response = client.post(f"/policies/versions/{draft.pk}/edit/", {"note": "x", "document": '{"city": "x"}'})
    assert response.status_code == 400
    assert "缺少此项" in response.content.decode()
    # a published version cannot be opened for editing
    assert client.get(f"/policies/versions/{policy_version_for().pk}/edit/").status_code == 403


def test_policy_api_returns_the_version_in_force(world) -> None:
    response = client_for(world.office).get("/api/v1/core/policy/")
    assert response.status_code == 200
    assert response.json()["policy"] == "seed002" and response.json()["document"]["inspections"]["verify_days"] == 5
    assert client_for(world.liaison_a).get("/api/v1/core/policy/").status_code == 403
    assert client_for(world.office).get("/api/v1/core/policy/?on=2019-01-01").status_code == 404
