"""Visit photos go through the shared photo pipeline (youthlink.core.photos) into MEDIA_ROOT/visits/."""
from youthlink.core.photos import ProcessedPhoto, max_count, process, process_all, remove  # noqa: F401
from youthlink.core.photos import store as _store

UPLOAD_DIR = "visits"


def store(photo: ProcessedPhoto, *, day) -> str:
    return _store(photo, folder=UPLOAD_DIR, day=day)
