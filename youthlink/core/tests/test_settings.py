"""Production settings: Django's deployment checks pass, and the settings refuse to start without the
secrets that protect the data (a default key would make every encrypted field readable)."""
import os
import subprocess
import sys

import pytest
from django.conf import settings

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "check-only-5f0e8c1d9a7b4e2f8c6d3a1b0e9f7c5d3b1a8e6f4c2d0b9a7e5f3c1d",
    "FIELD_ENCRYPTION_KEYS": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
    "FIELD_HASH_KEY": "check-only-hash-key",
    "DATABASE_URL": "postgres://youthlink@127.0.0.1:5432/youthlink",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "ALLOWED_HOSTS": "youthlink.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://youthlink.example.org",
}
# Settings the tests must not inherit from the developer's shell or CI.
SCRUBBED = {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SQLITE_PATH", *PRODUCTION_ENV}


def run_manage(*args: str, **overrides: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    env.update(PRODUCTION_ENV)
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env,
                          capture_output=True, text=True, timeout=120)


def test_production_settings_pass_deploy_checks_without_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "FIELD_HASH_KEY", "DATABASE_URL"])
def test_production_settings_refuse_to_start_without(missing):
    result = run_manage("check", **{missing: None})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_production_settings_refuse_the_development_secret_key():
    result = run_manage("check", SECRET_KEY="dev-only-insecure-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def _po_entries(path):
    """(msgid, translations, flags) for each entry of a .po file, header excluded; translations holds
    msgstr, or msgstr[0], msgstr[1] … for plural entries."""
    import ast

    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.strip().splitlines() if not line.startswith("#~")]
        flags = " ".join(line for line in lines if line.startswith("#,"))
        parts: dict[str, list[str]] = {}
        keyword = None
        for line in lines:
            if line.startswith("#"):
                continue
            if line.startswith(("msgid", "msgstr")):
                keyword = line.split(" ", 1)[0]
            if keyword and '"' in line:
                parts.setdefault(keyword, []).append(ast.literal_eval(line[line.index('"'):]))
        msgid = "".join(parts.get("msgid", []))
        if msgid:
            translations = ["".join(v) for k, v in parts.items() if k.startswith("msgstr")]
            entries.append((msgid, translations, flags))
    return entries


@pytest.mark.parametrize("code", [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE])
def test_every_other_language_has_a_complete_catalogue(code):
    path = settings.LOCALE_PATHS[0] / code / "LC_MESSAGES" / "django.po"
    entries = _po_entries(path)
    assert len(entries) > 100
    assert [msgid for msgid, translations, _flags in entries if not all(translations)] == []
    assert [msgid for msgid, _translations, flags in entries if "fuzzy" in flags] == []


def test_english_catalogue_is_compiled_and_used():
    from django.utils import translation

    with translation.override("en"):
        assert translation.gettext("登录青联圈") == "Log in to Youthlink"
    with translation.override("zh-hans"):
        assert translation.gettext("登录青联圈") == "登录青联圈"
