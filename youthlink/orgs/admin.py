from django.contrib import admin

from .models import Node, SocialOrganisation


@admin.register(Node)
class NodeAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "admin_code", "parent", "depth")
    list_filter = ("kind", "depth")
    search_fields = ("name", "admin_code")
    readonly_fields = ("path", "depth")
    raw_id_fields = ("parent",)

    def has_add_permission(self, request):
        return False  # nodes are created through orgs.services.node_create, which maintains the path


@admin.register(SocialOrganisation)
class SocialOrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "service_area", "node", "contact_name")
    search_fields = ("name",)
    raw_id_fields = ("node",)
