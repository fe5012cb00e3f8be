from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from youthlink.accounts.access import best_role_at, is_staff_member, roles_at, scope_nodes
from youthlink.accounts.models import Role
from youthlink.core.forms import apply_validation_error
from youthlink.orgs.models import PATH_WIDTH, NodeKind
from youthlink.orgs.selectors import get_node_for, social_organisations_for
from youthlink.people.selectors import get_person_for

from . import permissions, selectors, services
from .forms import VisitDaysForm, VisitForm, VisitRulesForm
from .models import VisitKind
from .periods import Month, local_today, parse_year, year_range

PAGE_SIZE = 30


def _staff_only(request):
    """Young people have no visit pages at all: the same 404 as a page that does not exist."""
    if not is_staff_member(request.user):
        raise Http404


def _require(allowed: bool):
    if not allowed:
        raise PermissionDenied


def _month(request) -> Month:
    return Month.parse(request.GET.get("month")) or Month.current()


def _node_links(user) -> list[dict]:
    """The pages a viewer may open for each node they work at (the hub's shortcuts)."""
    links = []
    for node in scope_nodes(user, permissions.READ_ROLES):
        role = best_role_at(user, node)
        links.append({"node": node, "manage": role in permissions.MANAGE_ROLES,
                      "rules": permissions.can_set_rules(user, node)})
    return links


def _filters(request) -> selectors.VisitFilters:
    get = request.GET
    f = selectors.VisitFilters(month=Month.parse(get.get("month")), evening=get.get("evening") == "1",
                               kind=get.get("kind") if get.get("kind") in VisitKind.values else "",
                               mine=get.get("mine") == "1")
    if get.get("year") and f.month is None:
        f.year = parse_year(get.get("year"))
    if get.get("node"):
        f.node = get_node_for(request.user, get["node"])
    if get.get("org"):
        f.social_org = social_organisations_for(request.user).filter(pk=_int(get["org"])).first()
        if f.social_org is None:
            raise Http404
    if get.get("person"):
        f.person = get_person_for(request.user, get["person"])
    if get.get("cadre"):
        f.cadre = selectors.get_colleague_for(request.user, get["cadre"])
    return f


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


@login_required
@require_safe
def visit_list(request):
    """The visits hub: my targets, shortcuts to the month view and the tables, and the visit list
    (filtered by node, month or year, evenings only, kind, mine — the drill-down of every figure)."""
    _staff_only(request)
    _require(permissions.can_list_visits(request.user))
    filters = _filters(request)
    page = Paginator(selectors.visit_list(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page, "filters": filters, "query": query.urlencode(), "kinds": VisitKind.choices,
        "filtered": any((filters.node, filters.month, filters.year, filters.evening, filters.kind, filters.mine,
                         filters.social_org, filters.person, filters.cadre)),
        "can_log": permissions.can_log_visits(request.user),
        "links": _node_links(request.user),
        "visit_targets": (selectors.targets_progress_for(request.user, local_today().year)
                          if Role.CADRE in roles_at(request.user) else None),
        "this_month": Month.current(),
    }
    return render(request, "visits/list.html", context)


@login_required
def visit_create(request):
    _staff_only(request)
    _require(permissions.can_log_visits(request.user))
    form = VisitForm(request.user, request.POST or None, request.FILES or None,
                     default_place=selectors.default_place_for(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.visit_log(actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("走访已记录"))
            return redirect("visits:detail", pk=visit.pk)
    return render(request, "visits/form.html", {
        "form": form, "photos_lost": request.method == "POST" and bool(request.FILES)})


@login_required
@require_safe
def visit_detail(request, pk):
    visit = selectors.get_visit_for(request.user, pk)
    return render(request, "visits/detail.html", {
        "visit": visit, "can_add_photos": permissions.can_add_photos(request.user, visit)})


@login_required
@require_POST
def add_photos(request, pk):
    """Photos sent after the visit was recorded, by a cadre who made it."""
    visit = selectors.get_visit_for(request.user, pk)
    try:
        created = services.visit_photos_add(actor=request.user, visit=visit, photos=request.FILES.getlist("photos"))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已上传 %(n)d 张照片") % {"n": len(created)})
    return redirect("visits:detail", pk=visit.pk)


@login_required
@require_safe
def visit_photo(request, pk):
    """A stored photo, only for those who may see its visit (never a public media URL)."""
    photo = selectors.get_photo_for(request.user, pk)
    try:
        with default_storage.open(photo.image.name, "rb") as handle:
            content = handle.read()  # at most 1600 px: a few hundred kB, no need to stream
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = HttpResponse(content, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    return response


def _picker(request, template: str, items):
    return render(request, template, {"items": items, "q": request.GET.get("q", "")})


@login_required
@require_safe
def pick_people(request):
    _staff_only(request)
    _require(permissions.can_log_visits(request.user))
    return _picker(request, "visits/_pick_people.html", selectors.pick_people(request.user, request.GET.get("q", "")))


@login_required
@require_safe
def pick_social_orgs(request):
    _staff_only(request)
    _require(permissions.can_log_visits(request.user))
    return _picker(request, "visits/_pick_social_orgs.html",
                   selectors.pick_social_orgs(request.user, request.GET.get("q", "")))


@login_required
@require_safe
def pick_companions(request):
    _staff_only(request)
    _require(permissions.can_log_visits(request.user))
    return _picker(request, "visits/_pick_companions.html",
                   selectors.pick_companions(request.user, request.GET.get("q", "")))


@login_required
@require_safe
def month(request, pk):
    """集中夜访: evenings held this month by the node and each of its children, against the rule."""
    node = get_node_for(request.user, pk)
    _require(permissions.can_read_visits_at(request.user, node))
    view = selectors.month_view(node, _month(request))
    parent_path = node.path[:-PATH_WIDTH]
    return render(request, "visits/month.html", {
        "view": view, "node": node, "can_set_days": permissions.can_set_visit_days(request.user, node),
        "parent_visible": bool(parent_path) and any(parent_path.startswith(n.path)
                                                    for n in scope_nodes(request.user, permissions.READ_ROLES)),
        "today": local_today()})


@login_required
def visit_days(request, pk):
    """集中夜访日: the county or township committee ticks the evenings of the month."""
    node = get_node_for(request.user, pk)
    _require(permissions.can_set_visit_days(request.user, node))
    month = (Month.parse(request.POST.get("month")) if request.method == "POST" else None) or _month(request)
    form = VisitDaysForm(month, request.POST or None, initial={"month": str(month)})
    if request.method == "POST" and form.is_valid():
        try:
            dates = services.visit_days_set(actor=request.user, node=node, month=month,
                                            dates=form.cleaned_data["dates"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("已保存 %(month)s 的集中夜访日：%(n)d 晚") % {"month": str(month), "n": len(dates)})
            return redirect(f"{reverse('visits:days', args=[node.pk])}?month={month}")
    chosen = set(selectors.visit_days(node, month))
    first_weekday = month.first.weekday()
    today = local_today()
    cells = [None] * first_weekday + [{"date": d, "checked": d in chosen, "past": d < today} for d in month.days]
    weeks = [cells[i:i + 7] for i in range(0, len(cells), 7)]
    for week in weeks:
        week.extend([None] * (7 - len(week)))
    return render(request, "visits/days.html", {"node": node, "month": month, "form": form, "weeks": weeks,
                                                "chosen": sorted(chosen)})


@login_required
@require_safe
def organisations(request, pk):
    """基层组织走访: distinct grassroots organisations visited in the year (or month), and which."""
    node = get_node_for(request.user, pk)
    _require(permissions.can_read_visits_at(request.user, node))
    month = Month.parse(request.GET.get("month"))
    year = parse_year(request.GET.get("year"), default=month.year if month else None)
    start, end = (month.first, month.last) if month else year_range(year)
    result = selectors.organisations_visited(node, start, end)
    return render(request, "visits/organisations.html", {"result": result, "node": node, "month": month,
                                                         "year": year})


@login_required
@require_safe
def targets(request, pk):
    """三联双百: every cadre of the node against the county's yearly targets, sortable."""
    node = get_node_for(request.user, pk)
    _require(permissions.can_read_targets_at(request.user, node))
    year = parse_year(request.GET.get("year"))
    sort = request.GET.get("sort") if request.GET.get("sort") in selectors.TARGET_SORTS else "visited"
    rows = selectors.targets_table(node, year, sort)
    return render(request, "visits/targets.html", {"node": node, "year": year, "sort": sort, "rows": rows,
                                                   "sorts": selectors.TARGET_SORTS})


@login_required
def rules(request, pk):
    """A county admin sets the evenings a month and the year's targets per cadre."""
    county = get_node_for(request.user, pk)
    if county.kind != NodeKind.COUNTY:
        raise Http404
    _require(permissions.can_set_rules(request.user, county))
    year = parse_year(request.POST.get("year") if request.method == "POST" else request.GET.get("year"))
    min_evenings, year_targets, own = selectors.rules_for(county, year)
    form = VisitRulesForm(request.POST or None, initial={
        "year": year, "min_evenings_per_month": min_evenings, "visited": year_targets.visited,
        "collected": year_targets.collected, "solved": year_targets.solved})
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_rules_set(actor=request.user, county=county, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("已保存%(county)s的走访规则和 %(year)d 年度目标") % {"county": county.name, "year": year})
            return redirect(f"{reverse('visits:rules', args=[county.pk])}?year={year}")
    return render(request, "visits/rules.html", {"county": county, "form": form, "year": year, "own": own})


