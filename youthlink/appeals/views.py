"""Pages of the requests feature: the 青联圈 feed, the submit form, the review queue and page, the
request with its timeline and comments, claim and assign. Thin: parse → permission → service."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from youthlink.accounts.models import User
from youthlink.core.forms import apply_validation_error
from youthlink.orgs.selectors import get_node_for

from . import permissions, selectors, services
from .forms import AppealForm, CategoryForm, ReviewForm
from .models import Status
from .similar import similar_open_appeals

PAGE_SIZE = 30


def _int(value):
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def _feed_filters(request) -> dict:
    get = request.GET
    filters = {"category": _int(get.get("category")), "status": get.get("status", "")}
    if filters["status"] not in selectors.PUBLIC_STATUSES:
        filters["status"] = ""
    township = _int(get.get("township"))
    filters["township"] = None
    if township:
        filters["township"] = next((t for t in selectors.feed_townships(request.user) if t.pk == township), None)
        if filters["township"] is None:
            raise Http404
    return filters


@login_required
@require_safe
def feed(request):
    """青联圈: the published requests of the viewer's county, newest first. htmx asks for the next
    page with `before` (the last id shown) and gets the cards only."""
    filters = _feed_filters(request)
    items = selectors.feed_for(request.user, before_id=_int(request.GET.get("before")), **filters)
    query = request.GET.copy()
    query.pop("before", None)
    context = {"items": items, "filters": filters, "query": query.urlencode(),
               "more": len(items) == selectors.FEED_PAGE_SIZE, "now": timezone.now()}
    if request.headers.get("HX-Request") and request.GET.get("before"):
        return render(request, "appeals/_feed_items.html", context)
    context.update(categories=selectors.categories_for(request.user), townships=selectors.feed_townships(request.user),
                   statuses=[(s, Status(s).label) for s in selectors.PUBLIC_STATUSES],
                   can_submit=permissions.can_submit(request.user),
                   category_counties=[r for r in selectors.feed_roots(request.user)
                                      if permissions.can_manage_categories(request.user, r)],
                   can_review=permissions.can_see_review_queue(request.user))
    return render(request, "appeals/feed.html", context)


@login_required
def create(request):
    sources = permissions.submit_sources(request.user)
    if not sources:
        raise PermissionDenied
    # The fields differ by source; switching the source reloads the form with what was typed so far.
    source = request.POST.get("source") or request.GET.get("source")
    source = source if source in sources else sources[0]
    initial = {k: v for k, v in request.GET.items() if k in AppealForm.base_fields}
    form = AppealForm(request.user, sources, source, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            appeal = services.appeal_submit(actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("已提交，等待乡镇（村）团组织审核"))
            return redirect("appeals:detail", pk=appeal.pk)
    return render(request, "appeals/form.html", {"form": form})


@login_required
@require_safe
def detail(request, pk):
    appeal = selectors.get_appeal_for(request.user, pk)
    full = permissions.reads_in_full(request.user, appeal)
    context = {
        "appeal": appeal, "full": full, "now": timezone.now(),
        "comments": selectors.comments_for(appeal) if appeal.is_public else [],
        "timeline": selectors.timeline_for(appeal) if full else [],
        "can_review": permissions.can_review(request.user, appeal),
        "can_claim": permissions.can_claim(request.user, appeal),
        "can_assign": permissions.can_assign(request.user, appeal),
        "can_comment": permissions.can_comment(request.user, appeal),
    }
    if context["can_assign"]:
        context["assignees"] = selectors.assignees_for(appeal)
    return render(request, "appeals/detail.html", context)


@login_required
@require_safe
def review_queue(request):
    """审核: what waits for the viewer, oldest first, with its age and source."""
    if not permissions.can_see_review_queue(request.user):
        raise PermissionDenied
    page = Paginator(selectors.review_queue_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "appeals/review_queue.html", {"page": page, "now": timezone.now()})


@login_required
def review(request, pk):
    """The review page: the original text, the redacted preview to edit, and the four decisions."""
    appeal = selectors.get_appeal_for(request.user, pk)
    if appeal.status != Status.PENDING:
        messages.info(request, _("该诉求已审核"))
        return redirect("appeals:detail", pk=appeal.pk)
    if not permissions.can_review(request.user, appeal):
        raise PermissionDenied
    title, body = services.preview_public_text(appeal)
    form = ReviewForm(request.POST or None, initial={"public_title": title, "public_body": body})
    if request.method == "POST" and form.is_valid():
        data, action = form.cleaned_data, request.POST.get("action")
        try:
            if action == "publish":
                services.appeal_publish(actor=request.user, appeal=appeal, public_title=data["public_title"],
                                        public_body=data["public_body"], is_complex=data["is_complex"])
                messages.success(request, _("已发布到青联圈"))
            elif action == "private":
                services.appeal_keep_private(actor=request.user, appeal=appeal, is_complex=data["is_complex"])
                messages.success(request, _("已受理，不公开办理"))
            elif action == "merge":
                into = selectors.get_appeal_for(request.user, data["into"]) if data["into"] else None
                services.appeal_merge(actor=request.user, appeal=appeal, into=into)
                messages.success(request, _("已合并"))
            elif action == "reject":
                services.appeal_reject(actor=request.user, appeal=appeal, reason=data["reason"])
                messages.success(request, _("已退回，提交人会看到原因"))
            else:
                raise ValidationError({"__all__": [_("请选择审核结果")]})
        except ValidationError as exc:
            apply_validation_error(form, exc)
        except Http404:
            form.add_error("into", _("只能合并到您辖区内尚未办结的诉求"))
        else:
            return redirect("appeals:review_queue") if action != "publish" else redirect("appeals:detail", pk=appeal.pk)
    similar = similar_open_appeals(request.user, title=appeal.title, body=appeal.body, node=appeal.node,
                                   category=appeal.category, exclude_id=appeal.pk)
    return render(request, "appeals/review.html", {
        "appeal": appeal, "form": form, "preview_title": title, "preview_body": body, "similar": similar,
        "merge_candidates": selectors.merge_candidates_for(request.user, appeal)})


@login_required
@require_POST
def claim(request, pk):
    appeal = selectors.get_appeal_for(request.user, pk)
    try:
        services.appeal_claim(actor=request.user, appeal=appeal)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已认领，请尽快联系当事人"))
    return redirect("appeals:detail", pk=appeal.pk)


@login_required
@require_POST
def assign(request, pk):
    appeal = selectors.get_appeal_for(request.user, pk)
    if not permissions.can_assign(request.user, appeal):
        raise PermissionDenied
    assignee = User.objects.filter(pk=_int(request.POST.get("assignee")) or 0).first()
    try:
        services.appeal_assign(actor=request.user, appeal=appeal, assignee=assignee)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已指派给 %(name)s") % {"name": assignee.display_name})
    return redirect("appeals:detail", pk=appeal.pk)


@login_required
@require_POST
def comment(request, pk):
    appeal = selectors.get_appeal_for(request.user, pk)
    if not permissions.can_comment(request.user, appeal):
        raise PermissionDenied
    try:
        services.appeal_comment(actor=request.user, appeal=appeal, body=request.POST.get("body", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    if request.headers.get("HX-Request"):
        return render(request, "appeals/_comments.html", {
            "appeal": appeal, "comments": selectors.comments_for(appeal), "can_comment": True})
    return redirect("appeals:detail", pk=appeal.pk)


@login_required
@require_safe
def area_list(request):
    """My requests (submitted, about me, handled by me) and, for staff, every request of their area
    by status: where each figure of the dashboards drills down to."""
    status = request.GET.get("status", "")
    if status not in Status.values:
        status = ""
    mine = request.GET.get("mine") == "1" or not permissions.is_reader(request.user)
    paginator = Paginator(selectors.area_appeals_for(request.user, status=status, mine=mine), PAGE_SIZE)
    if paginator.count >= selectors.AREA_WALK_FROM:  # counted through the indexes; then the cheaper way to a page
        paginator.object_list = selectors.area_appeals_for(request.user, status=status, mine=mine, large=True)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "appeals/list.html", {
        "page": page, "status": status, "mine": mine, "statuses": Status.choices, "now": timezone.now(),
        "is_reader": permissions.is_reader(request.user)})


@login_required
def categories(request, pk):
    """A county's request categories: the built-in ones, its own (add one, change its deadlines,
    stop offering it)."""
    county = get_node_for(request.user, pk)
    if not permissions.can_manage_categories(request.user, county):
        raise PermissionDenied
    builtin, own = selectors.county_categories(county)
    form = CategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        days = {k: data[k] for k in ("response_days", "resolve_days", "complex_resolve_days")}
        try:
            if request.POST.get("category"):
                category = next((c for c in own if str(c.pk) == request.POST["category"]), None)
                if category is None:
                    raise Http404
                services.category_update(actor=request.user, category=category, is_active=data["is_active"], **days)
                messages.success(request, _("已保存“%(name)s”") % {"name": category.name})
            else:
                category = services.category_create(actor=request.user, county=county, name=data["name"], **days)
                messages.success(request, _("已添加类别“%(name)s”") % {"name": category.name})
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return redirect("appeals:categories", pk=county.pk)
    return render(request, "appeals/categories.html", {"county": county, "builtin": builtin, "own": own, "form": form})
