"""The permission matrix: what every route of the URL configuration answers to every persona.

tests/test_permission_matrix.py walks the URL configuration and requests every route with every
method it supports as every persona, and compares the answer with MATRIX below. A route in the URL
configuration that has no row here fails the suite ("add an expectation for route X"), so a new
feature cannot ship an unguarded page; a row for a route that no longer exists fails too.

Columns: anonymous | the six personas of the HOME county | the same six roles in the OTHER county.
URL parameters and request bodies always name objects of the HOME county (see PARAMS, PAYLOADS).

Cells:
    LOGIN      302 to /accounts/login/?next=…; nothing changes
    401 403 404 405 422
               denied; nothing in the database changes. A 404 for a request that carries ids
               must be byte-for-byte the 404 of the same request with every id replaced by 999999
    200 201 204 302
               allowed. For a write, the models in WRITES must change and nothing beyond
               WRITES ∪ MAY_CHANGE may; for a read, nothing beyond MAY_CHANGE may change
    R200 R302  answered 200 (form shown again with an error) or 302 (redirect with an error
               message) but the write is refused: nothing changes
    SAME       (other-county column only) each other-county persona gets what the home persona
               of the same role gets: the route carries no object, so it shows the viewer's own area
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Refused:
    status: int

    def __repr__(self) -> str:
        return f"R{self.status}"


class _Marker:
    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


LOGIN = _Marker("LOGIN")
SAME = _Marker("SAME")
R200 = Refused(200)
R302 = Refused(302)

ROLES = ("admin", "secretary", "cadre", "micro", "centre_staff", "youth_user")
PERSONAS = ("anonymous", *ROLES, *(f"other_{role}" for role in ROLES))

# Routes anyone may open: the anonymous column is not LOGIN / 401, and the other county's column
# may differ from 404 even where the route carries a token (the invite QR code is public on purpose:
# a young person anywhere may scan a cadre's code and become their 青年之友).
PUBLIC = {
    "core:privacy", "core:healthz", "accounts:login", "accounts:logout", "set_language", "liaison:join",
    "api:join", "api:openapi-json", "api:openapi-view", "api:api-root",
}

# fmt: off
#                                                anon   admin  secr.  cadre  micro  centre youth   other county
MATRIX = {
    # core
    ("core:home", "GET"):                       (LOGIN, 200,   200,   200,   200,   200,   200,    SAME),
    ("core:home", "POST"):                      (LOGIN, 405,   405,   405,   405,   405,   405,    405),
    ("core:privacy", "GET"):                    (200,   200,   200,   200,   200,   200,   200,    SAME),
    ("core:privacy", "POST"):                   (405,   405,   405,   405,   405,   405,   405,    405),
    # liveness for load balancers: no database, no session
    ("core:healthz", "GET"):                    (200,   200,   200,   200,   200,   200,   200,    SAME),
    ("core:healthz", "POST"):                   (405,   405,   405,   405,   405,   405,   405,    405),
    # accounts (POST logs in as the home young person, whoever was logged in before)
    ("accounts:login", "GET"):                  (200,   200,   200,   200,   200,   200,   200,    SAME),
    ("accounts:login", "POST"):                 (302,   302,   302,   302,   302,   302,   302,    SAME),
    ("accounts:logout", "GET"):                 (405,   405,   405,   405,   405,   405,   405,    SAME),
    ("accounts:logout", "POST"):                (302,   302,   302,   302,   302,   302,   302,    SAME),
    ("set_language", "GET"):                    (302,   302,   302,   302,   302,   302,   302,    SAME),
    ("set_language", "POST"):                   (302,   302,   302,   302,   302,   302,   302,    SAME),
    # people: the hardship young person in the home village
    ("people:list", "GET"):                     (LOGIN, 200,   200,   200,   200,   200,   404,    SAME),
    ("people:list", "POST"):                    (LOGIN, 405,   405,   405,   405,   405,   405,    405),
    ("people:create", "GET"):                   (LOGIN, 200,   200,   200,   403,   403,   404,    SAME),
    # other-county staff: the home village is not among their choices ("select a valid choice")
    ("people:create", "POST"):                  (LOGIN, 302,   302,   302,   403,   403,   404,
                                                 (R200, R200,  R200,  403,   403,   404)),
    ("people:detail", "GET"):                   (LOGIN, 200,   200,   200,   200,   200,   404,    404),
    ("people:detail", "POST"):                  (LOGIN, 405,   405,   405,   405,   405,   405,    405),
    ("people:edit", "GET"):                     (LOGIN, 200,   200,   200,   403,   403,   404,    404),
    ("people:edit", "POST"):                    (LOGIN, 302,   302,   302,   403,   403,   404,    404),
    ("people:reveal", "GET"):                   (LOGIN, 405,   405,   405,   405,   405,   405,    405),
    # field=id_number: only the county admin may unmask an ID number
    ("people:reveal", "POST"):                  (LOGIN, 200,   403,   403,   403,   403,   404,    404),
    # organisation tree: the home township
    ("orgs:list", "GET"):                       (LOGIN, 200,   200,   200,   200,   200,   404,    SAME),
    ("orgs:list", "POST"):                      (LOGIN, 405,   405,   405,   405,   405,   405,    405),
    ("orgs:detail", "GET"):                     (LOGIN, 200,   200,   200,   404,   200,   404,    404),
    ("orgs:detail", "POST"):                    (LOGIN, 405,   405,   405,   405,   405,   405,    405),
    ("orgs:social_org_create", "GET"):          (LOGIN, 200,   200,   403,   404,   403,   404,    404),
    ("orgs:social_org_create", "POST"):         (LOGIN, 302,   302,   403,   404,   403,   404,    404),
    # 青年之友 invite: a cadre's own QR code
    ("liaison:invite", "GET"):                  (LOGIN, 404,   404,   200,   404,   404,   404,    SAME),
    ("liaison:invite", "POST"):                 (LOGIN, 405,   405,   405,   405,   405,   405,    405),
    ("liaison:invite_print", "GET"):            (LOGIN, 404,   404,   200,   404,   404,   404,    SAME),
    ("liaison:invite_print", "POST"):           (LOGIN, 405,   405,   405,   405,   405,   405,    405),
    ("liaison:invite_qr", "GET"):               (LOGIN, 404,   404,   200,   404,   404,   404,    SAME),
    ("liaison:invite_qr", "POST"):              (LOGIN, 405,   405,   405,   405,   405,   405,    405),
    ("liaison:invite_rotate", "GET"):           (LOGIN, 405,   405,   405,   405,   405,   405,    SAME),
    ("liaison:invite_rotate", "POST"):          (LOGIN, 404,   404,   302,   404,   404,   404,    SAME),
    # the home cadre's invite token (public, see PUBLIC)
    ("liaison:join", "GET"):                    (200,   200,   200,   200,   200,   200,   200,    SAME),
    ("liaison:join", "POST"):                   (302,   302,   302,   302,   302,   302,   302,    SAME),
    # 三联: the home cadre, and a link of theirs
    ("liaison:cadre", "GET"):                   (LOGIN, 200,   200,   200,   404,   404,   404,    404),
    ("liaison:cadre", "POST"):                  (LOGIN, 405,   405,   405,   405,   405,   405,    405),
    ("liaison:candidates", "GET"):              (LOGIN, 200,   200,   200,   404,   404,   404,    404),
    ("liaison:candidates", "POST"):             (LOGIN, 405,   405,   405,   405,   405,   405,    405),
    ("liaison:link_add", "GET"):                (LOGIN, 405,   405,   405,   405,   405,   405,    405),
    ("liaison:link_add", "POST"):               (LOGIN, 302,   302,   302,   404,   404,   404,    404),
    ("liaison:link_remove", "GET"):             (LOGIN, 405,   405,   405,   405,   405,   405,    405),
    ("liaison:link_remove", "POST"):            (LOGIN, 302,   302,   302,   404,   404,   404,    404),
    # 青年之友 by hand: only a cadre binds, and only young people of their own area
    ("liaison:bind", "GET"):                    (LOGIN, 405,   405,   405,   405,   405,   405,    405),
    ("liaison:bind", "POST"):                   (LOGIN, 404,   404,   302,   404,   404,   404,    404),
    # audit log: county admins only
    ("audit:list", "GET"):                      (LOGIN, 200,   404,   404,   404,   404,   404,    SAME),
    ("audit:list", "POST"):                     (LOGIN, 405,   405,   405,   405,   405,   405,    405),
    # notifications: everyone has their own list; nothing carries an id
    ("notifications:list", "GET"):              (LOGIN, 200,   200,   200,   200,   200,   200,    SAME),
    ("notifications:list", "POST"):             (LOGIN, 405,   405,   405,   405,   405,   405,    405),
    ("notifications:mark_all_read", "GET"):     (LOGIN, 405,   405,   405,   405,   405,   405,    405),
    ("notifications:mark_all_read", "POST"):    (LOGIN, 302,   302,   302,   302,   302,   302,    SAME),
    # roster import (名册导入): rows in tests/matrix_roster.py

    # JSON API (session auth): anonymous gets 401
    ("api:openapi-json", "GET"):                (200,   200,   200,   200,   200,   200,   200,    SAME),
    ("api:openapi-view", "GET"):                (200,   200,   200,   200,   200,   200,   200,    SAME),
    ("api:api-root", "GET"):                    (404,   404,   404,   404,   404,   404,   404,    SAME),
    ("api:me", "GET"):                          (401,   200,   200,   200,   200,   200,   200,    SAME),
    ("api:list_nodes", "GET"):                  (401,   200,   200,   200,   200,   200,   200,    SAME),
    ("api:get_node", "GET"):                    (401,   200,   200,   200,   404,   200,   404,    404),
    ("api:node_cadres", "GET"):                 (401,   200,   200,   200,   404,   200,   404,    404),
    ("api:list_people", "GET"):                 (401,   200,   200,   200,   200,   200,   200,    SAME),
    ("api:create_person", "POST"):              (401,   201,   201,   201,   403,   403,   404,    404),
    ("api:get_person", "GET"):                  (401,   200,   200,   200,   200,   200,   404,    404),
    ("api:update_person", "PATCH"):             (401,   200,   200,   200,   403,   403,   404,    404),
    ("api:reveal", "POST"):                     (401,   200,   403,   403,   403,   403,   404,    404),
    ("api:my_invite", "GET"):                   (401,   404,   404,   200,   404,   404,   404,    SAME),
    ("api:join", "POST"):                       (201,   201,   201,   201,   201,   201,   201,    SAME),
    ("api:cadre_links", "GET"):                 (401,   200,   200,   200,   404,   404,   404,    404),
    ("api:add_link", "POST"):                   (401,   201,   201,   201,   404,   404,   404,    404),
    ("api:remove_link", "DELETE"):              (401,   204,   204,   204,   404,   404,   404,    404),
    ("api:cadre_friends", "GET"):               (401,   200,   200,   200,   404,   404,   404,    404),
    ("api:list_social_orgs", "GET"):            (401,   200,   200,   200,   404,   200,   404,    404),
    ("api:create_social_org", "POST"):          (401,   201,   201,   403,   404,   403,   404,    404),
    ("api:bind_person", "POST"):                (401,   404,   404,   201,   404,   404,   404,    404),
    ("api:list_audit", "GET"):                  (401,   200,   404,   404,   404,   404,   404,    SAME),
    ("api:list_notifications", "GET"):          (401,   200,   200,   200,   200,   200,   200,    SAME),
    ("api:mark_read", "POST"):                  (401,   200,   200,   200,   200,   200,   200,    SAME),
}
# fmt: on

# URL parameters → the HOME-county object they are filled with (attributes of the test's `Ids`).
# By route first (a bare `pk` means something different on every route), then by parameter name.
ROUTE_PARAMS = {
    ("people:detail", "pk"): "person",
    ("people:edit", "pk"): "person",
    ("people:reveal", "pk"): "person",
    ("orgs:detail", "pk"): "township",
    ("orgs:social_org_create", "pk"): "township",
    ("liaison:cadre", "pk"): "cadre",
    ("liaison:candidates", "pk"): "cadre",
    ("liaison:link_add", "pk"): "cadre",
    ("liaison:link_remove", "pk"): "link",
    ("liaison:join", "token"): "token",
    ("liaison:bind", "person_pk"): "person",
}
PARAMS = {
    "person_id": "person",
    "node_id": "township",
    "cadre_id": "cadre",
    "link_id": "link",
    "token": "token",
    "job_id": "job",  # roster import jobs (名册导入)
    "job_pk": "job",
}
# Parameters that are not object ids: the same value in the "missing id" request.
LITERAL_PARAMS = {
    ("people:reveal", "field"): "id_number",
}

REVEAL_REASON = "电话回访核实情况"
NEW_MOBILE = "15857812345"
JOIN_PASSWORD = "Qing-nian-2026"


def _join(ids) -> dict:
    return {"name": "李小青", "mobile": NEW_MOBILE, "password": JOIN_PASSWORD, "birth_date": "2003-06-01",
            "gender": "F", "agree_privacy": True}


def _new_id_number() -> str:
    from youthlink.core.testing import valid_id_number
    return valid_id_number(dt.date(2006, 9, 12), serial=517)


# Request bodies: forms for pages, JSON for the API. `ids` holds the home county's ids, or 999999
# everywhere for the "missing id" twin of a request.
PAYLOADS = {
    ("accounts:login", "POST"): lambda ids: {"username": ids.youth_mobile, "password": ids.password},
    ("set_language", "POST"): lambda ids: {"language": "en", "next": "/"},
    ("people:create", "POST"): lambda ids: {
        "name": "李四", "gender": "M", "home_node": ids.village, "mobile": NEW_MOBILE, "id_number": _new_id_number(),
        "tags": ["hardship", "student"], "hardship_notes": "单亲家庭，母亲患病"},
    ("people:edit", "POST"): lambda ids: {
        "name": "单雄信", "gender": "M", "home_node": ids.village, "tags": ["hardship"],
        "hardship_notes": "父母双亡，靠奶奶抚养，已申请低保"},
    ("people:reveal", "POST"): lambda ids: {"reason": REVEAL_REASON},
    ("orgs:social_org_create", "POST"): lambda ids: {
        "name": "泰顺县青年志愿者协会", "service_area": "志愿服务", "contact_name": "周敏", "contact_phone": "0577-67581234"},
    ("liaison:join", "POST"): lambda ids: {**_join(ids), "agree_privacy": "on"},
    ("liaison:link_add", "POST"): lambda ids: {"kind": "youth", "person": ids.person},
    ("api:create_person", "POST"): lambda ids: {
        "home_node_id": ids.village, "name": "李四", "gender": "M", "mobile": NEW_MOBILE,
        "id_number": _new_id_number(), "hardship_notes": "单亲家庭，母亲患病", "tags": [{"tag": "hardship"}]},
    ("api:update_person", "PATCH"): lambda ids: {
        "hardship_notes": "父母双亡，靠奶奶抚养，已申请低保", "tags": [{"tag": "hardship"}, {"tag": "key"}]},
    ("api:reveal", "POST"): lambda ids: {"field": "id_number", "reason": REVEAL_REASON},
    ("api:mark_read", "POST"): lambda ids: {},
    ("api:join", "POST"): _join,
    ("api:add_link", "POST"): lambda ids: {"kind": "youth", "person_id": ids.person},
    ("api:create_social_org", "POST"): lambda ids: {
        "name": "泰顺县青年志愿者协会", "service_area": "志愿服务", "contact_name": "周敏", "contact_phone": "0577-67581234"},
}

# Models an allowed write must change (model labels). Sessions are never compared.
WRITES = {
    ("accounts:login", "POST"): {"accounts.User"},  # last_login
    ("people:create", "POST"): {"people.YoungPerson", "people.PersonTag", "audit.AuditEvent"},
    ("people:edit", "POST"): {"people.YoungPerson", "people.PersonTag", "audit.AuditEvent"},
    ("people:reveal", "POST"): {"audit.AuditEvent"},
    ("orgs:social_org_create", "POST"): {"orgs.SocialOrganisation", "audit.AuditEvent"},
    ("liaison:invite_rotate", "POST"): {"liaison.CadreInvite"},
    ("liaison:join", "POST"): {"liaison.Binding", "audit.AuditEvent"},
    ("liaison:link_add", "POST"): {"liaison.CadreLink", "audit.AuditEvent"},
    ("liaison:link_remove", "POST"): {"liaison.CadreLink", "audit.AuditEvent"},
    ("liaison:bind", "POST"): {"liaison.Binding", "audit.AuditEvent"},
    ("api:bind_person", "POST"): {"liaison.Binding", "audit.AuditEvent"},
    ("api:create_social_org", "POST"): {"orgs.SocialOrganisation", "audit.AuditEvent"},
    ("api:create_person", "POST"): {"people.YoungPerson", "people.PersonTag", "audit.AuditEvent"},
    ("api:update_person", "PATCH"): {"people.YoungPerson", "people.PersonTag", "audit.AuditEvent"},
    ("api:reveal", "POST"): {"audit.AuditEvent"},
    ("api:join", "POST"): {"liaison.Binding", "audit.AuditEvent"},
    ("api:add_link", "POST"): {"liaison.CadreLink", "audit.AuditEvent"},
    ("api:remove_link", "DELETE"): {"liaison.CadreLink", "audit.AuditEvent"},
}
_LOGIN_SIDE_EFFECTS = {"accounts.User", "axes.AccessLog"}
_REGISTRATION = {"accounts.User", "people.YoungPerson", "people.Consent", *_LOGIN_SIDE_EFFECTS}
# What an allowed request may change besides WRITES (a cadre's invite is made on first view).
MAY_CHANGE = {
    ("accounts:login", "POST"): _LOGIN_SIDE_EFFECTS,
    ("accounts:logout", "POST"): {"axes.AccessLog"},  # logout time
    ("liaison:invite", "GET"): {"liaison.CadreInvite"},
    ("liaison:invite", "POST"): {"liaison.CadreInvite"},
    ("liaison:invite_print", "GET"): {"liaison.CadreInvite"},
    ("liaison:invite_print", "POST"): {"liaison.CadreInvite"},
    ("liaison:invite_qr", "GET"): {"liaison.CadreInvite"},
    ("liaison:invite_qr", "POST"): {"liaison.CadreInvite"},
    ("api:my_invite", "GET"): {"liaison.CadreInvite"},
    ("liaison:join", "POST"): _REGISTRATION,
    ("api:join", "POST"): _REGISTRATION,
    ("notifications:mark_all_read", "POST"): {"notifications.Notification"},
    ("api:mark_read", "POST"): {"notifications.Notification"},
}

# The reveal endpoints: on success exactly one audit row; on denial none (checked on top of WRITES).
REVEAL_ROUTES = {("people:reveal", "POST"), ("api:reveal", "POST")}


def expected(route: str, method: str, persona: str):
    """The cell of MATRIX for one persona (SAME resolved)."""
    row = MATRIX[(route, method)]
    if persona == "anonymous":
        return row[0]
    if persona in ROLES:
        return row[1 + ROLES.index(persona)]
    role = persona.removeprefix("other_")
    other = row[7]
    if other is SAME:
        return row[1 + ROLES.index(role)]
    if isinstance(other, tuple):
        return other[ROLES.index(role)]
    return other

# --- rows kept by features ------------------------------------------------------------------------
# A feature keeps its rows beside this file in tests/matrix_<feature>.py, with any of the dicts and
# sets above (MATRIX, ROUTE_PARAMS, PARAMS, LITERAL_PARAMS, PAYLOADS, WRITES, MAY_CHANGE, PUBLIC,
# REVEAL_ROUTES) and OBJECTS: {name: builder(world) -> id or token}, the home-county objects its URL
# parameters are filled with (a missing twin gets 999999, or a token that does not exist).
OBJECTS: dict = {}


def _merge_feature_rows() -> None:
    import importlib
    from pathlib import Path

    here = globals()
    for path in sorted(Path(__file__).parent.glob("matrix_*.py")):
        if path.stem == "matrix_expectations":
            continue
        module = importlib.import_module(f"{__package__}.{path.stem}")
        for name in ("MATRIX", "ROUTE_PARAMS", "PARAMS", "LITERAL_PARAMS", "PAYLOADS", "WRITES", "MAY_CHANGE",
                     "OBJECTS"):
            overlap = here[name].keys() & getattr(module, name, {}).keys()
            assert not overlap, f"{path.name} redefines {sorted(overlap)} of {name}"
            here[name].update(getattr(module, name, {}))
        for name in ("PUBLIC", "REVEAL_ROUTES"):
            here[name] |= set(getattr(module, name, set()))


_merge_feature_rows()
