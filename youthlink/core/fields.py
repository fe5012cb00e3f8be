from django.db import models

from . import crypto


class EncryptedTextField(models.TextField):
    """A text column stored encrypted (AES-GCM). Empty strings stay empty so "no value" stays cheap
    to test; anything else is never written in plain text."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(value)
