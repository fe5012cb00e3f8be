from django.contrib import admin

from .models import Binding, CadreInvite, CadreLink


@admin.register(Binding)
class BindingAdmin(admin.ModelAdmin):
    list_display = ("cadre", "person", "node", "source", "created_at")
    list_filter = ("source",)
    raw_id_fields = ("cadre", "person", "node")


@admin.register(CadreLink)
class CadreLinkAdmin(admin.ModelAdmin):
    list_display = ("cadre", "kind", "social_org", "person", "created_at")
    list_filter = ("kind",)
    raw_id_fields = ("cadre", "person", "social_org", "node")


@admin.register(CadreInvite)
class CadreInviteAdmin(admin.ModelAdmin):
    list_display = ("cadre", "node", "created_at")
    raw_id_fields = ("cadre", "node")
    exclude = ("token",)
