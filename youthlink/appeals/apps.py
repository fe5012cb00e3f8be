from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "youthlink.appeals"
    verbose_name = "诉求（听结办）"

    def ready(self):
        from . import registrations  # noqa: F401
