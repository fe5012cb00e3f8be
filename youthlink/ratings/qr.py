import io

import qrcode


def qr_png(data: str) -> bytes:
    """A PNG QR code of the survey link, to paste into a WeChat group or print on a poster."""
    image = qrcode.make(data, box_size=10, border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
