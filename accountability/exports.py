"""The figures of a year as a real .xlsx workbook (core.xlsx): overview, measures,
apologies and units — counts only, no person's name."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accountability.choices import ChargeSource, Outcome, measure_label
from accountability.selectors import Figures
from core.xlsx import build_workbook


def figures_workbook(f: Figures) -> bytes:
    overview = [
        (_("考核年度"), f.year),
        (_("问责建议"), f.proposals),
        (_("待决定"), f.pending),
        (_("已撤回"), f.withdrawn),
        *[(_("决定：%(o)s") % {"o": Outcome(code).label}, n) for code, n in f.outcomes.items()],
        *[(_("首问责任追究阶梯第%(n)s档（年度第%(n)s件）") % {"n": step}, n) for step, n in f.ladder_steps.items()],
        (_("两年内累计达到辞退件数"), f.dismissals),
        (_("被问责人数"), f.people),
        (_("基层再上岗人数"), f.reassignments),
        *[(_("事由：%(s)s") % {"s": ChargeSource(code).label}, n) for code, n in f.charges.items()],
    ]
    measures = [(measure_label(code), in_force, revoked) for code, _label, in_force, revoked in f.measures]
    apologies = [(label, total, done, overdue) for _kind, label, total, done, overdue in f.apologies]
    units = [(r.unit.name, r.complaints, r.findings, r.incidents, r.sanctions, r.apologies, r.apologies_pending) for r in f.units]
    return build_workbook(
        [
            (_("概况"), [_("项目"), _("数量")], overview),
            (_("问责措施"), [_("措施"), _("有效"), _("已撤销")], measures),
            (_("一把手道歉"), [_("方式"), _("决定道歉"), _("已道歉"), _("逾期未道歉")], apologies),
            (
                _("按单位"),
                [_("单位"), _("有效投诉"), _("查实问题"), _("批评曝光等"), _("问责措施"), _("道歉"), _("待道歉")],
                units,
            ),
        ]
    )
