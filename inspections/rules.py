"""Who may do what with inspections (see core.permissions). Confidentiality (RULES.md §1)
is in these scopes and in the models' ``gate_own_q``/``gate_unit_q``:

* the office sees and does everything; city leaders see the figures and circulars;
* a supervisor sees only the tasks dispatched to them and the findings they recorded;
* a unit (liaison, head) sees nothing of rounds, batches, tasks or supervisors — only the
  findings fed back to it, their evidence and deadlines, and published circulars.
"""

from core.permissions import ALL, OWN, UNIT, Role

R = Role
OFFICE = {R.OFFICE_STAFF: ALL, R.OFFICE_HEAD: ALL}
UNITS = {R.UNIT_LIAISON: UNIT, R.UNIT_HEAD: UNIT}

RULES = {
    # planning: rounds, batches, tasks and teams
    "inspections.round.view": OFFICE,
    "inspections.round.change": OFFICE,
    "inspections.task.view": {**OFFICE, R.SUPERVISOR: OWN},
    "inspections.task.change": OFFICE,
    # in the field: accept or decline a task, mark arrival, report "no problem found"
    "inspections.task.respond": {R.SUPERVISOR: OWN},
    "inspections.assignment.view": {**OFFICE, R.SUPERVISOR: OWN},
    # findings
    "inspections.finding.view": {**OFFICE, R.SUPERVISOR: OWN, **UNITS},
    # who recorded a finding, on which task and round: never a unit
    "inspections.finding.view_source": {**OFFICE, R.SUPERVISOR: OWN},
    "inspections.finding.record": {R.SUPERVISOR: OWN},
    "inspections.finding.review": OFFICE,
    "inspections.finding.verify": UNITS,
    "inspections.finding.rectify": UNITS,
    "inspections.finding.accept": OFFICE,
    "inspections.finding.overturn": {R.OFFICE_HEAD: ALL},
    "inspections.evidence.view": {**OFFICE, R.SUPERVISOR: OWN, **UNITS},
    # circulars: drafts are the office's; published ones go to every unit and the leaders
    "inspections.circular.view": {**OFFICE, R.VIEWER: ALL, R.UNIT_LIAISON: ALL, R.UNIT_HEAD: ALL},
    "inspections.circular.change": OFFICE,
    "inspections.circular.publish": {R.OFFICE_HEAD: ALL},
    # figures: they count visits, so never shown to units
    "inspections.figures.view": {**OFFICE, R.VIEWER: ALL},
    "inspections.figures.export": {**OFFICE, R.VIEWER: ALL},
    "inspections.supervisor_figures.view": OFFICE,
}
