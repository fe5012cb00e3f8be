"""The share poster (分享海报) of a published request: a phone-sized PNG to post in WeChat moments
(朋友圈), with the title, a summary, the category and place, and a QR code to the request's page.

Only the public text reaches the poster: `poster_content` reads the reviewed public title and body
and the public place (a minor's township, never their village or school), and refuses a request
that is not published. `draw_poster` only draws what it is given."""
from __future__ import annotations

import io
from dataclasses import dataclass

import qrcode
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from youthlink.core.fonts import cjk_font_path

WIDTH, HEIGHT = 750, 1334
MARGIN = 56
RED = (200, 16, 46)
INK = (31, 35, 40)
MUTED = (95, 107, 122)
PALE = (253, 236, 238)
WHITE = (255, 255, 255)
QR_SIZE = 280  # pixels the QR code may take; each module is a whole number of pixels
QR_TOP = 900
TITLE_LINES = 3
SUMMARY_LINES = 8
# A line never starts with closing punctuation (避头点): it stays at the end of the line before.
NO_LINE_START = set("，。、；：？！）》」』”’…%,.;:?!)]}")


class NotShareable(Exception):
    """Only a published request (reviewed, public, not rejected or merged) has a poster."""


@dataclass(frozen=True)
class PosterContent:
    title: str
    summary: str
    category: str
    place: str
    status: str
    date: str
    url: str


@dataclass(frozen=True)
class QrPlacement:
    left: int
    top: int
    module: int  # pixels per module
    count: int  # modules per side (no quiet zone: the poster's white around it is one)


@dataclass(frozen=True)
class Poster:
    png: bytes
    qr: QrPlacement


def appeal_url(appeal) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("appeals:detail", args=[appeal.pk])


def poster_content(appeal) -> PosterContent:
    """What the poster shows: the reviewed public text only."""
    from .selectors import PUBLIC_STATUSES

    if not appeal.is_public or appeal.status not in PUBLIC_STATUSES or not appeal.public_title:
        raise NotShareable
    published = timezone.localtime(appeal.published_at) if appeal.published_at else None
    return PosterContent(
        title=appeal.public_title, summary=" ".join(appeal.public_body.split()), category=appeal.category.name,
        place=appeal.public_place, status=appeal.status_label,
        date=f"{published:%Y-%m-%d}" if published else "", url=appeal_url(appeal))


def _font(size: int) -> ImageFont.FreeTypeFont:
    path = cjk_font_path()
    if path is None:
        raise RuntimeError("no CJK font: install fonts-wqy-zenhei (make install does) or set CJK_FONT")
    return ImageFont.truetype(path, size, index=0)


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int, max_lines: int) -> list[str]:
    """Break Chinese text into lines of at most `width` pixels, character by character (Chinese has
    no spaces to break at), keeping closing punctuation on the line it closes; the last line kept
    ends with an ellipsis when text is left over."""
    lines, line = [], ""
    for ch in text:
        if ch == "\n":
            lines.append(line)
            line = ""
            continue
        if line and font.getlength(line + ch) > width and ch not in NO_LINE_START:
            lines.append(line)
            line = "" if ch == " " else ch
        else:
            line += ch
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and font.getlength(last + "…") > width:
            last = last[:-1]
        lines = lines[:max_lines - 1] + [last + "…"]
    return lines


def qr_matrix(url: str) -> list[list[bool]]:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    qr.add_data(url)
    qr.make(fit=True)
    return qr.get_matrix()


def draw_poster(content: PosterContent) -> Poster:
    image = Image.new("RGB", (WIDTH, HEIGHT), WHITE)
    draw = ImageDraw.Draw(image)
    text_width = WIDTH - 2 * MARGIN

    # 青联圈 header band
    draw.rectangle((0, 0, WIDTH, 190), fill=RED)
    draw.text((MARGIN, 48), _("青联圈"), font=_font(60), fill=WHITE, stroke_width=1, stroke_fill=WHITE)
    draw.text((MARGIN, 128), _("有问必答 · 有需必应 · 有难必帮"), font=_font(28), fill=PALE)

    y = 236
    chip_font = _font(26)
    chip = f"{content.category} · {content.status}"
    chip_w = int(chip_font.getlength(chip)) + 36
    draw.rounded_rectangle((MARGIN, y, MARGIN + chip_w, y + 46), radius=23, fill=PALE)
    draw.text((MARGIN + 18, y + 8), chip, font=chip_font, fill=RED)
    y += 78

    title_font = _font(46)
    for line in wrap(content.title, title_font, text_width, TITLE_LINES):
        draw.text((MARGIN, y), line, font=title_font, fill=INK, stroke_width=1, stroke_fill=INK)
        y += 62
    y += 14

    meta_font = _font(26)
    meta = content.place + (f"  ·  {content.date}" if content.date else "")
    for line in wrap(meta, meta_font, text_width, 2):
        draw.text((MARGIN, y), line, font=meta_font, fill=MUTED)
        y += 38
    y += 20
    draw.line((MARGIN, y, WIDTH - MARGIN, y), fill=(227, 230, 234), width=2)
    y += 30

    body_font = _font(32)
    lines_left = max(1, min(SUMMARY_LINES, (QR_TOP - 40 - y) // 48))
    for line in wrap(content.summary, body_font, text_width, lines_left):
        draw.text((MARGIN, y), line, font=body_font, fill=INK)
        y += 48

    matrix = qr_matrix(content.url)
    count = len(matrix)
    module = max(1, QR_SIZE // count)
    side = module * count
    left, top = (WIDTH - side) // 2, QR_TOP
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                draw.rectangle((left + c * module, top + r * module,
                                left + (c + 1) * module - 1, top + (r + 1) * module - 1), fill=INK)
    caption_font = _font(26)
    caption = _("长按识别二维码，查看详情、留言或认领")
    draw.text(((WIDTH - caption_font.getlength(caption)) / 2, top + side + 28), caption, font=caption_font, fill=MUTED)

    draw.rectangle((0, HEIGHT - 70, WIDTH, HEIGHT), fill=PALE)
    footer = _("共青团 · 青联圈 听结办")
    draw.text(((WIDTH - caption_font.getlength(footer)) / 2, HEIGHT - 54), footer, font=caption_font, fill=RED)

    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return Poster(png=out.getvalue(), qr=QrPlacement(left=left, top=top, module=module, count=count))


def poster_for(appeal) -> Poster:
    """The poster PNG of a published request; NotShareable for any other."""
    return draw_poster(poster_content(appeal))
