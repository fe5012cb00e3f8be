from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "youthlink.notifications"
    verbose_name = "通知"

    def ready(self):
        from . import registrations  # noqa: F401
