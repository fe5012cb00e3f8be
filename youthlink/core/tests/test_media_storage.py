"""Uploaded files in production: the local MEDIA_ROOT by default, or a private S3-compatible bucket
with MEDIA_STORAGE=s3 (docs/production.md)."""
from youthlink.core.tests.test_settings import run_manage

S3_ENV = {"MEDIA_STORAGE": "s3", "AWS_STORAGE_BUCKET_NAME": "youthlink-media",
          "AWS_S3_ENDPOINT_URL": "https://oss-cn-hangzhou.aliyuncs.com", "AWS_S3_REGION_NAME": "cn-hangzhou",
          "AWS_S3_ADDRESSING_STYLE": "virtual",
          "AWS_ACCESS_KEY_ID": "check-only-key-id", "AWS_SECRET_ACCESS_KEY": "check-only-secret"}
SCRIPT = ("from django.core.files.storage import storages; s = storages['default']; "
          "print(type(s).__module__ + '.' + type(s).__name__); print(getattr(s, 'bucket_name', '-')); "
          "print(s.url('visits/2026/11/a.jpg').split('?')[0]); print('X-Amz-Signature=' in s.url('a.jpg'))")


def test_production_keeps_files_on_the_local_disk_by_default():
    result = run_manage("shell", "--no-imports", "-c", SCRIPT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:2] == ["django.core.files.storage.filesystem.FileSystemStorage", "-"]


def test_media_storage_s3_puts_files_in_a_private_bucket_with_signed_urls():
    result = run_manage("shell", "--no-imports", "-c", SCRIPT, **S3_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "storages.backends.s3.S3Storage", "youthlink-media",
        "https://youthlink-media.oss-cn-hangzhou.aliyuncs.com/media/visits/2026/11/a.jpg", "True"]
    checked = run_manage("check", "--deploy", "--fail-level", "WARNING", **S3_ENV)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_media_storage_s3_refuses_to_start_without_a_bucket_and_unknown_storages():
    result = run_manage("check", **{**S3_ENV, "AWS_STORAGE_BUCKET_NAME": None})
    assert result.returncode != 0 and "AWS_STORAGE_BUCKET_NAME" in result.stderr
    result = run_manage("check", MEDIA_STORAGE="ftp")
    assert result.returncode != 0 and "MEDIA_STORAGE" in result.stderr
