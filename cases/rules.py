"""Who may do what with cases (see core.permissions).

The office runs the loop; a unit's liaison and head see the cases their unit leads or
co-handles and do the unit's part (sign for, return, reply, ask for more time); city
leaders read cases and figures. Supervisors, raters and the account administrator see no
cases (least privilege, RULES.md §9).

Identity of the person: the office may see it on any case (``cases.identity.view``); a
unit only on its own cases where the person agreed to be contacted by the unit
(``cases.identity.view_consented``). Unmasking a phone number is its own permission and
is audited every time.
"""

from core.permissions import ALL, UNIT, Role

R = Role
OFFICE = {R.OFFICE_STAFF: ALL, R.OFFICE_HEAD: ALL}
UNITS = {R.UNIT_LIAISON: UNIT, R.UNIT_HEAD: UNIT}

RULES = {
    "cases.case.view": {**OFFICE, **UNITS, R.VIEWER: ALL},
    "cases.case.create": OFFICE,
    "cases.case.import": OFFICE,
    "cases.case.triage": OFFICE,
    "cases.case.dispatch": OFFICE,
    "cases.case.merge": OFFICE,
    "cases.case.review_return": OFFICE,
    "cases.case.sign": UNITS,
    "cases.case.return": UNITS,
    "cases.case.reply": UNITS,
    "cases.case.check_reply": OFFICE,
    "cases.extension.request": UNITS,
    "cases.extension.decide": OFFICE,
    "cases.followup.view": OFFICE,
    "cases.followup.record": OFFICE,
    "cases.case.reopen": OFFICE,
    "cases.case.close": OFFICE,
    "cases.complaint.judge": OFFICE,
    "cases.complaint.withdraw": {R.OFFICE_HEAD: ALL},
    "cases.identity.view": OFFICE,
    "cases.identity.view_consented": UNITS,
    "cases.identity.reveal": {**OFFICE, **UNITS},
    "cases.figures.view": {**OFFICE, **UNITS, R.VIEWER: ALL},
    "cases.figures.export": {**OFFICE, **UNITS, R.VIEWER: ALL},
    "cases.ranking.view": {**OFFICE, R.VIEWER: ALL, R.UNIT_LIAISON: ALL, R.UNIT_HEAD: ALL},
    "cases.channel.view": {**OFFICE, R.VIEWER: ALL},
    "cases.channel.change": OFFICE,
    "cases.routing.view": OFFICE,
    "cases.routing.train": OFFICE,
}
