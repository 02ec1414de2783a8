"""Circulars (通报) as real documents: a .docx in the layout of official documents
(GB/T 9704-2012 党政机关公文格式: red issuer heading, document number, red rule, title,
addressee, body, issuer and date, and the 抄送/印发 lines at the foot) made with
python-docx, and a PDF of the same content made with reportlab's built-in Chinese CID
font (no font files to ship). Also the draft text the office starts editing from.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.choices import Verdict
from inspections.models import Circular, Finding

RED = "C00000"
HEADING = re.compile(r"^[一二三四五六七八九十]+、")
SUBHEADING = re.compile(r"^（[一二三四五六七八九十]+）")
CN_NUMBERS = "一二三四五六七八九十"


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 23 → 二十三 (enough for the items of one circular)."""
    if n <= 10:
        return CN_NUMBERS[n - 1] if n < 10 else "十"
    tens, ones = divmod(n, 10)
    return (CN_NUMBERS[tens - 1] if tens > 1 else "") + "十" + (CN_NUMBERS[ones - 1] if ones else "")


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def draft_title(findings: Sequence[Finding]) -> str:
    rounds = {f.task.round for f in findings}
    if len(rounds) == 1:
        return _("关于%(round)s发现问题的通报") % {"round": next(iter(rounds)).title}
    return _("关于明查暗访发现问题情况的通报")


def draft_body(findings: Sequence[Finding]) -> str:
    """One paragraph per line: the opening, then per unit a heading and its problems, then
    the requirements. The office edits it freely before publishing."""
    months = sorted({f.task.round.month for f in findings})
    period = (
        f"{months[0].year}年{months[0].month}月"
        if len(months) == 1
        else f"{months[0].year}年{months[0].month}月至{months[-1].year}年{months[-1].month}月"
    )
    lines = [
        _(
            "为进一步加强机关作风建设，持续优化政务服务环境，%(period)s，市效能办按照“每月一轮、每周一批”的要求，"
            "组织效能监督员对市直单位开展明查暗访。现将发现并经核查属实的问题通报如下："
        )
        % {"period": period}
    ]
    by_unit: dict[int, list[Finding]] = {}
    for finding in sorted(findings, key=lambda f: (f.unit.path, f.observed_at)):
        by_unit.setdefault(finding.unit_id, []).append(finding)
    for index, unit_findings in enumerate(by_unit.values(), start=1):
        lines.append(f"{cn_number(index)}、{unit_findings[0].unit.name}")
        for sub, finding in enumerate(unit_findings, start=1):
            seen = timezone.localtime(finding.observed_at)
            who = _("，涉及人员：%(name)s") % {"name": finding.staff.name} if finding.staff is not None else ""
            where = f"，{finding.place}" if finding.place else ""
            verdict = Verdict(finding.verdict).label if finding.verdict else ""
            text = finding.description.strip().rstrip("。")
            lines.append(
                f"（{cn_number(sub)}）{seen.month}月{seen.day}日{seen:%H:%M}{where}，{finding.item_name}：{text}{who}。"
                + _("（单位核查：%(v)s）") % {"v": verdict}
            )
    lines.append(
        _(
            "以上问题已反馈相关单位核查整改。被通报单位要深刻反思，认真整改，严肃处理相关责任人员；"
            "各单位要引以为戒、举一反三，严格落实效能建设“八项制度”和工作纪律，切实改进工作作风，提升服务效能。"
        )
    )
    return "\n".join(lines)


def _paragraphs(body: str) -> list[str]:
    return [line.strip() for line in body.splitlines() if line.strip()]


# --- .docx ---------------------------------------------------------------------------------
def circular_docx(circular: Circular) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor
    from docx.text.paragraph import Paragraph

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    document.core_properties.title = circular.title
    document.core_properties.author = circular.issuer

    def paragraph(text: str, *, font: str = "仿宋_GB2312", size: float = 16, align: WD_ALIGN_PARAGRAPH | None = None, indent: bool = False,
                  color: str | None = None, bold: bool = False, space_after: float = 0) -> Paragraph:  # fmt: skip
        para = document.add_paragraph()
        fmt = para.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(max(28, size * 1.5))
        fmt.space_before, fmt.space_after = Pt(0), Pt(space_after)
        if align is not None:
            para.alignment = align
        if indent:
            fmt.first_line_indent = Pt(size * 2)  # two characters, as official documents indent
        run = para.add_run(text)
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.name = font
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)  # font.name made both just above
        if color:
            run.font.color.rgb = RGBColor.from_string(color)
        return para

    def border(para: Paragraph, *, top: bool = False, bottom: bool = False, color: str = "000000", size: int = 8) -> None:
        p_pr = para._p.get_or_add_pPr()
        borders = OxmlElement("w:pBdr")
        for edge, wanted in (("top", top), ("bottom", bottom)):
            if wanted:
                line = OxmlElement(f"w:{edge}")
                line.set(qn("w:val"), "single")
                line.set(qn("w:sz"), str(size))
                line.set(qn("w:space"), "1")
                line.set(qn("w:color"), color)
                borders.append(line)
        p_pr.append(borders)

    center, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    paragraph(circular.issuer, font="方正小标宋简体", size=26, align=center, color=RED, space_after=12)
    number = paragraph(circular.number, align=center, space_after=6)
    border(number, bottom=True, color=RED, size=18)  # the red rule under the number
    paragraph("", size=10)
    paragraph(circular.title, font="方正小标宋简体", size=22, align=center, space_after=12)
    paragraph(circular.addressee, align=WD_ALIGN_PARAGRAPH.LEFT)
    for line in _paragraphs(circular.body):
        if HEADING.match(line):
            paragraph(line, font="黑体", indent=True)
        elif SUBHEADING.match(line):
            paragraph(line, font="仿宋_GB2312", indent=True)
        else:
            paragraph(line, indent=True)
    paragraph("")
    paragraph(circular.issuer, align=right)
    paragraph(cn_date(circular.issue_date), align=right, space_after=24)
    if circular.copy_to:
        copy_to = paragraph(_("抄送：%(to)s") % {"to": circular.copy_to}, size=14)
        border(copy_to, top=True, bottom=True)
    printed = paragraph(_("%(issuer)s　　%(date)s印发") % {"issuer": circular.issuer, "date": cn_date(circular.issue_date)}, size=14)
    border(printed, bottom=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- .pdf ----------------------------------------------------------------------------------
_FONT = "STSong-Light"


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if _FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(_FONT))


def circular_pdf(circular: Circular) -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import HRFlowable, Paragraph, SimpleDocTemplate, Spacer

    _register_font()
    red = colors.HexColor(f"#{RED}")

    def style(name: str, size: float, align: int, **extra: object) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=_FONT, fontSize=size, leading=max(28, size * 1.6), alignment=align, wordWrap="CJK", **extra)

    issuer = style("issuer", 24, TA_CENTER, textColor=red)
    number = style("number", 15, TA_CENTER)
    title = style("title", 20, TA_CENTER)
    text = style("text", 15, TA_JUSTIFY, firstLineIndent=30)
    plain = style("plain", 15, TA_LEFT)
    signed = style("signed", 15, TA_RIGHT)
    foot = style("foot", 13, TA_LEFT)
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=A4, topMargin=37 * mm, bottomMargin=35 * mm, leftMargin=28 * mm, rightMargin=26 * mm,
        title=circular.title, author=circular.issuer,
    )  # fmt: skip
    story: list[object] = [
        Paragraph(escape(circular.issuer), issuer),
        Spacer(1, 4 * mm),
        Paragraph(escape(circular.number), number),
        HRFlowable(width="100%", thickness=2, color=red, spaceBefore=2 * mm, spaceAfter=8 * mm),
        Paragraph(escape(circular.title), title),
        Spacer(1, 4 * mm),
        Paragraph(escape(circular.addressee), plain),
    ]
    story += [Paragraph(escape(line), text) for line in _paragraphs(circular.body)]
    story += [
        Spacer(1, 10 * mm),
        Paragraph(escape(circular.issuer), signed),
        Paragraph(cn_date(circular.issue_date), signed),
        Spacer(1, 12 * mm),
    ]
    if circular.copy_to:
        story += [
            HRFlowable(width="100%", thickness=0.7, color=colors.black, spaceAfter=1 * mm),
            Paragraph(escape(_("抄送：%(to)s") % {"to": circular.copy_to}), foot),
        ]
    story += [
        HRFlowable(width="100%", thickness=0.7, color=colors.black, spaceBefore=1 * mm, spaceAfter=1 * mm),
        Paragraph(escape(_("%(issuer)s　　%(date)s印发") % {"issuer": circular.issuer, "date": cn_date(circular.issue_date)}), foot),
        HRFlowable(width="100%", thickness=0.7, color=colors.black, spaceBefore=1 * mm),
    ]
    doc.build(story)
    return out.getvalue()
