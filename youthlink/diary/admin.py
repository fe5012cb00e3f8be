from django.contrib import admin

from .models import CheckIn, ContactPoint, DiarySetting


@admin.register(ContactPoint)
class ContactPointAdmin(admin.ModelAdmin):
    list_display = ("cadre", "node", "updated_at")
    raw_id_fields = ("cadre", "node", "set_by")


@admin.register(DiarySetting)
class DiarySettingAdmin(admin.ModelAdmin):
    list_display = ("county", "radius_m")
    raw_id_fields = ("county",)


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    list_display = ("cadre", "node", "local_date", "status", "distance_m")
    list_filter = ("status",)
    raw_id_fields = ("cadre", "node")
