"""Who may do what in accountability (see core.permissions). Accountability is about
named people, so it is closed by default:

* the office sees everything; only the office head decides on proposals and reviews
  decided measures flagged after a withdrawal; office staff record criticisms and
  exposures (incidents) and follow the work through;
* a person's record (everything charged to them, the counts the ladder used) is seen by
  the office, by the head of their unit (UNIT), and by the person themself: a liaison
  whose account is linked to that staff member (``User.staff``) sees that one record
  (OWN) — a unit head's own record lies within their unit anyway;
* a unit's page — its apologies and sanctions — is seen by that unit's liaison and head
  (their unit and the units below it); they record that an apology was made (with its
  proof) or a measure carried out; other units see nothing (404 / empty lists);
* proposals and decisions under deliberation are the office's alone;
* city leaders (viewer) see aggregated figures only: counts by measure, kind and unit,
  never a person's name;
* supervisors, raters and the account administrator see nothing (least privilege,
  RULES.md §9).
"""

from core.permissions import ALL, OWN, UNIT, Role

R = Role
OFFICE = {R.OFFICE_STAFF: ALL, R.OFFICE_HEAD: ALL}
UNITS = {R.UNIT_LIAISON: UNIT, R.UNIT_HEAD: UNIT}

RULES = {
    # what is charged (valid complaints, verified findings, incidents) and the inputs
    "accountability.charge.view": OFFICE,
    "accountability.incident.record": OFFICE,
    # proposals, decisions and reviews: deliberation by the office, decided by its head
    "accountability.proposal.view": OFFICE,
    "accountability.proposal.decide": {R.OFFICE_HEAD: ALL},
    "accountability.decision.review": {R.OFFICE_HEAD: ALL},
    # a person's record: the office, the head of their unit, and the person themself
    "accountability.record.view": {**OFFICE, R.UNIT_HEAD: UNIT, R.UNIT_LIAISON: OWN},
    # a unit's page, its sanctions and apologies
    "accountability.unit.view": {**OFFICE, **UNITS},
    "accountability.sanction.view": {**OFFICE, **UNITS},
    "accountability.sanction.execute": {**OFFICE, **UNITS},
    "accountability.apology.view": {**OFFICE, **UNITS},
    "accountability.apology.record": {**OFFICE, **UNITS},
    # aggregated figures and the annual-rating consequences
    "accountability.figures.view": {**OFFICE, R.VIEWER: ALL},
    "accountability.figures.export": {**OFFICE, R.VIEWER: ALL},
    "accountability.rating.view": OFFICE,
}
