from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "youthlink.people"
    verbose_name = "青年档案"
