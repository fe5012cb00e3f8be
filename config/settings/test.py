from .base import *  # noqa: F401,F403
from .base import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
DEBUG = False
AXES_FAILURE_LIMIT = 3

# Uploaded test files (photos, rosters) go to a throw-away folder, never into the work tree.
import atexit  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="youthlink-test-media-"))
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)

# SQLite tests run on a file in WAL mode, as production's embedded default does, not on the shared
# in-memory database: there, concurrent connections fail at once with "database table is locked"
# instead of queueing on the busy timeout, so races (two claims at once) could not be tested.
# The file lives in memory-backed /dev/shm where there is one.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    _db_dir = Path("/dev/shm") if Path("/dev/shm").is_dir() else MEDIA_ROOT.parent
    _db_file = _db_dir / f"{MEDIA_ROOT.name}.sqlite3"
    DATABASES["default"]["TEST"] = {"NAME": str(_db_file)}
    atexit.register(lambda: [p.unlink(missing_ok=True) for p in _db_dir.glob(f"{MEDIA_ROOT.name}*.sqlite3*")])
