from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "youthlink.orgs"
    verbose_name = "组织架构"

    def ready(self):
        from . import registrations  # noqa: F401
