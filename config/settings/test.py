from .base import *  # noqa: F401,F403
from .base import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
DEBUG = False
AXES_FAILURE_LIMIT = 3
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {"NAME": None}

# Uploaded test files (photos, rosters) go to a throw-away folder, never into the work tree.
import atexit  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="youthlink-test-media-"))
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
