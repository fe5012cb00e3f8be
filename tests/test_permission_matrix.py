"""Every route of the URL configuration × every method it supports × every persona, against the
declared table in tests/matrix_expectations.py.

For each request: the status (and the login redirect); for a denied request, that nothing in the
database changed (every row of every model is compared, sessions aside) and, on the reveal
endpoints, that no audit row was written; for a 404 on a request that carries ids, that the body is
exactly the body of the same request with every id replaced by one that does not exist; for an
allowed write, that it did write what it should and nothing else."""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from ninja.operation import PathView

from youthlink.core.testing import PASSWORD

from .matrix_expectations import (OBJECTS, LITERAL_PARAMS, LOGIN, MATRIX, MAY_CHANGE, PARAMS, PAYLOADS, PERSONAS,
                                  PUBLIC, R200, R302, REVEAL_REASON, REVEAL_ROUTES, ROLES, ROUTE_PARAMS, SAME, WRITES,
                                  Refused, expected)

MISSING_ID = 999999
MISSING_TOKEN = "no-such-invite-token"
PAGE_METHODS = ("GET", "POST")
# django-ninja's own pages (API root, docs, openapi.json): public reads, requested with GET only.
NINJA_DOC_VIEWS = "ninja.openapi.views"
# Django admin has its own gate (superusers only), tested at the end of this module.
ADMIN_PREFIX = "admin/"
# Logging in and out rewrites sessions by design; a counted write bumps its node's change number
# (stats.NodeVersion, SQLite), the dashboards' bookkeeping, not a record anybody reads.
NOT_COMPARED = {"sessions.Session", "stats.NodeVersion"}


# --- the URL configuration -----------------------------------------------------------------------

@dataclass(frozen=True)
class Route:
    key: str  # "namespace:name", as reverse() takes it
    route: str  # "people/<int:pk>/"
    params: tuple[str, ...]
    methods: tuple[str, ...]
    is_api: bool

    def object_for(self, param: str) -> str | None:
        return ROUTE_PARAMS.get((self.key, param)) or PARAMS.get(param)


def _pattern_params(pattern) -> list[str]:
    converters = getattr(pattern, "converters", None)
    if converters is not None:
        return list(converters)
    return list(pattern.regex.groupindex)


def _ninja_methods(pattern) -> tuple[str, ...] | None:
    """The HTTP methods of the django-ninja operation behind a URL pattern; None for a Django view.
    ninja registers one URL pattern per operation, all sharing the path's PathView (in the closure)."""
    if getattr(getattr(pattern.callback, "func", None), "__module__", "") == NINJA_DOC_VIEWS:
        return ("GET",)
    for cell in getattr(pattern.callback, "__closure__", None) or ():
        view = cell.cell_contents
        if isinstance(view, PathView):
            ops = [op for op in view.operations
                   if (getattr(op, "url_name", None) or op.view_func.__name__) == pattern.name]
            assert len(ops) == 1, f"cannot tell which ninja operation URL pattern {pattern.name!r} runs"
            return tuple(sorted(ops[0].methods))
    return None


def discover_routes() -> list[Route]:
    static_prefixes = tuple(p.lstrip("/") for p in (settings.STATIC_URL, settings.MEDIA_URL) if p)
    routes = []

    def walk(patterns, prefix: str, namespace: str, params: list[str]):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = ":".join(part for part in (namespace, pattern.namespace) if part)
                walk(pattern.url_patterns, prefix + str(pattern.pattern), ns, params + _pattern_params(pattern.pattern))
                continue
            route = prefix + str(pattern.pattern)
            if route.startswith(ADMIN_PREFIX) or route.lstrip("^").startswith(static_prefixes):
                continue
            name = pattern.name or route
            key = f"{namespace}:{name}" if namespace else name
            ninja_methods = _ninja_methods(pattern)
            routes.append(Route(key=key, route=route, params=tuple(params + _pattern_params(pattern.pattern)),
                                methods=ninja_methods or PAGE_METHODS, is_api=ninja_methods is not None
                                or route.startswith("api/")))

    walk(get_resolver().url_patterns, "", "", [])
    return routes


ROUTES = discover_routes()
ROUTE_METHODS = [(route, method) for route in ROUTES for method in route.methods]


# --- the world the requests are made in ----------------------------------------------------------

@dataclass
class Ids:
    """What URL parameters and bodies are filled with: the home county's objects, or ids that do
    not exist (the twin request a forbidden one must be indistinguishable from). Features add
    their own objects through OBJECTS in tests/matrix_<feature>.py (set as extra attributes)."""
    person: int
    township: int
    village: int
    cadre: int
    link: int
    job: int
    token: str
    youth_mobile: str
    password: str


@dataclass
class Matrix:
    world: object
    users: dict
    ids: Ids
    missing: Ids


def finished_import_job(county):
    """A roster the county admin imported into the township: two rows in, one rejected. Written
    directly: the import service needs an .xlsx and a worker, and only the record matters here."""
    from youthlink.roster.models import ImportJob, ImportStatus, RejectedRow
    job = ImportJob.objects.create(node=county.township, created_by=county.admin,
                                   original_name=f"{county.township.name}团员名册.xlsx", status=ImportStatus.DONE,
                                   total_rows=3, processed_rows=3, created_count=2, rejected_count=1)
    RejectedRow.objects.create(job=job, row_number=4, values=json.dumps(["钱多多", "330329209913010011"]),
                               reasons=[{"column": "身份证号码", "message": "出生日期不正确"}])
    return job


@pytest.fixture
def matrix(world):
    from youthlink.liaison.models import LinkKind
    from youthlink.liaison.services import invite_get_or_create, link_add
    home = world.home
    link = link_add(actor=home.cadre, cadre=home.cadre, node=home.township, kind=LinkKind.SOCIAL_ORG,
                    social_org=home.social_org)
    token = invite_get_or_create(cadre=home.cadre).token
    job = finished_import_job(home)
    ids = Ids(person=home.person.pk, township=home.township.pk, village=home.village.pk, cadre=home.cadre.pk,
              link=link.pk, job=job.pk, token=token, youth_mobile=home.youth_user.mobile, password=PASSWORD)
    missing = Ids(person=MISSING_ID, township=MISSING_ID, village=MISSING_ID, cadre=MISSING_ID, link=MISSING_ID,
                  job=MISSING_ID, token=MISSING_TOKEN, youth_mobile=ids.youth_mobile, password=PASSWORD)
    for name, build in OBJECTS.items():
        value = build(world)
        setattr(ids, name, value)
        setattr(missing, name, MISSING_TOKEN if isinstance(value, str) else MISSING_ID)
    users = {"anonymous": None}
    for role in ROLES:
        users[role] = getattr(home, role)
        users[f"other_{role}"] = getattr(world.other, role)
    return Matrix(world=world, users=users, ids=ids, missing=missing)


def build_request(route: Route, method: str, ids: Ids) -> tuple[str, dict]:
    kwargs = {}
    for param in route.params:
        if (route.key, param) in LITERAL_PARAMS:
            kwargs[param] = LITERAL_PARAMS[(route.key, param)]
            continue
        obj = route.object_for(param)
        assert obj, (f"add a parameter mapping for {param!r} of route {route.key} ({route.route}) "
                     "to ROUTE_PARAMS or PARAMS in tests/matrix_expectations.py")
        kwargs[param] = getattr(ids, obj)
    url = reverse(route.key, kwargs=kwargs)
    payload = PAYLOADS.get((route.key, method))
    body = payload(ids) if payload else None
    if route.is_api:
        options = {} if body is None else {"data": json.dumps(body), "content_type": "application/json"}
    else:
        options = {"data": body or {}}
    return url, options


def send(client: Client, method: str, url: str, options: dict):
    response = getattr(client, method.lower())(url, **options)
    if response.streaming:
        # File downloads (rosters, PDFs) stream: read them whole so every check sees a body.
        plain = HttpResponse(b"".join(response.streaming_content), status=response.status_code)
        for header, value in response.items():
            plain[header] = value
        return plain
    return response


def snapshot() -> dict[str, list]:
    """Every row of every table (sessions aside), as stored: a denied request must leave all of it
    alone, down to the ciphertext of the encrypted fields (re-saving a record rewrites those)."""
    tables = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            if model._meta.label in NOT_COMPARED:
                continue
            table, pk = connection.ops.quote_name(model._meta.db_table), connection.ops.quote_name(model._meta.pk.column)
            cursor.execute(f"SELECT * FROM {table} ORDER BY {pk}")
            tables[model._meta.label] = cursor.fetchall()
    return tables


def changed_models(before: dict, after: dict) -> set[str]:
    return {label for label in before.keys() | after.keys() if before.get(label) != after.get(label)}


_CSRF_TOKEN = re.compile(rb"\b[A-Za-z0-9]{64}\b")


def normalised(response, url: str) -> bytes:
    # Forms carry a fresh masked CSRF token on every render, and the language switcher the page's own
    # path, with its query string (where a page takes its node from ?node=).
    content = response.content
    request = getattr(response, "wsgi_request", None)
    if request is not None:
        content = content.replace(html.escape(request.get_full_path()).encode(), b"<url>")
    return _CSRF_TOKEN.sub(b"<csrf>", content.replace(url.encode(), b"<url>"))


def visible_text(response) -> str:
    if response.get("Content-Type", "").startswith("application/json") and response.content:
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode(errors="replace")


def county_names(county) -> list[str]:
    """Names only this county's objects carry (the hardship record's name exists in both counties)."""
    return [county.county.name, county.township.name, county.village.name, county.youth.name, county.social_org.name,
            *(getattr(county, role).display_name for role in ROLES if role != "youth_user")]


def assert_nothing_leaks(matrix: Matrix, route: Route, method: str, persona: str, response) -> None:
    """The other county sees no name from the home county; the young person sees no one else; and
    no one sees the hardship record's ID number, mobile or notes unless they revealed it."""
    home, person = matrix.world.home, matrix.world.home.person
    text = visible_text(response)
    label = f"{route.key} {method} as {persona}"
    secrets = {"ID number": person.id_number, "mobile": person.mobile,
               "health notes": person.health_notes, "hardship notes": person.hardship_notes}
    if (route.key, method) in REVEAL_ROUTES and response.status_code == 200:
        secrets.pop("ID number")
    for what, value in secrets.items():
        assert value not in text, f"{label}: the response shows the {what} of {person.name}"
    if not 200 <= response.status_code < 300 or route.key in PUBLIC:
        return
    if persona.startswith("other_"):
        shown = [name for name in county_names(home) if name in text]
        assert shown == [], f"{label}: the other county's response names {shown}"
    if persona == "youth_user":
        assert person.name not in text and person.masked("mobile") not in text, \
            f"{label}: the young person sees another young person's record"


def describe(response) -> str:
    location = f" → {response['Location']}" if response.has_header("Location") else ""
    return f"{response.status_code}{location} {response.content[:300].decode(errors='replace')!r}"


# --- the matrix ----------------------------------------------------------------------------------

def check_persona(matrix: Matrix, route: Route, method: str, persona: str):
    from youthlink.audit.models import AuditAction, AuditEvent

    key = (route.key, method)
    expect = expected(route.key, method, persona)
    user = matrix.users[persona]
    label = f"{route.key} {method} as {persona}"
    login_url = reverse(settings.LOGIN_URL)
    url, options = build_request(route, method, matrix.ids)
    twin_url, twin_options = build_request(route, method, matrix.missing)
    carries_ids = (url, options) != (twin_url, twin_options)

    with transaction.atomic():
        client = Client()
        if user is not None:
            client.force_login(user)
        last_audit_id = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        before = snapshot()
        response = send(client, method, url, options)
        changed = changed_models(before, snapshot())
        status = response.status_code

        if expect is LOGIN:
            assert status == 302 and response["Location"].startswith(f"{login_url}?next="), \
                f"{label}: expected a redirect to the login page, got {describe(response)}"
            allowed_changes = set()
        elif isinstance(expect, Refused):
            assert status == expect.status, f"{label}: expected {expect!r}, got {describe(response)}"
            allowed_changes = set()
        else:
            assert status == expect, f"{label}: expected {expect}, got {describe(response)}"
            if status >= 400:
                allowed_changes = set()
            else:
                must = WRITES.get(key, set())
                assert must <= changed, f"{label}: answered {status} but did not write {sorted(must - changed)}"
                allowed_changes = must | MAY_CHANGE.get(key, set())
        assert_nothing_leaks(matrix, route, method, persona, response)
        if status == 302 and expect is not LOGIN and route.key not in PUBLIC:
            assert not response["Location"].startswith(login_url), f"{label}: sent to the login page"
        assert changed <= allowed_changes, \
            f"{label}: answered {status} but changed {sorted(changed - allowed_changes)}"

        if key in REVEAL_ROUTES:
            new_events = list(AuditEvent.objects.filter(pk__gt=last_audit_id))
            if status == 200:
                assert [(e.action, e.actor_id, e.target_id, e.field, e.reason) for e in new_events] == [
                    (AuditAction.REVEAL, user.pk, matrix.ids.person, "id_number", REVEAL_REASON)], label
            else:
                assert new_events == [], f"{label}: a refused reveal wrote an audit row"

        # Forbidden must look exactly like missing: same status, same body.
        other_county = persona.startswith("other_") and route.key not in PUBLIC
        if carries_ids and (status == 404 or other_county) and status not in (301, 302):
            twin = send(client, method, twin_url, twin_options)
            assert twin.status_code == status, \
                f"{label}: {status} here but {twin.status_code} for a missing id ({twin_url})"
            assert normalised(response, url) == normalised(twin, twin_url), \
                f"{label}: the body differs from the missing id's: {response.content[:300]!r} vs {twin.content[:300]!r}"
        transaction.set_rollback(True)


@pytest.mark.parametrize(("route", "method"), ROUTE_METHODS, ids=[f"{r.key} {m}" for r, m in ROUTE_METHODS])
def test_route_answers_every_persona_as_the_matrix_declares(route, method, matrix, subtests):
    assert (route.key, method) in MATRIX, (
        f"add an expectation for route {route.key} {method} (/{route.route}) to MATRIX in "
        "tests/matrix_expectations.py: every persona's status, and PARAMS / PAYLOADS / WRITES if it needs them")
    for persona in PERSONAS:
        with subtests.test(msg=f"{route.key} {method} as {persona}"):
            check_persona(matrix, route, method, persona)


# --- the table itself ----------------------------------------------------------------------------

def test_every_route_and_method_has_a_row_in_the_matrix():
    missing = sorted(f"{r.key} {m} (/{r.route})" for r, m in ROUTE_METHODS if (r.key, m) not in MATRIX)
    assert missing == [], "add an expectation for route(s): " + "; ".join(missing)


def test_the_matrix_has_no_row_for_a_route_that_is_gone():
    present = {(r.key, m) for r, m in ROUTE_METHODS}
    assert sorted(k for k in MATRIX if k not in present) == []


def test_the_matrix_keeps_the_access_rules():
    """Non-public routes send the anonymous to the login page (401 on the API), and a route that
    carries an id of the home county answers 404 to every persona of the other county."""
    by_key = {r.key: r for r in ROUTES}
    problems = []
    for (key, method), row in MATRIX.items():
        route = by_key.get(key)
        if route is None or key in PUBLIC:
            continue
        if row[0] != (401 if route.is_api else LOGIN):
            problems.append(f"{key} {method}: anonymous gets {row[0]!r}")
        carries_ids = any((key, p) not in LITERAL_PARAMS for p in route.params)
        everyone_405 = set(row[1:7]) == {405} and row[7] in (405, SAME)
        if carries_ids and row[7] != 404 and not everyone_405:
            problems.append(f"{key} {method}: the other county gets {row[7]!r}, not 404")
        for cell in row[1:7]:
            if not (cell is LOGIN or isinstance(cell, Refused) or cell in {200, 201, 204, 302, 403, 404, 405, 422}):
                problems.append(f"{key} {method}: unexpected cell {cell!r}")
    assert problems == []


# --- Django admin: superusers only ---------------------------------------------------------------

def _admin_urls(world) -> list[str]:
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        opts = model._meta
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    urls.append(reverse("admin:people_youngperson_change", args=[world.home.person.pk]))
    return urls


def test_django_admin_sends_everyone_but_superusers_to_the_admin_login(matrix, subtests):
    admin_login = reverse("admin:login")
    change_url = reverse("admin:people_youngperson_change", args=[matrix.world.home.person.pk])
    for persona in PERSONAS:
        with subtests.test(msg=f"/admin/ as {persona}"):
            user = matrix.users[persona]
            client = Client()
            if user is not None:
                client.force_login(user)
            for url in _admin_urls(matrix.world):
                response = client.get(url)
                assert response.status_code == 302 and response["Location"].startswith(f"{admin_login}?next="), \
                    f"{url} as {persona}: {describe(response)}"
            before = snapshot()
            response = client.post(change_url, {"name": "改名"})
            assert response.status_code == 302 and response["Location"].startswith(f"{admin_login}?next=")
            assert changed_models(before, snapshot()) == set()


def test_django_admin_opens_for_a_superuser(matrix):
    from youthlink.accounts.services import user_create
    root = user_create(name="超级管理员", password="x-Admin-2026", username="root", is_superuser=True)
    client = Client()
    client.force_login(root)
    for url in _admin_urls(matrix.world):
        assert client.get(url).status_code == 200, url


# --- ids of the other county in the body or the query string of a home persona's request -----------

@dataclass(frozen=True)
class Probe:
    name: str
    persona: str
    method: str
    url: object  # world → path
    body: object = None  # world → form dict (pages) or JSON dict (/api/)
    expect: object = 404


PROBES = [
    Probe("link a young person of the other county (API)", "admin", "POST",
          lambda w: f"/api/cadres/{w.home.cadre.pk}/links", lambda w: {"kind": "youth", "person_id": w.other.person.pk}),
    Probe("link the other county's social organisation (API)", "admin", "POST",
          lambda w: f"/api/cadres/{w.home.cadre.pk}/links",
          lambda w: {"kind": "social_org", "social_org_id": w.other.social_org.pk}, 422),
    Probe("link a young person of the other county (page)", "cadre", "POST",
          lambda w: f"/cadres/{w.home.cadre.pk}/links/", lambda w: {"kind": "youth", "person": w.other.person.pk}, R302),
    Probe("link the other county's social organisation (page)", "secretary", "POST",
          lambda w: f"/cadres/{w.home.cadre.pk}/links/",
          lambda w: {"kind": "social_org", "social_org": w.other.social_org.pk}, R302),
    Probe("move a record into the other county (API)", "admin", "PATCH",
          lambda w: f"/api/people/{w.home.person.pk}", lambda w: {"home_node_id": w.other.village.pk}),
    Probe("move a record into the other county (page)", "admin", "POST",
          lambda w: f"/people/{w.home.person.pk}/edit/",
          lambda w: {"name": "单雄信", "gender": "M", "home_node": w.other.village.pk}, R200),
    Probe("move a record above the secretary's township (API)", "secretary", "PATCH",
          lambda w: f"/api/people/{w.home.person.pk}", lambda w: {"home_node_id": w.home.county.pk}),
    Probe("create a record in the other county (API)", "admin", "POST",
          "/api/people", lambda w: {"home_node_id": w.other.village.pk, "name": "李四"}),
    Probe("create a record in the other county (page)", "cadre", "POST",
          "/people/new/", lambda w: {"name": "李四", "gender": "M", "home_node": w.other.village.pk}, R200),
    Probe("bind a young person of the other county (API)", "cadre", "POST",
          lambda w: f"/api/people/{w.other.person.pk}/bind"),
    Probe("filter people by the other county's node (API)", "admin", "GET",
          lambda w: f"/api/people?node_id={w.other.township.pk}"),
    Probe("filter people by the other county's node (page)", "admin", "GET",
          lambda w: f"/people/?node={w.other.township.pk}"),
    Probe("add a social organisation under the other county (API)", "admin", "POST",
          lambda w: f"/api/nodes/{w.other.township.pk}/social-orgs", lambda w: {"name": "云和义工"}),
]


def _probe_request(probe: Probe, world):
    url = probe.url(world) if callable(probe.url) else probe.url
    body = probe.body(world) if probe.body else None
    if url.startswith("/api/"):
        return url, ({} if body is None else {"data": json.dumps(body), "content_type": "application/json"})
    return url, ({"data": body} if body is not None else {})


@pytest.mark.parametrize("probe", PROBES, ids=[p.name for p in PROBES])
def test_ids_of_the_other_county_in_a_request_change_nothing(probe, matrix):
    url, options = _probe_request(probe, matrix.world)
    client = Client()
    client.force_login(matrix.users[probe.persona])
    before = snapshot()
    response = send(client, probe.method, url, options)
    status = probe.expect.status if isinstance(probe.expect, Refused) else probe.expect
    assert response.status_code == status, describe(response)
    assert changed_models(before, snapshot()) == set()
    text = visible_text(response)
    assert [name for name in county_names(matrix.world.other) if name in text] == []
    assert matrix.world.other.person.id_number not in text


# --- invalid writes: 422 and nothing written ----------------------------------------------------------

INVALID_WRITES = [
    # name, persona, method, url, body, status
    ("reveal without a reason (page)", "admin", "POST", "/people/{person}/reveal/id_number/", {"reason": ""}, 422),
    ("reveal with a two-character reason (page)", "admin", "POST", "/people/{person}/reveal/id_number/",
     {"reason": "核实"}, 422),
    ("reveal with a two-character reason (API)", "admin", "POST", "/api/people/{person}/reveal",
     {"field": "id_number", "reason": "核实"}, 422),
    ("reveal a field that is not sensitive (API)", "admin", "POST", "/api/people/{person}/reveal",
     {"field": "name", "reason": REVEAL_REASON}, 404),
    ("reveal a field that is not sensitive (page)", "admin", "POST", "/people/{person}/reveal/name/",
     {"reason": REVEAL_REASON}, 404),
    ("create with a malformed mobile", "secretary", "POST", "/api/people",
     {"home_node_id": "{village}", "name": "李四", "mobile": "1380013"}, 422),
    ("create with an ID number already on record", "admin", "POST", "/api/people",
     {"home_node_id": "{village}", "name": "李四", "id_number": "{id_number}"}, 422),
    ("create without a name", "cadre", "POST", "/api/people", {"home_node_id": "{village}", "name": "  "}, 422),
    ("create with an unknown tag", "cadre", "POST", "/api/people",
     {"home_node_id": "{village}", "name": "李四", "tags": [{"tag": "vip"}]}, 422),
    ("update with a wrong ID check digit", "admin", "PATCH", "/api/people/{person}",
     {"id_number": "33032920010304001X"}, 422),
    ("link of an unknown kind", "admin", "POST", "/api/cadres/{cadre}/links", {"kind": "friend", "person_id": "{person}"}, 422),
    ("join with an all-digit password", "anonymous", "POST", "/api/join/{token}",
     {"name": "李小青", "mobile": "15857812345", "password": "12345678", "birth_date": "2003-06-01",
      "agree_privacy": True}, 422),
    ("join under 14 without a guardian", "anonymous", "POST", "/api/join/{token}",
     {"name": "李小青", "mobile": "15857812345", "password": "Qing-nian-2026", "birth_date": "2016-06-01",
      "agree_privacy": True}, 422),
    ("join without agreeing to the privacy notice", "anonymous", "POST", "/api/join/{token}",
     {"name": "李小青", "mobile": "15857812345", "password": "Qing-nian-2026", "birth_date": "2003-06-01",
      "agree_privacy": False}, 422),
]


def _fill(value, values: dict):
    if isinstance(value, str):
        if value.startswith("{") and value.endswith("}") and value[1:-1] in values:
            return values[value[1:-1]]
        return value.format(**values)
    if isinstance(value, dict):
        return {k: _fill(v, values) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, values) for v in value]
    return value


@pytest.mark.parametrize(("name", "persona", "method", "url", "body", "status"), INVALID_WRITES,
                         ids=[case[0] for case in INVALID_WRITES])
def test_an_invalid_write_is_refused_and_writes_nothing(name, persona, method, url, body, status, matrix):
    home = matrix.world.home
    values = {"person": home.person.pk, "village": home.village.pk, "cadre": home.cadre.pk,
              "token": matrix.ids.token, "id_number": home.person.id_number}
    url, body = _fill(url, values), _fill(body, values)
    client = Client()
    if matrix.users[persona] is not None:
        client.force_login(matrix.users[persona])
    options = ({"data": json.dumps(body), "content_type": "application/json"} if url.startswith("/api/")
               else {"data": body})
    before = snapshot()
    response = send(client, method, url, options)
    assert response.status_code == status, describe(response)
    assert changed_models(before, snapshot()) == set()
    assert home.person.id_number not in visible_text(response)


# --- a young person and their own record -------------------------------------------------------------

def test_a_young_person_sees_their_own_record_and_no_other(matrix):
    from youthlink.people.models import YoungPerson
    home = matrix.world.home
    own = home.youth
    client = Client()
    client.force_login(home.youth_user)
    assert client.get(f"/people/{own.pk}/").status_code == 200
    assert client.get(f"/api/people/{own.pk}").json()["id"] == own.pk
    assert [p["id"] for p in client.get("/api/people").json()] == [own.pk]
    assert client.get("/api/me").json()["young_person_id"] == own.pk
    # Seeing is not editing, and unmasking is for staff with a reason.
    before = snapshot()
    assert client.get(f"/people/{own.pk}/edit/").status_code == 403
    assert client.patch(f"/api/people/{own.pk}", json.dumps({"name": "改名"}),
                        content_type="application/json").status_code == 403
    assert client.post(f"/api/people/{own.pk}/reveal", json.dumps({"field": "mobile", "reason": REVEAL_REASON}),
                       content_type="application/json").status_code == 403
    assert client.post(f"/people/{own.pk}/reveal/mobile/", {"reason": REVEAL_REASON}).status_code == 403
    assert changed_models(before, snapshot()) == set()
    assert YoungPerson.objects.get(pk=own.pk).name == own.name
