"""Pages for handling a request (听结办): escalate it (上报), route it to a resource partner (资源对接,
the suggestions with their reasons), reply, record the result with photos (办结), and the young
person's confirmation and rating (确认并评价). Thin: parse, check, call the service, answer.

Every page first fetches the request as the viewer may see it (404 for missing and forbidden
alike), then asks the named predicate (403 for someone who sees it but may not do this)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from youthlink.core.forms import apply_validation_error

from . import permissions, selectors
from .handling_forms import ConfirmForm, EscalateForm, ReferForm, ResolveForm, RespondForm
from .matching import partner_suggestions
from .models import CONFIRM_DAYS
from .services.handling import appeal_confirm, appeal_escalate, appeal_refer, appeal_resolve, appeal_respond

SUGGESTIONS_SHOWN = 20


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _to_detail(appeal):
    return redirect("appeals:detail", pk=appeal.pk)


@login_required
def escalate(request, pk):
    """上报 to the county or city, with a note on why."""
    appeal = selectors.get_appeal_for(request.user, pk)
    _require(permissions.can_escalate(request.user, appeal))
    form = EscalateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            appeal = appeal_escalate(actor=request.user, appeal=appeal, note=form.cleaned_data["note"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("已上报%(node)s") % {"node": appeal.handling_node.name})
            return _to_detail(appeal)
    return render(request, "appeals/escalate.html", {"appeal": appeal, "form": form})


@login_required
@require_safe
def partners(request, pk):
    """The resource partners suggested for the request, best first, each with the reasons why."""
    appeal = selectors.get_appeal_for(request.user, pk)
    _require(permissions.can_refer(request.user, appeal))
    return render(request, "appeals/partners.html", {
        "appeal": appeal, "suggestions": partner_suggestions(appeal, limit=SUGGESTIONS_SHOWN),
        "referrals": list(selectors.referrals_for(appeal)), "form": ReferForm()})


@login_required
@require_POST
def refer(request, pk):
    appeal = selectors.get_appeal_for(request.user, pk)
    _require(permissions.can_refer(request.user, appeal))
    form = ReferForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请从推荐列表中选择资源方"))
        return redirect("appeals:partners", pk=appeal.pk)
    try:
        referral = appeal_refer(actor=request.user, appeal=appeal, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("appeals:partners", pk=appeal.pk)
    partner = referral.person or referral.social_org or referral.centre
    messages.success(request, _("已转交%(name)s") % {"name": partner.name})
    return _to_detail(appeal)


@login_required
@require_POST
def respond(request, pk):
    """A reply or progress note, sent from the panel on the request's page."""
    appeal = selectors.get_appeal_for(request.user, pk)
    _require(permissions.can_respond(request.user, appeal))
    form = RespondForm(request.POST)
    body = form.cleaned_data["body"] if form.is_valid() else request.POST.get("body", "")
    try:
        appeal_respond(actor=request.user, appeal=appeal, body=body)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("答复已发送"))
    return _to_detail(appeal)


@login_required
def resolve(request, pk):
    """办结: what was done, with photos."""
    appeal = selectors.get_appeal_for(request.user, pk)
    _require(permissions.can_resolve(request.user, appeal))
    form = ResolveForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            appeal_resolve(actor=request.user, appeal=appeal, body=form.cleaned_data["body"],
                           photos=form.cleaned_data["photos"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("已办结，等待青年确认"))
            return _to_detail(appeal)
    return render(request, "appeals/resolve.html", {
        "appeal": appeal, "form": form, "photos_lost": request.method == "POST" and bool(request.FILES)})


@login_required
def confirm(request, pk):
    """确认并评价, for the young person on their phone: solved (with stars) or not yet (with why)."""
    appeal = selectors.get_appeal_for(request.user, pk)
    _require(permissions.can_confirm(request.user, appeal))
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appeal = appeal_confirm(actor=request.user, appeal=appeal, solved=data["solved"], rating=data["rating"],
                                    comment=data["comment"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("谢谢您的评价") if data["solved"] else _("已告知承办人继续办理"))
            return _to_detail(appeal)
    resolution = selectors.latest_resolution(appeal)
    return render(request, "appeals/confirm.html", {
        "appeal": appeal, "form": form, "resolution": resolution, "confirm_days": CONFIRM_DAYS})


@login_required
@require_safe
def update_photo(request, pk):
    """A photo of what was done, only for those who read the request in full (never a media URL)."""
    photo = selectors.get_appeal_photo_for(request.user, pk)
    try:
        with default_storage.open(photo.image.name, "rb") as handle:
            content = handle.read()  # at most 1600 px: a few hundred kB
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = HttpResponse(content, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    return response
