from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "youthlink.audit"
    verbose_name = "审计日志"
