"""Files made from evaluations: the results workbook (.xlsx), the written report (.docx)
and the printable QR posters (PDF, one page per target) that open the rating page.

The PDF uses reportlab's built-in CID font STSong-Light, so Chinese text needs no font
file; the QR code is drawn by segno as vector modules, so it prints sharp at any size.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext as _

from core.xlsx import build_workbook
from evaluations.models import Campaign, CampaignResult, Response
from evaluations.selectors import CampaignFigures


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def results_workbook(
    campaign: Campaign, results: Sequence[CampaignResult], figures: CampaignFigures, responses: Sequence[Response]
) -> bytes:
    """Results per target, the campaign's figures, and the answers behind the scores
    (without any rater detail)."""
    headers = [
        _("名次"),
        _("评议对象"),
        _("单位编码"),
        _("有效答卷"),
        _("得分"),
        _("95%置信区间下限"),
        _("95%置信区间上限"),
        _("样本不足"),
        _("满分答卷"),
        _("上年得分"),
        _("同比变化"),
        _("获评"),
    ]
    rows = [
        (
            r.rank,
            r.target.label,
            r.target.unit.code,
            r.n,
            round(r.mean, 2) if r.mean is not None else None,
            round(r.ci_low, 2) if r.ci_low is not None else None,
            round(r.ci_high, 2) if r.ci_high is not None else None,
            _("是") if r.below_min_sample else "",
            r.fully_satisfied,
            round(r.previous_mean, 2) if r.previous_mean is not None else None,
            round(r.change, 2) if r.change is not None else None,
            _("是") if r.awarded else "",
        )
        for r in results
    ]
    summary = [
        (_("活动"), campaign.name),
        (_("类别"), campaign.get_kind_display()),
        (_("评议对象"), figures.targets),
        (_("有效答卷"), figures.counted),
        (_("被剔除的答卷"), figures.rejected),
        (_("平均得分"), _fmt(figures.average)),
        (_("上年平均得分"), _fmt(figures.previous_average)),
        (_("同比变化"), _fmt(figures.change)),
        (_("获评数"), figures.awarded),
        (_("满分答卷"), figures.fully_satisfied),
        (_("计分所依政策版本"), str(campaign.results_policy_version or "")),
    ]
    answer_rows = [
        (
            resp.pk,
            resp.target.label,
            resp.group.name if resp.group else "",
            resp.get_channel_display(),
            resp.get_status_display(),
            round(resp.score, 2) if resp.score is not None else None,
            timezone.localtime(resp.submitted_at),
        )
        for resp in responses
    ]
    return build_workbook(
        [
            (_("结果"), headers, rows),
            (_("概况"), [_("项目"), _("数值")], summary),
            (_("答卷"), [_("答卷编号"), _("评议对象"), _("评议群体"), _("渠道"), _("状态"), _("得分"), _("提交时间")], answer_rows),
        ]
    )


def results_report(campaign: Campaign, results: Sequence[CampaignResult], figures: CampaignFigures) -> bytes:
    """The written report of a campaign (.docx): the figures, then the awarded targets,
    then the full table."""
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "SimSun"
    style.font.size = Pt(11)
    doc.add_heading(_("%(name)s结果报告") % {"name": campaign.name}, level=1)
    lines = [
        _("评议类别：%(kind)s；评议期：%(start)s 至 %(end)s。")
        % {"kind": campaign.get_kind_display(), "start": campaign.start, "end": campaign.end},
        _("评议对象 %(targets)s 个，有效答卷 %(counted)s 份（另剔除 %(rejected)s 份）。")
        % {"targets": figures.targets, "counted": figures.counted, "rejected": figures.rejected},
    ]
    if figures.average is not None:
        line = _("平均得分 %(avg)s") % {"avg": _fmt(figures.average)}
        if figures.previous_average is not None:
            line += _("，上年 %(prev)s，同比变化 %(change)+.2f") % {"prev": _fmt(figures.previous_average), "change": figures.change}
        lines.append(line + "。")
    if figures.samples:
        lines.append(
            _("抽样办件 %(n)s 件（%(units)s 个单位），已回访 %(answered)s 件，其中非常满意（满分）%(full)s 件。")
            % {"n": figures.samples, "units": figures.sample_units, "answered": figures.samples_answered, "full": figures.fully_satisfied}
        )
    if figures.below_min_sample:
        lines.append(_("有 %(n)s 个对象有效答卷少于最少样本，其得分仅供参考。") % {"n": figures.below_min_sample})
    if campaign.results_policy_version:
        lines.append(_("计分依据：%(policy)s。") % {"policy": campaign.results_policy_version})
    for line in lines:
        doc.add_paragraph(line)
    awarded = [r for r in results if r.awarded]
    if awarded:
        doc.add_heading(_("获评名单（%(n)s）") % {"n": len(awarded)}, level=2)
        for r in awarded:
            doc.add_paragraph(f"{r.target.label}　{_fmt(r.mean)}", style="List Number")
    doc.add_heading(_("各对象得分"), level=2)
    table = doc.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, [_("名次"), _("评议对象"), _("有效答卷"), _("得分"), _("95%置信区间"), _("同比")], strict=True
    ):
        cell.text = text
    for r in results:
        cells = table.add_row().cells
        cells[0].text = str(r.rank or "")
        cells[1].text = r.target.label + (_("（样本不足）") if r.below_min_sample else "")
        cells[2].text = str(r.n)
        cells[3].text = _fmt(r.mean)
        cells[4].text = f"{_fmt(r.ci_low)}–{_fmt(r.ci_high)}" if r.ci_low is not None else "—"
        cells[5].text = f"{r.change:+.2f}" if r.change is not None else "—"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def qr_posters(title: str, items: Sequence[tuple[str, str]], subtitle: str = "") -> bytes:
    """One A4 page per (label, url): a large QR code that opens ``url``, the target's name
    and the address in print for those who type it."""
    import segno
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.setTitle(title)
    width, height = A4
    for label, url in items:
        pdf.setFont("STSong-Light", 26)
        pdf.drawCentredString(width / 2, height - 40 * mm, title)
        pdf.setFont("STSong-Light", 20)
        pdf.drawCentredString(width / 2, height - 55 * mm, label[:40])
        if subtitle:
            pdf.setFont("STSong-Light", 13)
            pdf.drawCentredString(width / 2, height - 65 * mm, subtitle)
        qr = segno.make(url, error="m")
        size = 120 * mm
        rows = qr.matrix
        module = size / (len(rows) + 8)
        left = (width - module * len(rows)) / 2
        top = height - 80 * mm
        pdf.setFillColorRGB(0, 0, 0)
        for y, row in enumerate(rows):
            for x, dark in enumerate(row):
                if dark:
                    pdf.rect(left + x * module, top - (y + 1) * module, module, module, stroke=0, fill=1)
        pdf.setFont("STSong-Light", 14)
        pdf.drawCentredString(width / 2, top - size - 5 * mm, _("微信或手机相机扫码，一分钟完成评价"))
        pdf.setFont("Helvetica", 9)
        pdf.drawCentredString(width / 2, top - size - 13 * mm, url)
        pdf.linkURL(url, (left, top - len(rows) * module, left + len(rows) * module, top))
        pdf.setFont("STSong-Light", 10)
        pdf.drawCentredString(width / 2, 20 * mm, _("评价匿名，评价内容不会告知被评价单位。"))
        pdf.showPage()
    pdf.save()
    return out.getvalue()
