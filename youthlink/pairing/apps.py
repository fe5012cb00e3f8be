from django.apps import AppConfig


class PairingConfig(AppConfig):
    name = "youthlink.pairing"
    verbose_name = "结对帮扶"

    def ready(self):
        from . import registrations  # noqa: F401
