from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "youthlink.visits"
    verbose_name = "走访与访谈夜"

    def ready(self):
        from . import registrations  # noqa: F401
