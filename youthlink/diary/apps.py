from django.apps import AppConfig


class DiaryConfig(AppConfig):
    name = "youthlink.diary"
    verbose_name = "工作网络日记"

    def ready(self):
        from . import registrations  # noqa: F401
