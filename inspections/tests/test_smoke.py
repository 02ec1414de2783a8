import pytest

from inspections import services
from inspections.choices import FindingStatus
from inspections.tests.helpers import fed_back_finding

pytestmark = pytest.mark.django_db


def test_smoke(insp):
    finding = fed_back_finding(insp)
    assert finding.status == FindingStatus.FED_BACK
    services.finding_verify(actor=insp.world.liaison_a, finding=finding, verdict="true", explanation="属实，已批评教育")
    services.rectification_report(actor=insp.world.liaison_a, finding=finding, text="已整改")
    services.rectification_accept(actor=insp.office, finding=finding)
    finding.refresh_from_db()
    assert finding.status == FindingStatus.CLOSED
