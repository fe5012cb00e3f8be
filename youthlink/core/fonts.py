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
