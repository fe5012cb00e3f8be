"""Permission-matrix rows of the visits feature (走访、访谈夜、集中夜访日、年度目标).

Who: admins, secretaries and cadres over the place read and record visits; a micro-element (the
village's volunteer, a 结对 helper) records visits in their own village and reads only the visits
they took part in, so the home cadre's visit answers them 404 like a missing one, and the township's
month view, organisations, 集中夜访日 and targets are beyond their village (404). Youth-centre
workers have no visits (403 where the node is in their area, 404 where it is not); young people
have no visit pages (404). 集中夜访日 are set by admins and secretaries, the targets table is theirs
to read, and a county's rules are its admin's. Photos are added by the cadres who made the visit
(the home cadre here): the others who may see the visit get 403.

Objects: a visit the home cadre logged in the home village (meeting the hardship young person and
the township's social organisation, one problem raised) and one photo of it. The visits the
requests record name a social organisation of the home village, which the micro-element reaches too."""
from __future__ import annotations

import datetime as dt
import io

from .matrix_expectations import LOGIN, R200, R302, SAME

ALL_405 = (LOGIN, 405, 405, 405, 405, 405, 405, 405)
API_405 = (401, 405, 405, 405, 405, 405, 405, 405)

# fmt: off
#                                                anon   admin  secr.  cadre  micro  centre youth   other county
MATRIX = {
    # the visits hub and list: a read for admins, secretaries and cadres of their own area, and a
    # micro-element's list of their own visits
    ("visits:list", "GET"):                     (LOGIN, 200,   200,   200,   200,   403,   404,    SAME),
    ("visits:list", "POST"):                    ALL_405,
    # record a visit (the micro-element too, in their village); the other county's staff and
    # micro-element cannot pick the home village, person or organisation
    ("visits:create", "GET"):                   (LOGIN, 200,   200,   200,   200,   403,   404,    SAME),
    ("visits:create", "POST"):                  (LOGIN, 302,   302,   302,   302,   403,   404,
                                                 (R200, R200,  R200,  R200,  403,   404)),
    # the home cadre's visit: the micro-element of the village did not take part in it
    ("visits:detail", "GET"):                   (LOGIN, 200,   200,   200,   404,   404,   404,    404),
    ("visits:detail", "POST"):                  ALL_405,
    # photos added later by a cadre who made the visit; the request carries no file: refused
    ("visits:add_photos", "GET"):               ALL_405,
    ("visits:add_photos", "POST"):              (LOGIN, 403,   403,   R302,  404,   404,   404,    404),
    ("visits:photo", "GET"):                    (LOGIN, 200,   200,   200,   404,   404,   404,    404),
    ("visits:photo", "POST"):                   ALL_405,
    # the pickers of the visit form (htmx partials)
    ("visits:pick_people", "GET"):              (LOGIN, 200,   200,   200,   200,   403,   404,    SAME),
    ("visits:pick_people", "POST"):             ALL_405,
    ("visits:pick_social_orgs", "GET"):         (LOGIN, 200,   200,   200,   200,   403,   404,    SAME),
    ("visits:pick_social_orgs", "POST"):        ALL_405,
    ("visits:pick_companions", "GET"):          (LOGIN, 200,   200,   200,   200,   403,   404,    SAME),
    ("visits:pick_companions", "POST"):         ALL_405,
    # the home township: evenings held this month, organisations visited, 集中夜访日, targets
    ("visits:month", "GET"):                    (LOGIN, 200,   200,   200,   404,   403,   404,    404),
    ("visits:month", "POST"):                   ALL_405,
    ("visits:organisations", "GET"):            (LOGIN, 200,   200,   200,   404,   403,   404,    404),
    ("visits:organisations", "POST"):           ALL_405,
    ("visits:days", "GET"):                     (LOGIN, 200,   200,   403,   404,   403,   404,    404),
    ("visits:days", "POST"):                    (LOGIN, 302,   302,   403,   404,   403,   404,    404),
    ("visits:targets", "GET"):                  (LOGIN, 200,   200,   403,   404,   403,   404,    404),
    ("visits:targets", "POST"):                 ALL_405,
    # the home county's rules: its admin only (the township secretary does not reach the county)
    ("visits:rules", "GET"):                    (LOGIN, 200,   404,   404,   404,   404,   404,    404),
    ("visits:rules", "POST"):                   (LOGIN, 302,   404,   404,   404,   404,   404,    404),

    ("api:list_visits", "GET"):                 (401,   200,   200,   200,   200,   403,   404,    SAME),
    ("api:create_visit", "POST"):               (401,   201,   201,   201,   201,   403,   404,    404),
    ("api:get_visit", "GET"):                   (401,   200,   200,   200,   404,   404,   404,    404),
    # JSON carries no file: the cadre who made the visit gets 422, nothing is written
    ("api:add_visit_photos", "POST"):           (401,   403,   403,   422,   404,   404,   404,    404),
    ("api:visit_month", "GET"):                 (401,   200,   200,   200,   404,   403,   404,    404),
    ("api:get_visit_days", "GET"):              (401,   200,   200,   200,   404,   403,   404,    404),
    ("api:set_visit_days", "PUT"):              (401,   200,   200,   403,   404,   403,   404,    404),
    ("api:organisations_visited", "GET"):       (401,   200,   200,   200,   404,   403,   404,    404),
    ("api:visit_targets", "GET"):               (401,   200,   200,   403,   404,   403,   404,    404),
    ("api:my_visit_targets", "GET"):            (401,   200,   200,   200,   404,   404,   404,    SAME),
    ("api:get_visit_rules", "GET"):             (401,   200,   404,   404,   404,   404,   404,    404),
    ("api:set_visit_rules", "PUT"):             (401,   200,   404,   404,   404,   404,   404,    404),
}
# fmt: on

ROUTE_PARAMS = {
    ("visits:detail", "pk"): "visit",
    ("visits:add_photos", "pk"): "visit",
    ("visits:photo", "pk"): "visit_photo",
    ("visits:month", "pk"): "township",
    ("visits:organisations", "pk"): "township",
    ("visits:days", "pk"): "township",
    ("visits:targets", "pk"): "township",
    ("visits:rules", "pk"): "visit_county",
    ("api:get_visit", "visit_id"): "visit",
    ("api:add_visit_photos", "visit_id"): "visit",
    ("api:get_visit_rules", "county_id"): "visit_county",
    ("api:set_visit_rules", "county_id"): "visit_county",
}

PHOTO_NAME = "visits/matrix/visit-photo.jpg"


def _jpeg() -> bytes:
    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 16, 46)).save(out, format="JPEG")
    return out.getvalue()


def _visit(world):
    """The home cadre's evening visit to the home village, logged through the service."""
    visit = getattr(world, "visits_matrix_visit", None)
    if visit is None:
        from youthlink.visits.periods import LOCAL_TZ, local_today
        from youthlink.visits.services import visit_log
        home = world.home
        yesterday = local_today() - dt.timedelta(days=1)
        visit = visit_log(actor=home.cadre, kind="home", place=home.village,
                          visited_at=dt.datetime.combine(yesterday, dt.time(19, 30), tzinfo=LOCAL_TZ),
                          people=[home.person], social_orgs=[home.social_org], problems=["家里的茶叶卖不出去"],
                          notes="奶奶身体尚可，希望有人帮忙联系销路")
        world.visits_matrix_visit = visit
    return visit


def _photo(world) -> int:
    """A photo row of that visit. The file has a fixed name, written once, so running the matrix
    leaves one small file behind in MEDIA_ROOT at most, not one per test."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from youthlink.visits.models import VisitPhoto
    if not default_storage.exists(PHOTO_NAME):
        default_storage.save(PHOTO_NAME, ContentFile(_jpeg()))
    return VisitPhoto.objects.create(visit=_visit(world), image=PHOTO_NAME, width=32, height=24, size=1).pk


def _village_social_org(world) -> int:
    """A social organisation of the home village: every home persona who logs visits reaches it."""
    from youthlink.orgs.services import social_organisation_create
    home = world.home
    return social_organisation_create(node=home.village, name=f"{home.village.name}青年志愿服务队",
                                      service_area="助老助残").pk


OBJECTS = {
    "visit": lambda world: _visit(world).pk,
    "visit_photo": _photo,
    "visit_county": lambda world: world.home.county.pk,
    "visit_social_org": _village_social_org,
}


def _yesterday_evening() -> dt.datetime:
    from youthlink.visits.periods import LOCAL_TZ, local_today
    return dt.datetime.combine(local_today() - dt.timedelta(days=1), dt.time(20, 0), tzinfo=LOCAL_TZ)


def _this_month():
    from youthlink.visits.periods import Month
    return Month.current()


PROBLEMS = ["村里缺少青年活动场地", "希望开展农村电商培训"]

PAYLOADS = {
    ("visits:create", "POST"): lambda ids: {
        "kind": "evening_talk", "visited_at": f"{_yesterday_evening():%Y-%m-%dT%H:%M}", "place": ids.village,
        "people": [ids.person], "social_orgs": [ids.visit_social_org], "problems": "\n".join(PROBLEMS),
        "notes": "在村文化礼堂与青年座谈"},
    ("visits:days", "POST"): lambda ids: {
        "month": str(_this_month()), "dates": [f"{_this_month().first:%Y-%m-%d}", f"{_this_month().last:%Y-%m-%d}"]},
    ("visits:rules", "POST"): lambda ids: {
        "year": _this_month().year, "min_evenings_per_month": 5, "visited": 120, "collected": 100, "solved": 80},
    ("api:create_visit", "POST"): lambda ids: {
        "kind": "evening_talk", "visited_at": _yesterday_evening().isoformat(), "place_id": ids.village,
        "person_ids": [ids.person], "social_org_ids": [ids.visit_social_org], "problems": PROBLEMS,
        "notes": "在村文化礼堂与青年座谈"},
    ("api:add_visit_photos", "POST"): lambda ids: {},
    ("api:set_visit_days", "PUT"): lambda ids: {
        "month": str(_this_month()), "dates": [f"{_this_month().first:%Y-%m-%d}", f"{_this_month().last:%Y-%m-%d}"]},
    ("api:set_visit_rules", "PUT"): lambda ids: {
        "year": _this_month().year, "min_evenings_per_month": 5, "visited": 120, "collected": 100, "solved": 80},
}

_VISIT_WRITES = {"visits.Visit", "visits.VisitParticipant", "visits.Visit_people", "visits.Visit_social_orgs",
                 "visits.VisitProblem", "audit.AuditEvent"}
WRITES = {
    ("visits:create", "POST"): _VISIT_WRITES,
    ("api:create_visit", "POST"): _VISIT_WRITES,
    ("visits:days", "POST"): {"visits.VisitDay"},
    ("api:set_visit_days", "PUT"): {"visits.VisitDay"},
    ("visits:rules", "POST"): {"visits.VisitRuleSetting", "visits.YearlyTarget"},
    ("api:set_visit_rules", "PUT"): {"visits.VisitRuleSetting", "visits.YearlyTarget"},
}
# A visit closes the must-visit tasks (三必访) it fulfils: the pairing app listens to "visit.logged".
MAY_CHANGE = {
    ("visits:create", "POST"): {"pairing.MustVisitTask"},
    ("api:create_visit", "POST"): {"pairing.MustVisitTask"},
}
