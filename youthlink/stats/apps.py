from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "youthlink.stats"
    verbose_name = "数据看板与报告"

    def ready(self):
        from . import registrations  # noqa: F401
