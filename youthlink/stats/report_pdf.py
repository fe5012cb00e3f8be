"""The report (youthlink.stats.report) as an A4 PDF: title, period and node, the prose, the table of
figures and the table by child node. Chinese is drawn with the embedded CJK font of
youthlink.core.fonts, as the pairing card does (a font only named in the file shows nothing in
readers without it)."""
from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from xml.sax.saxutils import escape

from youthlink.core.fonts import reportlab_font

from .periods import LOCAL_TZ
from .report import Report

RED = colors.HexColor("#c8102e")
INK = colors.HexColor("#1f2328")
MUTED = colors.HexColor("#5f6b7a")
LINE = colors.HexColor("#d0d5db")
PALE = colors.HexColor("#f4f5f7")


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=font, fontSize=10.5, leading=17, textColor=INK, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=18, leading=26, textColor=RED, alignment=1),
        "meta": ParagraphStyle("meta", parent=base, fontSize=9.5, textColor=MUTED, alignment=1),
        "h2": ParagraphStyle("h2", parent=base, fontSize=12.5, leading=20, spaceBefore=8, spaceAfter=4),
        "body": ParagraphStyle("body", parent=base, firstLineIndent=21, spaceAfter=4),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=12),
        "num": ParagraphStyle("num", parent=base, fontSize=9, leading=12, alignment=2),
    }


def _table(rows: list[list], widths, font: str) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("BACKGROUND", (0, 0), (-1, 0), PALE),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, LINE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def report_pdf(report: Report) -> bytes:
    font = reportlab_font()
    s = _styles(font)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                            bottomMargin=16 * mm, title=report.title, author=report.node.name)
    width = A4[0] - 36 * mm
    made = timezone.now().astimezone(LOCAL_TZ)
    story = [
        Paragraph(escape(report.title), s["title"]),
        Paragraph(escape(_("统计期间：%(period)s　统计范围：%(node)s及下属组织　生成时间：%(made)s") % {
            "period": report.period.label, "node": report.node.name, "made": f"{made:%Y-%m-%d %H:%M}"}), s["meta"]),
        Spacer(1, 6 * mm),
        Paragraph(escape(_("一、工作概况")), s["h2"]),
        *[Paragraph(escape(p), s["body"]) for p in report.paragraphs],
        Paragraph(escape(_("二、主要数据")), s["h2"]),
    ]
    rows = [[_("指标"), _("本期"), _("上期（%(period)s）") % {"period": report.previous.label}, _("变化")]]
    for row in report.rows():
        value = row["value"]
        rows.append([Paragraph(escape(row["label"]), s["cell"]),
                     f"{value.display} {row['unit'] if value.value is not None and value.figure.kind != 'ratio' else ''}",
                     row["previous"].display if row["previous"] else "—", row["change"]])
    story.append(_table(rows, [width * 0.46, width * 0.2, width * 0.2, width * 0.14], font))
    if report.children and report.child_figures:
        story.append(Paragraph(escape(_("三、分地区情况")), s["h2"]))
        head = [_("组织")] + [Paragraph(escape(_("%(label)s（%(unit)s）") % {"label": f.label, "unit": f.unit}), s["cell"]) for f in report.child_figures]
        body = [[Paragraph(escape(row.node.name), s["cell"])] + [row.values[f.key].display for f in report.child_figures]
                for row in report.children]
        first = width * 0.25
        rest = (width - first) / len(report.child_figures)
        story.append(_table([head, *body], [first] + [rest] * len(report.child_figures), font))
    doc.build(story)
    return out.getvalue()
