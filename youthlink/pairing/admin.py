from django.contrib import admin

from .models import MustVisitEvent, MustVisitRule, MustVisitTask, Pairing


@admin.register(Pairing)
class PairingAdmin(admin.ModelAdmin):
    list_display = ("helper", "helper_role", "person", "is_active", "created_at", "ended_at")
    list_filter = ("is_active", "helper_role")
    raw_id_fields = ("helper", "helper_node", "person", "created_by", "ended_by")


@admin.register(MustVisitRule)
class MustVisitRuleAdmin(admin.ModelAdmin):
    list_display = ("county", "event_type", "deadline_days", "is_enabled", "updated_at")
    raw_id_fields = ("county", "updated_by")


@admin.register(MustVisitEvent)
class MustVisitEventAdmin(admin.ModelAdmin):
    list_display = ("person", "event_type", "occurred_at", "deadline_days", "recorded_at")
    list_filter = ("event_type",)
    raw_id_fields = ("person", "recorded_by")
    exclude = ("note",)  # sensitive free text stays in the product, where viewing it is scoped


@admin.register(MustVisitTask)
class MustVisitTaskAdmin(admin.ModelAdmin):
    list_display = ("helper", "person", "due_at", "status", "escalated_at", "closed_at")
    list_filter = ("status",)
    raw_id_fields = ("event", "pairing", "helper", "person")
