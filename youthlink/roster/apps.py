from django.apps import AppConfig


class RosterConfig(AppConfig):
    name = "youthlink.roster"
    verbose_name = "名册导入"

    def ready(self):
        from . import registrations  # noqa: F401
