from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "youthlink.core"
    verbose_name = "平台核心"
