from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from youthlink.accounts.access import is_staff_member, memberships
from youthlink.core.forms import apply_validation_error
from youthlink.core.registry import profile_sections
from youthlink.orgs.models import NodeKind
from youthlink.orgs.selectors import get_node_for

from . import permissions, selectors, services
from .forms import CheckInForm, CommentForm, ContactPointForm, EntryForm, RadiusForm, ReviewForm
from .models import DEFAULT_RADIUS_M, DiarySetting, EntryStatus

PAGE_SIZE = 30


def _staff_only(request):
    """Young people have no diary pages at all: the same 404 as a page that does not exist."""
    if not is_staff_member(request.user):
        raise Http404


def _require(allowed: bool):
    if not allowed:
        raise PermissionDenied


@login_required
@require_safe
def home(request):
    """The diary hub: today's check-in and diary for a cadre, my entries; the queue for reviewers."""
    _staff_only(request)
    user = request.user
    keeps = permissions.can_keep_diary(user)
    reviews = permissions.can_review_anything(user)
    _require(keeps or reviews)
    context = {"keeps": keeps, "reviews": reviews}
    if keeps:
        context["checkin"] = selectors.today_checkin(user)
        context["contact_point"] = selectors.contact_point_for(user)
        context["entries"] = list(selectors.entry_list(user, cadre=user)[:PAGE_SIZE])
    if reviews:
        context["queue_count"] = selectors.review_queue(user).count()
        context["radius_counties"] = [m.node for m in memberships(user)
                                      if m.node.kind == NodeKind.COUNTY and permissions.can_set_radius(user, m.node)]
    return render(request, "diary/home.html", context)


@login_required
def checkin(request):
    """报到 at the contact point, from the phone, with the browser's position when allowed."""
    _staff_only(request)
    _require(permissions.can_keep_diary(request.user))
    existing = selectors.today_checkin(request.user)
    if existing is not None:
        return redirect("diary:write", pk=existing.pk)
    point = selectors.contact_point_for(request.user)
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            done = services.checkin_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("报到成功：%(status)s") % {"status": done.get_status_display()})
            return redirect("diary:write", pk=done.pk)
    return render(request, "diary/checkin.html", {
        "form": form, "point": point, "radius": selectors.radius_for(point) if point else DEFAULT_RADIUS_M,
        "needs_reason": "reason" in form.errors})


def _entry_form(request, checkin, entry, data=None, files=None):
    items = selectors.day_items(request.user, checkin.local_date)
    initial = {}
    if entry is not None:
        initial = {"work_log": entry.work_log, "reflections": entry.reflections,
                   "links": [f"{link['kind']}:{link['id']}" for link in entry.links]}
    return EntryForm(data, files, items=items, initial=initial)


@login_required
def write(request, pk):
    """写日记 after the check-in: the draft is saved as the cadre types; submitting sends it for review."""
    _staff_only(request)
    checkin = selectors.get_own_checkin(request.user, pk)
    _require(permissions.can_keep_diary(request.user))
    entry = selectors.entry_of(checkin)
    if entry is not None and entry.status != EntryStatus.DRAFT:
        return redirect("diary:detail", pk=entry.pk)
    form = _entry_form(request, checkin, entry, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.diary_entry_submit(actor=request.user, checkin=checkin, work_log=data["work_log"],
                                                reflections=data["reflections"], links=data["links"],
                                                photos=data["photos"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("工作日记已提交，等待团县委点评"))
            return redirect("diary:detail", pk=entry.pk)
    return render(request, "diary/write.html", {
        "form": form, "checkin": checkin, "entry": entry,
        "photos_lost": request.method == "POST" and bool(request.FILES)})


@login_required
@require_POST
def draft(request, pk):
    """Autosave (htmx): the typed text becomes the check-in's draft; answers a one-line status."""
    _staff_only(request)
    checkin = selectors.get_own_checkin(request.user, pk)
    try:
        entry = services.diary_draft_save(actor=request.user, checkin=checkin,
                                          work_log=request.POST.get("work_log", ""),
                                          reflections=request.POST.get("reflections", ""),
                                          links=request.POST.getlist("links"))
    except ValidationError as exc:
        return render(request, "diary/_draft_status.html", {"errors": exc.messages})
    return render(request, "diary/_draft_status.html", {"entry": entry})


@login_required
@require_safe
def detail(request, pk):
    entry = selectors.get_entry_for(request.user, pk)
    return render(request, "diary/detail.html", {
        "entry": entry, "comments": selectors.comments_of(entry),
        "review_form": ReviewForm() if permissions.can_review_entry(request.user, entry) else None,
        "comment_form": CommentForm() if permissions.can_comment(request.user, entry) else None,
        "can_read_cadre": permissions.can_read_cadre(request.user, entry.cadre, entry.node)})


def _errors(request, exc: ValidationError) -> None:
    messages.error(request, "；".join(exc.messages))


@login_required
@require_POST
def review(request, pk):
    """调阅点评: grade and advice in one step, from the entry page."""
    entry = selectors.get_entry_for(request.user, pk)
    try:
        services.diary_entry_review(actor=request.user, entry=entry, grade=request.POST.get("grade", ""),
                                    comment=request.POST.get("comment", ""))
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("diary:detail", pk=entry.pk)
    messages.success(request, _("已点评，团干部会收到通知"))
    return redirect("diary:queue")


@login_required
@require_POST
def comment(request, pk):
    entry = selectors.get_entry_for(request.user, pk)
    try:
        services.diary_comment_add(actor=request.user, entry=entry, body=request.POST.get("body", ""))
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("评论已发表"))
    return redirect(f"{reverse('diary:detail', args=[entry.pk])}#comments")


@login_required
@require_safe
def photo(request, pk):
    """A stored photo, only for those who may read its entry (never a public media URL)."""
    item = selectors.get_photo_for(request.user, pk)
    try:
        with default_storage.open(item.image.name, "rb") as handle:
            content = handle.read()  # at most 1600 px: a few hundred kB
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = HttpResponse(content, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    return response


@login_required
@require_safe
def queue(request):
    """调阅: the entries waiting for a grade, oldest first."""
    _staff_only(request)
    _require(permissions.can_review_anything(request.user))
    page = Paginator(selectors.review_queue(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "diary/queue.html", {"page": page})


def _sections(request, cadre) -> list[str]:
    out = []
    for section in profile_sections():
        context = section.context(request.user, cadre)
        if context is not None:
            out.append(mark_safe(render_to_string(section.template, context, request=request)))  # noqa: S308
    return out


@login_required
@require_safe
def profile(request, pk):
    """The cadre profile (团干部档案): diaries and grades, and what other features add (ratings, targets)."""
    _staff_only(request)
    cadre, node = selectors.get_cadre_for(request.user, pk)
    return render(request, "diary/profile.html", {
        "cadre": cadre, "node": node, "diary": selectors.cadre_diary(request.user, cadre),
        "sections": _sections(request, cadre), "is_self": cadre.pk == request.user.pk,
        "can_summarise": permissions.can_send_summary(request.user, cadre, node),
        "contact_point": selectors.contact_point_for(cadre)})


@login_required
def contact_point(request, pk):
    """联系点: set by the committee over the cadre, or by the cadre."""
    _staff_only(request)
    cadre, node = selectors.get_cadre_for(request.user, pk)
    _require(permissions.can_set_contact_point(request.user, cadre, node))
    current = selectors.contact_point_for(cadre)
    choices = selectors.contact_point_choices(cadre)
    form = ContactPointForm(request.POST or None, choices=choices,
                            initial={"node": current.pk if current else None})
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_point_set(actor=request.user, cadre=cadre, cadre_node=node, node=form.cleaned_data["node"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("联系点已设为 %(node)s") % {"node": form.cleaned_data["node"].name})
            return redirect("diary:profile", pk=cadre.pk)
    return render(request, "diary/contact_point.html", {"cadre": cadre, "form": form, "current": current,
                                                        "has_choices": choices.exists()})


@login_required
def summary(request, pk):
    """A cadre's month: check-ins, entries, grades and comments; a reviewer sends it to the groups
    the cadre serves (评价反馈到群)."""
    _staff_only(request)
    cadre, node = selectors.get_cadre_for(request.user, pk)
    source = request.POST if request.method == "POST" else request.GET
    month = selectors.Month.parse(source.get("month")) or selectors.Month.current()
    if request.method == "POST":
        try:
            sent = services.diary_summary_send(actor=request.user, cadre=cadre, cadre_node=node, month=month)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("已发送到 %(n)d 个工作群或邮件组") % {"n": sent})
        return redirect(f"{reverse('diary:summary', args=[cadre.pk])}?month={month}")
    summary = selectors.period_summary(cadre, month)
    return render(request, "diary/summary.html", {
        "summary": summary, "cadre": cadre, "month": month, "preview": services.summary_text(summary),
        "can_send": permissions.can_send_summary(request.user, cadre, node)})


@login_required
def settings_page(request, pk):
    """A county admin sets the check-in radius."""
    county = get_node_for(request.user, pk)
    if county.kind != NodeKind.COUNTY:
        raise Http404
    _require(permissions.can_set_radius(request.user, county))
    current = DiarySetting.objects.filter(county=county).first()
    form = RadiusForm(request.POST or None,
                      initial={"radius_m": current.radius_m if current else DEFAULT_RADIUS_M})
    if request.method == "POST" and form.is_valid():
        try:
            services.diary_radius_set(actor=request.user, county=county, radius_m=form.cleaned_data["radius_m"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("已保存报到范围：%(r)d 米") % {"r": form.cleaned_data["radius_m"]})
            return redirect("diary:settings", pk=county.pk)
    return render(request, "diary/settings.html", {"county": county, "form": form})
