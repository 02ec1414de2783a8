"""Who may do what with evaluations and service ratings (see core.permissions).

The office runs campaigns and sees everything; city leaders read. Unit roles see only
their own targets' results, and only once the office has published them (the selectors
add that condition), and their own units' service ratings — never who rated: no unit role
holds a permission that reads responses, devices, phones or network addresses. Invited
raters with an account see their own invitations.
"""

from core.permissions import ALL, OWN, UNIT, Role

R = Role
OFFICE = {R.OFFICE_STAFF: ALL, R.OFFICE_HEAD: ALL}
READERS = {**OFFICE, R.VIEWER: ALL}
UNITS = {R.UNIT_LIAISON: UNIT, R.UNIT_HEAD: UNIT}

RULES = {
    "evaluations.campaign.view": {**READERS, **UNITS},
    "evaluations.campaign.change": OFFICE,
    "evaluations.campaign.confirm": {R.OFFICE_HEAD: ALL},
    "evaluations.questionnaire.view": READERS,
    "evaluations.questionnaire.change": OFFICE,
    "evaluations.response.view": READERS,
    "evaluations.response.enter": OFFICE,
    "evaluations.response.review": OFFICE,
    "evaluations.result.view": {**READERS, **UNITS},
    "evaluations.result.export": READERS,
    "evaluations.sample.view": OFFICE,
    "evaluations.sample.change": OFFICE,
    "evaluations.invitation.view": {**OFFICE, R.RATER: OWN},
    "evaluations.invitation.answer": {R.RATER: OWN},
    "evaluations.rating.view": {**READERS, **UNITS},
    "evaluations.rating.callback": OFFICE,
    "evaluations.rating.resolve": {**OFFICE, **UNITS},
    "evaluations.rating.appeal": UNITS,
    "evaluations.rating.decide": OFFICE,
    "evaluations.rating.reveal_contact": OFFICE,
}
