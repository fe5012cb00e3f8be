"""The CJK font the platform draws Chinese with outside the browser: the pairing card PDF and the
share poster PNG. WenQuanYi Zen Hei (Debian: fonts-wqy-zenhei, installed by `make install`) has
TrueType outlines that both reportlab (embedded, subset) and Pillow can use; settings.CJK_FONT (or
the older PAIRING_CARD_FONT) may point at another TrueType font or collection."""
from __future__ import annotations

from pathlib import Path

from django.conf import settings

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)


def cjk_font_path() -> str | None:
    """The first CJK TrueType font that exists: the configured one, then the Debian packages'."""
    configured = [getattr(settings, name, "") for name in ("CJK_FONT", "PAIRING_CARD_FONT")]
    for path in [p for p in configured if p] + list(FONT_CANDIDATES):
        if Path(path).is_file():
            return path
    return None


REPORTLAB_FONT = "YouthlinkCJK"
REPORTLAB_FALLBACK = "STSong-Light"


def reportlab_font() -> str:
    """Register the CJK font with reportlab once per process (embedded, subset) and return its name;
    without a TrueType CJK font, reportlab's named-only STSong-Light (readers must bring the glyphs)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    registered = pdfmetrics.getRegisteredFontNames()
    if REPORTLAB_FONT in registered:
        return REPORTLAB_FONT
    path = cjk_font_path()
    if path is not None:
        pdfmetrics.registerFont(TTFont(REPORTLAB_FONT, path, subfontIndex=0))
        return REPORTLAB_FONT
    if REPORTLAB_FALLBACK not in registered:
        pdfmetrics.registerFont(UnicodeCIDFont(REPORTLAB_FALLBACK))
    return REPORTLAB_FALLBACK
