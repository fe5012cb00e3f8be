from django.apps import AppConfig


class LiaisonConfig(AppConfig):
    name = "youthlink.liaison"
    verbose_name = "三联与青年之友"

    def ready(self):
        from . import registrations  # noqa: F401
