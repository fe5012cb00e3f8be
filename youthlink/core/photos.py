"""Photos of visits, requests and diaries: checked, turned upright, shrunk to at most 1600 px and
re-encoded as a JPEG that carries no metadata at all. A phone's photo holds the GPS position of a young person's home and the
camera's serial number in its EXIF; none of that may be stored.

Processing happens before the caller's transaction (it is slow and needs no lock); the files are
written to storage inside it and removed again if it rolls back."""
from __future__ import annotations

import io
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_EDGE = 1600
JPEG_QUALITY = 85
ACCEPTED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "GIF", "BMP"}


def max_bytes() -> int:
    return getattr(settings, "PHOTO_MAX_BYTES", 10 * 1024 * 1024)


def max_count() -> int:
    return getattr(settings, "PHOTO_MAX_COUNT", 9)


def max_pixels() -> int:
    # A 50-megapixel phone photo still opens; a decompression bomb does not.
    return getattr(settings, "PHOTO_MAX_PIXELS", 60_000_000)


@dataclass(frozen=True)
class ProcessedPhoto:
    content: bytes
    width: int
    height: int

    @property
    def size(self) -> int:
        return len(self.content)


def _name(upload) -> str:
    return (getattr(upload, "name", "") or _("照片")).rsplit("/", 1)[-1][:60]


def _refuse(message: str) -> ValidationError:
    return ValidationError({"photos": [message]}, code="photo")


def process(upload) -> ProcessedPhoto:
    """One uploaded file → a clean JPEG, or a ValidationError with a reason a cadre understands."""
    name = _name(upload)
    size = getattr(upload, "size", None)
    limit = max_bytes()
    if size is not None and size > limit:
        raise _refuse(_("照片“%(name)s”太大（%(size).1f MB），每张不能超过 %(limit)d MB")
                      % {"name": name, "size": size / 1024 / 1024, "limit": limit // (1024 * 1024)})
    try:
        upload.seek(0)
    except (AttributeError, OSError):
        pass
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as probe:
                fmt = probe.format
                width, height = probe.size
                if fmt not in ACCEPTED_FORMATS:
                    raise _refuse(_("“%(name)s”不是支持的图片格式，请上传 JPG 或 PNG 照片") % {"name": name})
                if width * height > max_pixels():
                    raise _refuse(_("照片“%(name)s”的像素过大，请缩小后再上传") % {"name": name})
                probe.verify()  # reads the whole file: a truncated or corrupt image fails here
            upload.seek(0)
            with Image.open(upload) as image:
                image.load()
                return _clean(image)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse(_("照片“%(name)s”的像素过大，请缩小后再上传") % {"name": name}) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise _refuse(_("“%(name)s”不是图片文件，或文件已损坏") % {"name": name}) from None


def _clean(image: Image.Image) -> ProcessedPhoto:
    # Turn the picture upright first: the orientation lives in the EXIF that is about to go.
    upright = ImageOps.exif_transpose(image)
    if upright.mode in ("RGBA", "LA") or (upright.mode == "P" and "transparency" in upright.info):
        rgba = upright.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        upright = flat
    else:
        upright = upright.convert("RGB")
    upright.thumbnail((MAX_EDGE, MAX_EDGE), Image.Resampling.LANCZOS)
    # A new image from the bare pixels: nothing of the original's info (EXIF, XMP, ICC, comments)
    # can ride along into the file we write.
    bare = Image.frombytes("RGB", upright.size, upright.tobytes())
    out = io.BytesIO()
    bare.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return ProcessedPhoto(content=out.getvalue(), width=bare.width, height=bare.height)


def process_all(uploads) -> list[ProcessedPhoto]:
    uploads = [u for u in uploads if u is not None]
    if len(uploads) > max_count():
        raise _refuse(_("每次最多上传 %(n)d 张照片") % {"n": max_count()})
    return [process(u) for u in uploads]


def store(photo: ProcessedPhoto, *, folder: str, day) -> str:
    """Write the JPEG under MEDIA_ROOT/<folder>/<year>/<month>/ with a random name; returns the name."""
    name = f"{folder}/{day:%Y/%m}/{uuid.uuid4().hex}.jpg"
    return default_storage.save(name, ContentFile(photo.content))


def remove(names) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            pass
