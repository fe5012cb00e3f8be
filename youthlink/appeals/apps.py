from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _builtin_categories(sender, using="default", **kwargs):
    # Like contenttypes and permissions: made again after `flush` too (which a transactional test or
    # a reset database runs), not only by the data migration.
    from .categories import ensure_builtin_categories
    from .models import Category
    ensure_builtin_categories(Category, using=using)


class AppealsConfig(AppConfig):
    name = "youthlink.appeals"
    verbose_name = "诉求（听结办）"

    def ready(self):
        from . import registrations  # noqa: F401
        from .search import on_post_migrate
        post_migrate.connect(_builtin_categories, sender=self, dispatch_uid="appeals.builtin_categories")
        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="appeals_search_index")
