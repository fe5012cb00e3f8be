from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "youthlink.ratings"
    verbose_name = "评价与满意度测评"

    def ready(self):
        from . import registrations  # noqa: F401
