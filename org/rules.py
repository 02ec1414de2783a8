"""Who may use the registry (see core.permissions). Unit roles see their own branch."""

from core.permissions import ALL, UNIT, Role

R = Role
OFFICE = {R.OFFICE_STAFF: ALL, R.OFFICE_HEAD: ALL}
READERS = {**OFFICE, R.VIEWER: ALL, R.UNIT_LIAISON: UNIT, R.UNIT_HEAD: UNIT}

RULES = {
    "org.unit.view": {**READERS, R.ACCOUNT_ADMIN: ALL},
    "org.unit.change": OFFICE,
    "org.unit.import": OFFICE,
    "org.unit.export": {**OFFICE, R.VIEWER: ALL},
    "org.category.view": {**OFFICE, R.VIEWER: ALL, R.ACCOUNT_ADMIN: ALL},
    "org.category.change": OFFICE,
    "org.staff.view": READERS,
    "org.staff.change": {**OFFICE, R.UNIT_LIAISON: UNIT},
    "org.staff.import": OFFICE,
    "org.staff.export": {**OFFICE, R.UNIT_LIAISON: UNIT, R.UNIT_HEAD: UNIT},
    "org.staff.reveal_phone": {**OFFICE, R.UNIT_LIAISON: UNIT, R.UNIT_HEAD: UNIT},
    "org.post.view": READERS,
    "org.post.change": {**OFFICE, R.UNIT_LIAISON: UNIT},
    "org.whereabouts.view": READERS,
    "org.whereabouts.change": {**OFFICE, R.UNIT_LIAISON: UNIT, R.UNIT_HEAD: UNIT},
    "org.enterprise.view": {**OFFICE, R.VIEWER: ALL},
    "org.enterprise.change": OFFICE,
    "org.enterprise.import": OFFICE,
    "org.enterprise.export": OFFICE,
}
