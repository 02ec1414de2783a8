"""Who may manage accounts. The account administrator manages accounts but reads no
cases or findings (least privilege, RULES.md §9)."""

from core.permissions import ALL, OWN, Role

R = Role

RULES = {
    "accounts.user.view": {R.ACCOUNT_ADMIN: ALL, R.OFFICE_HEAD: ALL},
    "accounts.user.change": {R.ACCOUNT_ADMIN: ALL},
    "accounts.token.view": {R.ACCOUNT_ADMIN: ALL},
    "accounts.token.change": {R.ACCOUNT_ADMIN: ALL},
    "accounts.profile.view": dict.fromkeys(Role.values, OWN),
}
