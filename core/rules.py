"""Who may use the core app's pages and endpoints (see core.permissions)."""

from core.permissions import ALL, OWN, Role

R = Role

RULES = {
    "core.home.view": dict.fromkeys(Role.values, ALL),
    "core.policy.view": {R.OFFICE_STAFF: ALL, R.OFFICE_HEAD: ALL, R.VIEWER: ALL},
    "core.policy.change": {R.OFFICE_STAFF: ALL, R.OFFICE_HEAD: ALL},
    "core.policy.publish": {R.OFFICE_HEAD: ALL},
    "core.calendar.view": dict.fromkeys(Role.values, ALL),
    "core.calendar.change": {R.OFFICE_STAFF: ALL, R.OFFICE_HEAD: ALL},
    "core.audit.view": {R.OFFICE_HEAD: ALL},
    "core.notification.view": dict.fromkeys(Role.values, OWN),
    "core.job.view": dict.fromkeys(Role.values, OWN),
}
