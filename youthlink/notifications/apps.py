from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "youthlink.notifications"
    verbose_name = "通知"
