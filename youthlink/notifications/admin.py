from django import forms
from django.contrib import admin
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from youthlink.audit.models import AuditAction
from youthlink.audit.services import audit_record

from .models import WEBHOOK_KINDS, Channel, Delivery, DeliveryStatus
from .services import MAX_ATTEMPTS, _check_url, _clean_channel, _queue_after_commit


class ChannelAdminForm(forms.ModelForm):
    """The same checks as the committees' form (services._clean_channel, _check_url); the secret is
    never rendered, and left empty it keeps the stored one."""

    class Meta:
        model = Channel
        fields = ["node", "kind", "name", "url", "secret", "addresses", "include_descendants", "enabled"]
        widgets = {"url": forms.TextInput(attrs={"size": 80}), "secret": forms.PasswordInput()}

    def clean(self):
        data = super().clean()
        errors: dict = {}
        addresses = data.get("addresses") or []
        if not isinstance(addresses, list):
            addresses = [str(addresses)]
        secret = data.get("secret") or (self.instance.secret if self.instance.pk else "")
        name, url, secret, addresses = _clean_channel(kind=data.get("kind", ""), name=data.get("name", ""),
                                                      url=data.get("url", ""), secret=secret,
                                                      addresses=addresses, errors=errors)
        if data.get("kind") in WEBHOOK_KINDS:
            _check_url(url, errors)
        if errors:
            raise forms.ValidationError({k: v for k, v in errors.items() if k in self.fields} or
                                        [m for v in errors.values() for m in v])
        data.update(name=name, url=url, secret=secret, addresses=addresses)
        return data


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    form = ChannelAdminForm
    list_display = ("name", "kind", "node", "masked_url", "include_descendants", "enabled")
    list_filter = ("kind", "enabled")
    search_fields = ("name", "node__name")
    raw_id_fields = ("node",)

    @admin.display(description=_("Webhook 地址"))
    def masked_url(self, obj):
        return obj.target_label

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            if not change:
                obj.created_by = request.user
            super().save_model(request, obj, form, change)
            audit_record(actor=request.user, action=AuditAction.CHANNEL_CHANGE, target=obj, node=obj.node,
                         target_label=obj.name, data={"op": "admin.update" if change else "admin.create",
                                                      "changed": sorted(form.changed_data), "target": obj.target_label})

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit_record(actor=request.user, action=AuditAction.CHANNEL_CHANGE, target=obj, node=obj.node,
                         target_label=obj.name, data={"op": "admin.delete", "target": obj.target_label})
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("title", "channel", "user", "status", "attempts", "next_attempt_at", "created_at", "sent_at")
    list_filter = ("status", "channel__kind")
    search_fields = ("title", "last_error")
    date_hierarchy = "created_at"
    raw_id_fields = ("channel", "user")
    readonly_fields = [f.name for f in Delivery._meta.fields]
    actions = ["retry_now"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("立即重发所选的未发送消息"))
    def retry_now(self, request, queryset):
        with transaction.atomic():
            ids = list(queryset.exclude(status=DeliveryStatus.SENT).values_list("pk", flat=True))
            for delivery in Delivery.objects.filter(pk__in=ids):
                Delivery.objects.filter(pk=delivery.pk).update(
                    status=DeliveryStatus.PENDING, next_attempt_at=timezone.now(),
                    attempts=min(delivery.attempts, MAX_ATTEMPTS - 1))
            _queue_after_commit(ids)
        self.message_user(request, _("已重新排队 %(n)d 条") % {"n": len(ids)})
