"""Production: PostgreSQL by DATABASE_URL, Redis by REDIS_URL, Celery workers, behind TLS."""
from django.core.exceptions import ImproperlyConfigured

from youthlink.core.env import envbool, envint, envstr

from .base import *  # noqa: F401,F403
from .base import DATABASE_REPLICA_URL, DATABASE_URL, FIELD_ENCRYPTION_KEYS, FIELD_HASH_KEY, SECRET_KEY

DEBUG = False
if SECRET_KEY.startswith("dev-only") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be set to a long random value in production")
if not FIELD_ENCRYPTION_KEYS or not FIELD_HASH_KEY:
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS and FIELD_HASH_KEY must be set in production")
if not DATABASE_URL:
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL in production")
if DATABASE_REPLICA_URL and not DATABASE_REPLICA_URL.startswith(("postgres://", "postgresql://")):
    raise ImproperlyConfigured("DATABASE_REPLICA_URL must point at a PostgreSQL replica of DATABASE_URL")

SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# A load balancer probes the backends over plain HTTP; a redirect to HTTPS would read as "down".
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
STATIC_ROOT = envstr("STATIC_ROOT", str(STATIC_ROOT))  # noqa: F405
# Admin-configured webhooks may not reach the server's own network (set true for an intranet robot).
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = envbool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", False)

# Uploaded files (visit and diary photos, rosters while they are imported): the local MEDIA_ROOT,
# shared by the web and worker processes, or an S3-compatible bucket (AWS S3, MinIO, Aliyun OSS,
# Tencent COS …) once there is more than one host. The bucket stays private: every file is served
# by a view that checks permissions, which reads it through the storage.
MEDIA_STORAGE = envstr("MEDIA_STORAGE", "filesystem")
if MEDIA_STORAGE == "s3":
    if not envstr("AWS_STORAGE_BUCKET_NAME"):
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME (and AWS_* credentials)")
    STORAGES = {
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
            "bucket_name": envstr("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": envstr("AWS_S3_ENDPOINT_URL") or None,
            "region_name": envstr("AWS_S3_REGION_NAME") or None,
            "access_key": envstr("AWS_ACCESS_KEY_ID") or None,
            "secret_key": envstr("AWS_SECRET_ACCESS_KEY") or None,
            "location": envstr("AWS_LOCATION", "media"),
            "default_acl": None,  # the bucket's own policy: private
            "querystring_auth": True,
            "file_overwrite": False,
            "addressing_style": envstr("AWS_S3_ADDRESSING_STYLE") or None,
            "signature_version": "s3v4",
        }},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
elif MEDIA_STORAGE != "filesystem":
    raise ImproperlyConfigured("MEDIA_STORAGE must be 'filesystem' or 's3'")
