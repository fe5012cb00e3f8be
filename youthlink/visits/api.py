"""The visits API: the same services and selectors as the pages (session auth, JSON).

A visit is created as JSON; photos go to POST /api/visits/{id}/photos as multipart/form-data
(field `photos`, repeated), so a slow connection on a village evening loses no typed text."""
import datetime as dt
from dataclasses import asdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Router, Schema, Status, UploadedFile

from youthlink.accounts.access import is_staff_member
from youthlink.orgs.models import NodeKind
from youthlink.orgs.selectors import get_node_for

from . import permissions, selectors, services
from .forms import NOT_IN_AREA
from .models import Visit, VisitKind
from .periods import Month, local, local_today, parse_year, year_range

router = Router(tags=["visits"])


class NamedOut(Schema):
    id: int
    name: str


class CadreOut(NamedOut):
    is_creator: bool


class PhotoOut(Schema):
    id: int
    url: str
    width: int
    height: int


class VisitSummaryOut(Schema):
    id: int
    kind: str
    kind_label: str
    visited_at: dt.datetime
    local_date: dt.date
    is_evening: bool
    place_id: int
    place_name: str
    created_by_id: int
    cadres: list[CadreOut]
    people: list[NamedOut]
    social_orgs: list[NamedOut]
    problem_count: int
    photo_count: int


class ProblemOut(Schema):
    id: int
    text: str


class VisitOut(VisitSummaryOut):
    latitude: float | None
    longitude: float | None
    notes: str
    problems: list[ProblemOut]
    photos: list[PhotoOut]


class VisitIn(Schema):
    kind: str
    visited_at: dt.datetime
    place_id: int
    person_ids: list[int] = []
    social_org_ids: list[int] = []
    companion_ids: list[int] = []
    notes: str = ""
    problems: list[str] = []
    latitude: float | None = None
    longitude: float | None = None


def _photo_out(photo) -> dict:
    return {"id": photo.pk, "url": reverse("visits:photo", args=[photo.pk]), "width": photo.width,
            "height": photo.height}


def summary_out(visit: Visit) -> dict:
    return {
        "id": visit.pk, "kind": visit.kind, "kind_label": str(visit.get_kind_display()),
        "visited_at": local(visit.visited_at), "local_date": visit.local_date, "is_evening": visit.is_evening,
        "place_id": visit.place_id, "place_name": visit.place.name, "created_by_id": visit.created_by_id,
        "cadres": [{"id": p.user_id, "name": p.user.display_name, "is_creator": p.is_creator}
                   for p in visit.participant_rows.all()],
        "people": [{"id": p.pk, "name": p.name} for p in visit.people.all()],
        "social_orgs": [{"id": o.pk, "name": o.name} for o in visit.social_orgs.all()],
        "problem_count": visit.problem_count, "photo_count": visit.photo_count,
    }


def visit_out(visit: Visit) -> dict:
    return {**summary_out(visit),
            "latitude": float(visit.latitude) if visit.latitude is not None else None,
            "longitude": float(visit.longitude) if visit.longitude is not None else None,
            "notes": visit.notes, "problems": [{"id": p.pk, "text": p.text} for p in visit.problems.all()],
            "photos": [_photo_out(p) for p in visit.photos.all()]}


def _staff_only(request):
    if not is_staff_member(request.user):
        raise Http404


def _month(text: str | None) -> Month:
    if not text:
        return Month.current()
    month = Month.parse(text)
    if month is None:
        raise ValidationError({"month": [_("月份格式应为 YYYY-MM，例如 2026-11")]})
    return month


@router.get("", response=list[VisitSummaryOut])
def list_visits(request, node_id: int | None = None, month: str | None = None, year: int | None = None,
                evening: bool = False, kind: str = "", mine: bool = False, limit: int = 50, offset: int = 0):
    """Visits the viewer may see, newest first; the same filters as the page (node = its subtree)."""
    _staff_only(request)
    if not permissions.can_list_visits(request.user):
        raise PermissionDenied
    filters = selectors.VisitFilters(month=_month(month) if month else None, year=year if not month else None,
                                     evening=evening, kind=kind if kind in VisitKind.values else "", mine=mine)
    if node_id is not None:
        filters.node = get_node_for(request.user, node_id)
    limit = max(1, min(limit, 200))
    return [summary_out(v) for v in selectors.visit_list(request.user, filters)[offset:offset + limit]]


@router.post("", response={201: VisitOut})
def create_visit(request, payload: VisitIn):
    """走访: record a visit. Young people, organisations and companions must be of the cadre's area."""
    _staff_only(request)
    place = get_node_for(request.user, payload.place_id)
    if not permissions.can_log_visits(request.user):
        raise PermissionDenied
    people = list(selectors.people_for_visit(request.user).filter(pk__in=payload.person_ids)
                  .select_related("home_node"))
    orgs = list(selectors.social_orgs_for_visit(request.user).filter(pk__in=payload.social_org_ids)
                .select_related("node"))
    companions = list({m.user_id: m.user for m in selectors.companions_for(request.user)
                       .filter(user_id__in=payload.companion_ids)}.values())
    errors = {}
    for name, found, wanted in (("people", people, payload.person_ids), ("social_orgs", orgs, payload.social_org_ids),
                                ("companions", companions, [i for i in payload.companion_ids if i != request.user.pk])):
        if len(found) != len(set(wanted)):
            errors[name] = [str(NOT_IN_AREA[name])]
    if errors:
        raise ValidationError(errors)
    visit = services.visit_log(actor=request.user, kind=payload.kind, visited_at=payload.visited_at, place=place,
                               people=people, social_orgs=orgs, companions=companions, notes=payload.notes,
                               problems=payload.problems, latitude=payload.latitude, longitude=payload.longitude)
    return Status(201, visit_out(selectors.get_visit_for(request.user, visit.pk)))


@router.get("/{int:visit_id}", response=VisitOut)
def get_visit(request, visit_id: int):
    return visit_out(selectors.get_visit_for(request.user, visit_id))


@router.post("/{int:visit_id}/photos", response={201: list[PhotoOut]})
def add_visit_photos(request, visit_id: int, photos: File[list[UploadedFile]] = None):
    """Photos of a visit (multipart/form-data, field `photos`), by a cadre who made it: at most 9 per
    visit, 10 MB each; stored as a JPEG of at most 1600 px without EXIF or GPS data."""
    visit = selectors.get_visit_for(request.user, visit_id)
    created = services.visit_photos_add(actor=request.user, visit=visit, photos=photos or [])
    return Status(201, [_photo_out(p) for p in created])


class MonthRowOut(Schema):
    node_id: int
    name: str
    kind: str
    evenings: int
    required: int
    met: bool
    dates: list[dt.date]
    set_days: list[dt.date]


class MonthOut(Schema):
    node_id: int
    month: str
    node: MonthRowOut
    children: list[MonthRowOut]


def _row_out(row) -> dict:
    return {"node_id": row.node.pk, "name": row.node.name, "kind": row.node.kind, "evenings": row.evenings,
            "required": row.required, "met": row.met, "dates": row.dates, "set_days": row.set_days}


@router.get("/nodes/{int:node_id}/month", response=MonthOut)
def visit_month(request, node_id: int, month: str | None = None):
    """集中夜访: distinct evenings held in the month by the node and each child, against the county's rule."""
    node = get_node_for(request.user, node_id)
    if not permissions.can_read_visits_at(request.user, node):
        raise PermissionDenied
    view = selectors.month_view(node, _month(month))
    return {"node_id": node.pk, "month": str(view.month), "node": _row_out(view.own),
            "children": [_row_out(r) for r in view.children]}


class VisitDaysOut(Schema):
    node_id: int
    month: str
    dates: list[dt.date]


class VisitDaysIn(Schema):
    month: str
    dates: list[dt.date]


@router.get("/nodes/{int:node_id}/days", response=VisitDaysOut)
def get_visit_days(request, node_id: int, month: str | None = None):
    node = get_node_for(request.user, node_id)
    if not permissions.can_read_visits_at(request.user, node):
        raise PermissionDenied
    m = _month(month)
    return {"node_id": node.pk, "month": str(m), "dates": selectors.visit_days(node, m)}


@router.put("/nodes/{int:node_id}/days", response=VisitDaysOut)
def set_visit_days(request, node_id: int, payload: VisitDaysIn):
    """集中夜访日: replace the node's evenings of the month with these dates."""
    node = get_node_for(request.user, node_id)
    m = _month(payload.month)
    dates = services.visit_days_set(actor=request.user, node=node, month=m, dates=payload.dates)
    return {"node_id": node.pk, "month": str(m), "dates": dates}


class OrganisationOut(Schema):
    id: int
    kind: str
    kind_label: str
    name: str
    visits: int
    last_visited_at: dt.datetime


class OrganisationsOut(Schema):
    node_id: int
    start: dt.date
    end: dt.date
    total: int
    places: list[OrganisationOut]
    social_orgs: list[OrganisationOut]


def _org_out(o) -> dict:
    return {"id": o.pk, "kind": o.kind, "kind_label": str(o.label), "name": o.name, "visits": o.visits,
            "last_visited_at": local(o.last)}


@router.get("/nodes/{int:node_id}/organisations", response=OrganisationsOut)
def organisations_visited(request, node_id: int, year: int | None = None, month: str | None = None):
    """Distinct grassroots organisations visited in the year (or month), with the list behind the number."""
    node = get_node_for(request.user, node_id)
    if not permissions.can_read_visits_at(request.user, node):
        raise PermissionDenied
    if month:
        m = _month(month)
        start, end = m.first, m.last
    else:
        start, end = year_range(parse_year(year))
    result = selectors.organisations_visited(node, start, end)
    return {"node_id": node.pk, "start": start, "end": end, "total": result.total,
            "places": [_org_out(o) for o in result.places], "social_orgs": [_org_out(o) for o in result.social_orgs]}


class TargetsOut(Schema):
    visited: int
    collected: int
    solved: int


class CadreTargetsOut(Schema):
    user_id: int
    name: str
    node_id: int
    visited: int
    collected: int
    solved: int
    targets: TargetsOut


class TargetsTableOut(Schema):
    node_id: int
    year: int
    sort: str
    rows: list[CadreTargetsOut]


@router.get("/nodes/{int:node_id}/targets", response=TargetsTableOut)
def visit_targets(request, node_id: int, year: int | None = None, sort: str = "visited"):
    """三联双百: each cadre of the node against the yearly targets (sort: name, visited, collected, solved)."""
    node = get_node_for(request.user, node_id)
    if not permissions.can_read_targets_at(request.user, node):
        raise PermissionDenied
    year = parse_year(year)
    sort = sort if sort in selectors.TARGET_SORTS else "visited"
    rows = selectors.targets_table(node, year, sort)
    return {"node_id": node.pk, "year": year, "sort": sort, "rows": [
        {"user_id": r.user.pk, "name": r.user.display_name, "node_id": r.node.pk, "visited": r.visited,
         "collected": r.collected, "solved": r.solved, "targets": asdict(r.targets)} for r in rows]}


class ProgressOut(Schema):
    key: str
    label: str
    done: int
    target: int
    percent: int


class MyTargetsOut(Schema):
    year: int
    items: list[ProgressOut]


@router.get("/targets/me", response=MyTargetsOut)
def my_visit_targets(request, year: int | None = None):
    """The viewer's own progress against the year's targets (the home page's progress bars)."""
    progress = selectors.targets_progress_for(request.user, parse_year(year, default=local_today().year))
    if progress is None:
        raise Http404
    return {"year": progress.year, "items": [{"key": p.key, "label": str(p.label), "done": p.done, "target": p.target,
                                              "percent": p.percent} for p in progress.items]}


class RulesOut(Schema):
    county_id: int
    year: int
    min_evenings_per_month: int
    visited: int
    collected: int
    solved: int
    year_has_own_targets: bool


class RulesIn(Schema):
    year: int
    min_evenings_per_month: int
    visited: int
    collected: int
    solved: int


def _county(request, county_id: int):
    county = get_node_for(request.user, county_id)
    if county.kind != NodeKind.COUNTY:
        raise Http404
    if not permissions.can_set_rules(request.user, county):
        raise PermissionDenied
    return county


def _rules_out(county, year: int) -> dict:
    evenings, targets, own = selectors.rules_for(county, year)
    return {"county_id": county.pk, "year": year, "min_evenings_per_month": evenings, "visited": targets.visited,
            "collected": targets.collected, "solved": targets.solved, "year_has_own_targets": own}


@router.get("/counties/{int:county_id}/rules", response=RulesOut)
def get_visit_rules(request, county_id: int, year: int | None = None):
    county = _county(request, county_id)
    return _rules_out(county, parse_year(year))


@router.put("/counties/{int:county_id}/rules", response=RulesOut)
def set_visit_rules(request, county_id: int, payload: RulesIn):
    """A county's evenings a month, and its targets per cadre for one year."""
    county = _county(request, county_id)
    services.visit_rules_set(actor=request.user, county=county, **payload.dict())
    return _rules_out(county, payload.year)
