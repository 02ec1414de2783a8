"""Who may see the roster: the office; a supervisor sees only their own entry. Units and
city leaders do not see who the supervisors are (confidentiality, RULES.md §1)."""

from core.permissions import ALL, OWN, Role

R = Role

RULES = {
    "supervisors.supervisor.view": {R.OFFICE_STAFF: ALL, R.OFFICE_HEAD: ALL, R.SUPERVISOR: OWN},
    "supervisors.supervisor.change": {R.OFFICE_STAFF: ALL, R.OFFICE_HEAD: ALL},
}
