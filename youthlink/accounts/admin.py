from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("node",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "name", "masked_mobile", "is_active", "is_superuser", "last_login")
    search_fields = ("username", "name")
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("name", "masked_mobile", "language")}),
        (_("权限"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("时间"), {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ("masked_mobile", "last_login", "date_joined")

    @admin.display(description=_("手机号"))
    def masked_mobile(self, obj):
        return obj.masked_mobile


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "node", "is_active")
    list_filter = ("role", "is_active")
    raw_id_fields = ("user", "node")
