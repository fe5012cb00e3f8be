from django.apps import AppConfig


class ScaleConfig(AppConfig):
    """City-sized synthetic data (`manage.py seed_scale`) for benchmarks and capacity planning."""

    name = "youthlink.scale"
    verbose_name = "规模数据"
