"""The pairing contact card (结对联系卡) as a PDF, for printing and for sending on WeChat.

Chinese text needs a CJK font embedded in the file: reportlab's built-in CID fonts (STSong-Light)
are only named, not embedded, so the reader must bring its own font (poppler without poppler-data
draws nothing). We embed a subset of WenQuanYi Zen Hei (Debian: fonts-wqy-zenhei), whose .ttc has
TrueType outlines reportlab can subset; the lookup (youthlink.core.fonts, shared with the share
poster) also honours settings.CJK_FONT and PAIRING_CARD_FONT. Without any of them we fall back to
STSong-Light and log a warning."""
from __future__ import annotations

import io
import logging

from django.utils.translation import gettext as _
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from youthlink.core.fonts import cjk_font_path

from .selectors import Card

logger = logging.getLogger(__name__)

FONT_NAME = "YouthlinkCJK"
FALLBACK_FONT = "STSong-Light"
RED = HexColor("#c8102e")
INK = HexColor("#1f2328")
MUTED = HexColor("#5f6b7a")
LINE = HexColor("#e3e6ea")
PALE = Color(0.992, 0.925, 0.933)

_font: str | None = None


def card_font() -> str:
    """Register the CJK font once per process and return its name."""
    global _font
    if _font is not None:
        return _font
    path = cjk_font_path()
    if path is not None:
        pdfmetrics.registerFont(TTFont(FONT_NAME, path, subfontIndex=0))
        _font = FONT_NAME
        return _font
    logger.warning("No TrueType CJK font found (install fonts-wqy-zenhei); the card PDF uses %s, "
                   "which readers must supply themselves", FALLBACK_FONT)
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    _font = FALLBACK_FONT
    return _font


def _text(c: canvas.Canvas, x: float, y: float, text: str, size: float, *, color=INK, bold: bool = False,
          font: str, centred: bool = False) -> float:
    """Draw one line; Zen Hei has no bold face, so bold is the glyphs stroked as well as filled.
    The render mode is set on every line: it is graphics state and would leak into the next one."""
    width = c.stringWidth(text, font, size)
    c.saveState()
    c.setFillColor(color)
    c.setStrokeColor(color)
    c.setLineWidth(size / 28)
    t = c.beginText(x - width / 2 if centred else x, y)
    t.setFont(font, size)
    t.setTextRenderMode(2 if bold else 0)
    t.textLine(text)
    c.drawText(t)
    c.restoreState()
    return width


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    lines, current = [], ""
    for char in text:
        if pdfmetrics.stringWidth(current + char, font, size) > width and current:
            lines.append(current)
            current = char
        else:
            current += char
    return lines + ([current] if current else [])


def card_pdf(card: Card) -> bytes:
    """One A5 page: the helper (with their work phone), the young person (masked), the QR code to
    the pairing's page, and the county's 三必到三必访 deadlines."""
    font = card_font()
    buffer = io.BytesIO()
    width, height = A5
    c = canvas.Canvas(buffer, pagesize=A5, pageCompression=1)
    c.setTitle(_("结对帮扶联系卡 · %(helper)s · %(person)s") % {"helper": card.helper_name, "person": card.person_name})
    c.setAuthor("youthlink 青联圈")
    c.setSubject(_("结对帮扶联系卡"))
    margin = 10 * mm

    # Header band.
    c.setFillColor(RED)
    c.rect(0, height - 30 * mm, width, 30 * mm, stroke=0, fill=1)
    _text(c, margin, height - 16 * mm, _("结对帮扶联系卡"), 22, color=white, bold=True, font=font)
    _text(c, margin, height - 24 * mm, _("共青团结对帮扶 · 有难必帮"), 10.5, color=white, font=font)

    # The helper: who to call.
    y = height - 42 * mm
    _text(c, margin, y, _("结对人"), 10.5, color=MUTED, font=font)
    y -= 9 * mm
    name_w = _text(c, margin, y, card.helper_name, 20, bold=True, font=font)
    _text(c, margin + name_w + 3 * mm, y, f"{card.helper_role} · {card.helper_unit}", 10.5, color=MUTED, font=font)
    y -= 10 * mm
    label_w = _text(c, margin, y, _("联系电话") + "  ", 12, color=MUTED, font=font)
    _text(c, margin + label_w, y, card.helper_phone or "—", 18, color=RED, bold=True, font=font)

    # The young person: masked, nothing sensitive.
    y -= 9 * mm
    c.setStrokeColor(LINE)
    c.setLineWidth(0.8)
    c.line(margin, y, width - margin, y)
    person_top = y
    y -= 8 * mm
    _text(c, margin, y, _("结对青年"), 10.5, color=MUTED, font=font)
    y -= 8 * mm
    _text(c, margin, y, card.person_name, 16, bold=True, font=font)
    rows = [(_("年龄"), card.person_age), (_("住址"), card.person_place), (_("手机"), card.person_mobile or "—"),
            (_("结对日期"), card.since)]
    qr_size = 40 * mm
    text_width = width - 2 * margin - qr_size - 4 * mm
    for label, value in rows:
        y -= 7 * mm
        lw = _text(c, margin, y, label + "  ", 12, color=MUTED, font=font)
        for i, line in enumerate(_wrap(value, font, 12, text_width - lw)):
            if i:
                y -= 5.5 * mm
            _text(c, margin + lw, y, line, 12, font=font)

    # QR code to the pairing's page, beside the young person's details.
    widget = QrCodeWidget(card.url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(qr_size, qr_size, transform=[qr_size / (x1 - x0), 0, 0, qr_size / (y1 - y0), 0, 0])
    drawing.add(widget)
    qr_x, qr_y = width - margin - qr_size + 2 * mm, person_top - qr_size - 2 * mm
    renderPDF.draw(drawing, c, qr_x, qr_y)
    _text(c, qr_x + qr_size / 2, qr_y - 2 * mm, _("扫码查看结对记录"), 8.5, color=MUTED, font=font, centred=True)

    # 三必到三必访: when to call, and how soon the helper comes.
    y = min(y, qr_y - 6 * mm) - 10 * mm
    box_top = y + 4 * mm
    lines = [f"{label}：{days}" + _("天内走访") for label, days in card.rules]
    per_row = 2
    box_height = (6 + 6.5 * ((len(lines) + per_row - 1) // per_row)) * mm + 4 * mm
    c.setFillColor(PALE)
    c.roundRect(margin, box_top - box_height, width - 2 * margin, box_height, 3 * mm, stroke=0, fill=1)
    _text(c, margin + 4 * mm, y - 1 * mm, _("三必到三必访 · 遇到以下情况请联系结对人"), 11, color=RED, bold=True, font=font)
    col_w = (width - 2 * margin - 8 * mm) / per_row
    for i, line in enumerate(lines):
        row, col = divmod(i, per_row)
        _text(c, margin + 4 * mm + col * col_w, y - (8 + 6.5 * row) * mm, line, 10.5, font=font)

    # Ruled lines for what the family writes down (visits, calls): the card is kept at home.
    y = box_top - box_height - 9 * mm
    _text(c, margin, y, _("联系记录"), 10.5, color=MUTED, font=font)
    c.setStrokeColor(LINE)
    c.setLineWidth(0.8)
    while y - 9 * mm > 18 * mm:
        y -= 9 * mm
        c.line(margin, y, width - margin, y)

    _text(c, width / 2, 9 * mm, _("有问必答 · 有需必应 · 有难必帮"), 9.5, color=MUTED, font=font, centred=True)
    c.showPage()
    c.save()
    return buffer.getvalue()
