import base64
import os

import pytest
from django.db import connection

from youthlink.core import crypto
from youthlink.core.testing import make_person, valid_id_number
from youthlink.people.models import YoungPerson

pytestmark = pytest.mark.django_db


def test_round_trip_and_random_nonce():
    a, b = crypto.encrypt("13800138000"), crypto.encrypt("13800138000")
    assert a != b
    assert crypto.decrypt(a) == crypto.decrypt(b) == "13800138000"


def test_sensitive_fields_are_not_stored_in_plain_text(world):
    import datetime as dt
    number = valid_id_number(dt.date(1999, 9, 9), serial=77)
    person = make_person(world.home.village, "李四", mobile="13912345678", id_number=number,
                         health_notes="抑郁症复诊中", hardship_notes="低保户")
    with connection.cursor() as cursor:
        cursor.execute("SELECT mobile, id_number, health_notes, hardship_notes, mobile_hash, id_hash "
                       "FROM people_youngperson WHERE id = %s", [person.pk])
        row = cursor.fetchone()
    stored = " ".join(row)
    for plain in ("13912345678", number, "抑郁症", "低保户"):
        assert plain not in stored
    assert all(value.startswith("v1:") for value in row[:4])
    assert row[4] == crypto.keyed_hash("13912345678", purpose="mobile")
    fresh = YoungPerson.objects.get(pk=person.pk)
    assert (fresh.mobile, fresh.id_number, fresh.health_notes) == ("13912345678", number, "抑郁症复诊中")


def test_rotated_keys_still_decrypt_old_values(settings):
    old_key = base64.urlsafe_b64encode(os.urandom(32)).decode()
    new_key = base64.urlsafe_b64encode(os.urandom(32)).decode()
    settings.FIELD_ENCRYPTION_KEYS = [old_key]
    crypto.reset_key_cache()
    token = crypto.encrypt("110105194912310021")
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    crypto.reset_key_cache()
    try:
        assert crypto.decrypt(token) == "110105194912310021"
        settings.FIELD_ENCRYPTION_KEYS = [new_key]
        crypto.reset_key_cache()
        with pytest.raises(ValueError):
            crypto.decrypt(token)
    finally:
        crypto.reset_key_cache()


def test_keyed_hash_depends_on_the_key(settings):
    first = crypto.keyed_hash("13800138000", purpose="mobile")
    settings.FIELD_HASH_KEY = "another-key"
    crypto.reset_key_cache()
    try:
        assert crypto.keyed_hash("13800138000", purpose="mobile") != first
    finally:
        crypto.reset_key_cache()
