from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AppealsConfig(AppConfig):
    name = "youthlink.appeals"
    verbose_name = "诉求（听结办）"

    def ready(self):
        from . import registrations  # noqa: F401
        from .search import on_post_migrate
        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="appeals_search_index")
