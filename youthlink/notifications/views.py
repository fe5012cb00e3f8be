from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from youthlink.accounts.access import is_staff_member
from youthlink.core.forms import apply_validation_error

from . import selectors, services
from .forms import ChannelForm
from .models import DeliveryStatus
from .permissions import can_manage_channels, can_manage_channels_at
from .selectors import notifications_for
from .services import notification_mark_read

PAGE_SIZE = 30


@login_required
@require_safe
def notification_list(request):
    page = Paginator(notifications_for(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def mark_all_read(request):
    notification_mark_read(actor=request.user)
    return redirect("notifications:list")


# --- outbound channels (committees only) ------------------------------------------------------------

def _committee_only(request):
    """Young people have no such pages (404, as if missing); other staff are told they may not (403)."""
    if not is_staff_member(request.user):
        raise Http404
    if not can_manage_channels(request.user):
        raise PermissionDenied


def _channel(request, pk):
    """The channel if it lies in the viewer's area (404 otherwise), and theirs to manage (403 otherwise)."""
    channel = selectors.get_channel_for(request.user, pk)
    if not can_manage_channels_at(request.user, channel.node):
        raise PermissionDenied
    return channel


@login_required
@require_safe
def channel_list(request):
    """通知渠道: the group robots and e-mail lists of the viewer's nodes, and how many deliveries failed."""
    _committee_only(request)
    return render(request, "notifications/channels.html", {
        "channels": list(selectors.channels_for(request.user)),
        "failed": selectors.failed_deliveries_count(request.user)})


@login_required
def channel_create(request):
    _committee_only(request)
    form = ChannelForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            channel = services.channel_create(actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("已添加通知渠道“%(name)s”，可发送测试消息检查配置") % {"name": channel.name})
            return redirect("notifications:channels")
    return render(request, "notifications/channel_form.html", {"form": form, "channel": None})


@login_required
def channel_edit(request, pk):
    channel = _channel(request, pk)
    initial = {"name": channel.name, "addresses": "\n".join(channel.addresses),
               "include_descendants": channel.include_descendants, "enabled": channel.enabled}
    form = ChannelForm(request.user, request.POST or None, channel=channel, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.channel_update(actor=request.user, channel=channel, **form.service_kwargs())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("已保存通知渠道“%(name)s”") % {"name": channel.name})
            return redirect("notifications:channels")
    return render(request, "notifications/channel_form.html", {"form": form, "channel": channel})


@login_required
@require_POST
def channel_delete(request, pk):
    channel = _channel(request, pk)
    services.channel_delete(actor=request.user, channel=channel)
    messages.success(request, _("已删除通知渠道“%(name)s”") % {"name": channel.name})
    return redirect("notifications:channels")


@login_required
@require_POST
def channel_test(request, pk):
    channel = _channel(request, pk)
    try:
        services.channel_test(actor=request.user, channel=channel)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("测试消息已排队发送，结果见“发送记录”"))
    return redirect("notifications:channels")


@login_required
@require_safe
def delivery_list(request):
    """发送记录: deliveries to the channels of the viewer's subtree, failed first, with the error."""
    _committee_only(request)
    status = request.GET.get("status", "")
    page = Paginator(selectors.deliveries_for(request.user, status), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/deliveries.html", {
        "page": page, "status": status if status in DeliveryStatus.values else "",
        "statuses": DeliveryStatus.choices})


@login_required
@require_POST
def delivery_retry(request, pk):
    delivery = selectors.get_delivery_for(request.user, pk)
    if not can_manage_channels_at(request.user, delivery.channel.node):
        raise PermissionDenied
    try:
        services.delivery_retry(actor=request.user, delivery=delivery)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已重新排队发送"))
    return redirect("notifications:deliveries")
