from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "youthlink.visits"
    verbose_name = "走访与访谈夜"
