from django.contrib import admin

from .models import Node, SocialOrganisation
from .services import node_create


@admin.register(Node)
class NodeAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "admin_code", "parent", "depth")
    list_filter = ("kind", "depth")
    search_fields = ("name", "admin_code")
    readonly_fields = ("path", "depth")
    raw_id_fields = ("parent",)

    def save_model(self, request, obj, form, change):
        if change:
            # Moving a node would need its whole subtree's paths rewritten; parent stays as created.
            obj.parent_id = form.initial.get("parent", obj.parent_id)
            super().save_model(request, obj, form, change)
            return
        created = node_create(name=obj.name, kind=obj.kind, parent=obj.parent, admin_code=obj.admin_code,
                              latitude=obj.latitude, longitude=obj.longitude)
        obj.pk, obj.path, obj.depth = created.pk, created.path, created.depth

    def get_readonly_fields(self, request, obj=None):
        return ("path", "depth", "parent") if obj else ("path", "depth")


@admin.register(SocialOrganisation)
class SocialOrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "service_area", "node", "contact_name")
    search_fields = ("name",)
    raw_id_fields = ("node",)
