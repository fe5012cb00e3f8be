from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only, so not even a superuser edits or deletes it here."""

    list_display = ("at", "actor_label", "action", "target_label", "field", "reason")
    list_filter = ("action",)
    search_fields = ("actor_label", "target_label", "reason")
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
