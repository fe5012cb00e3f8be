from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Consent, PersonTag, YoungPerson


class PersonTagInline(admin.TabularInline):
    model = PersonTag
    extra = 0


@admin.register(YoungPerson)
class YoungPersonAdmin(admin.ModelAdmin):
    """Sensitive fields are shown masked only: unmasking goes through the audited reveal on the record page."""

    list_display = ("name", "gender", "birth_date", "home_node", "masked_mobile_col")
    list_filter = ("gender", "tags__tag")
    search_fields = ("name", "search_keys")
    fields = ("name", "gender", "birth_date", "home_node", "user", "masked_mobile_col", "masked_id_col")
    readonly_fields = ("masked_mobile_col", "masked_id_col")
    raw_id_fields = ("home_node", "user")
    inlines = [PersonTagInline]
    list_select_related = ("home_node",)

    @admin.display(description=_("手机号"))
    def masked_mobile_col(self, obj):
        return obj.masked("mobile")

    @admin.display(description=_("身份证号"))
    def masked_id_col(self, obj):
        return obj.masked("id_number")


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ("person", "kind", "notice_version", "guardian_name", "given_at")
    readonly_fields = [f.name for f in Consent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
