from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "youthlink.people"
    verbose_name = "青年档案"

    def ready(self):
        from . import registrations  # noqa: F401
