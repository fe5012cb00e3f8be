"""Helpers for the visits tests: local moments, stored files, phone photos with EXIF and GPS."""
import datetime as dt
import io

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from youthlink.visits.periods import LOCAL_TZ


def at(year, month, day, hour=19, minute=30) -> dt.datetime:
    """A moment in China's local time."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=LOCAL_TZ)


def stored_files(prefix: str = "visits") -> set[str]:
    """Every file under `prefix` in the default storage (any backend), recursively."""
    found = set()
    if not default_storage.exists(prefix):
        return found
    dirs, files = default_storage.listdir(prefix)
    found |= {f"{prefix}/{name}" for name in files}
    for name in dirs:
        found |= stored_files(f"{prefix}/{name}")
    return found


GPS_LATITUDE = (27.0, 50.0, 31.53)


def jpeg_with_gps(width=3000, height=2000, name="IMG_0001.jpg", orientation=None) -> SimpleUploadedFile:
    """A phone photo: EXIF with the camera, the owner, a GPS position and (optionally) an orientation."""
    image = Image.new("RGB", (width, height), (30, 120, 200))
    image.paste((250, 200, 0), (0, 0, width // 3, height // 3))  # a yellow block top-left, to see rotations
    exif = Image.Exif()
    exif[0x010F] = "Apple"  # Make
    exif[0x0110] = "iPhone 15"  # Model
    exif[0x013B] = "泰顺团干部"  # Artist
    if orientation:
        exif[0x0112] = orientation
    gps = {1: "N", 2: GPS_LATITUDE, 3: "E", 4: (119.0, 43.0, 12.0)}
    exif[0x8825] = gps  # GPSInfo IFD
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, quality=90, comment=b"secret comment")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def png(width=400, height=300, name="photo.png", alpha=False) -> SimpleUploadedFile:
    image = Image.new("RGBA" if alpha else "RGB", (width, height), (10, 200, 30, 128) if alpha else (10, 200, 30))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")
