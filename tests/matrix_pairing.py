"""Permission matrix rows of 结对帮扶 and 三必到三必访 (youthlink/pairing), merged into
tests/matrix_expectations.py. Columns: anonymous | admin, secretary, cadre, micro, centre_staff,
youth_user of the HOME county | the OTHER county.

The object: the home cadre paired with the home hardship young person by the home secretary. Who
sees a pairing: the secretaries and admins over the young person, the helper, the young person. Who
may end it: secretaries and admins (the helper sees it, so ending answers them 403). Events are
recorded by the helper or a manager. Rules belong to the county committee (团县委): only the
county admin reaches the county node, everyone else gets 404."""
from __future__ import annotations

from .matrix_expectations import LOGIN, R200, SAME

EVENT_TYPES = ("hospitalised", "bereavement", "major_hardship", "exam", "holiday", "distress")


def _pairing(world) -> int:
    from youthlink.pairing.services import pairing_create
    home = world.home
    return pairing_create(actor=home.secretary, person=home.person, helper=home.cadre).pk


OBJECTS = {
    "pairing": _pairing,
    "helper_candidate": lambda world: world.home.micro.pk,  # not yet paired with the young person
    "county": lambda world: world.home.county.pk,
}

_PAIRING_ROUTES = ("pairing:detail", "pairing:card", "pairing:card_pdf", "pairing:end", "pairing:event_create")
_PAIRING_API = ("api:get_pairing", "api:end_pairing", "api:pairing_card_pdf", "api:record_must_visit_event")
ROUTE_PARAMS = {
    **{(route, "pk"): "pairing" for route in _PAIRING_ROUTES},
    **{(route, "pairing_id"): "pairing" for route in _PAIRING_API},
    ("pairing:rules", "county_pk"): "county",
    ("api:get_must_visit_rules", "county_id"): "county",
    ("api:set_must_visit_rules", "county_id"): "county",
}

_405 = (LOGIN, 405, 405, 405, 405, 405, 405, 405)
_SEEN = (LOGIN, 200, 200, 200, 404, 404, 404, 404)  # managers over the young person, and the helper

# fmt: off
#                                                anon   admin  secr.  cadre  micro  centre youth   other county
MATRIX = {
    ("pairing:list", "GET"):                    (LOGIN, 200,   200,   200,   200,   200,   200,    SAME),
    ("pairing:list", "POST"):                   _405,
    ("pairing:create", "GET"):                  (LOGIN, 200,   200,   403,   403,   403,   404,    SAME),
    # other-county managers: the home young person and helper are not among their choices
    ("pairing:create", "POST"):                 (LOGIN, 302,   302,   403,   403,   403,   404,
                                                 (R200, R200,  403,   403,   403,   404)),
    ("pairing:detail", "GET"):                  _SEEN,
    ("pairing:detail", "POST"):                 _405,
    ("pairing:card", "GET"):                    _SEEN,
    ("pairing:card", "POST"):                   _405,
    ("pairing:card_pdf", "GET"):                _SEEN,
    ("pairing:card_pdf", "POST"):               _405,
    ("pairing:end", "GET"):                     _405,
    ("pairing:end", "POST"):                    (LOGIN, 302,   302,   403,   404,   404,   404,    404),
    ("pairing:event_create", "GET"):            _405,
    ("pairing:event_create", "POST"):           (LOGIN, 302,   302,   302,   404,   404,   404,    404),
    ("pairing:tasks", "GET"):                   (LOGIN, 200,   200,   200,   200,   200,   404,    SAME),
    ("pairing:tasks", "POST"):                  _405,
    ("pairing:overdue", "GET"):                 (LOGIN, 200,   200,   403,   403,   403,   404,    SAME),
    ("pairing:overdue", "POST"):                _405,
    ("pairing:rules", "GET"):                   (LOGIN, 200,   404,   404,   404,   404,   404,    404),
    ("pairing:rules", "POST"):                  (LOGIN, 302,   404,   404,   404,   404,   404,    404),

    ("api:list_pairings", "GET"):               (401,   200,   200,   200,   200,   200,   200,    SAME),
    ("api:create_pairing", "POST"):             (401,   201,   201,   403,   403,   403,   404,    404),
    ("api:get_pairing", "GET"):                 (401,   200,   200,   200,   404,   404,   404,    404),
    ("api:end_pairing", "POST"):                (401,   200,   200,   403,   404,   404,   404,    404),
    ("api:pairing_card_pdf", "GET"):            (401,   200,   200,   200,   404,   404,   404,    404),
    ("api:record_must_visit_event", "POST"):    (401,   201,   201,   201,   404,   404,   404,    404),
    ("api:list_my_tasks", "GET"):               (401,   200,   200,   200,   200,   200,   404,    SAME),
    ("api:list_overdue_tasks", "GET"):          (401,   200,   200,   403,   403,   403,   404,    SAME),
    ("api:get_must_visit_rules", "GET"):        (401,   200,   404,   404,   404,   404,   404,    404),
    ("api:set_must_visit_rules", "PUT"):        (401,   200,   404,   404,   404,   404,   404,    404),
}
# fmt: on

END_REASON = "青年已外出务工，改由务工地团组织联系"
EVENT_NOTE = "肺炎住院，县人民医院"

PAYLOADS = {
    ("pairing:create", "POST"): lambda ids: {"person": ids.person, "helper": ids.helper_candidate},
    ("pairing:end", "POST"): lambda ids: {"reason": END_REASON},
    ("pairing:event_create", "POST"): lambda ids: {"event_type": "hospitalised", "note": EVENT_NOTE},
    ("pairing:rules", "POST"): lambda ids: {
        **{f"{t}_days": 5 if t == "exam" else 3 for t in EVENT_TYPES}, **{f"{t}_enabled": "on" for t in EVENT_TYPES}},
    ("api:create_pairing", "POST"): lambda ids: {"person_id": ids.person, "helper_id": ids.helper_candidate},
    ("api:end_pairing", "POST"): lambda ids: {"reason": END_REASON},
    ("api:record_must_visit_event", "POST"): lambda ids: {"event_type": "hospitalised", "note": EVENT_NOTE},
    ("api:set_must_visit_rules", "PUT"): lambda ids: {
        "rules": [{"event_type": "exam", "deadline_days": 5, "enabled": True}]},
}

_CREATE = {"pairing.Pairing", "audit.AuditEvent", "notifications.Notification"}
_END = {"pairing.Pairing", "audit.AuditEvent", "notifications.Notification"}
_EVENT = {"pairing.MustVisitEvent", "pairing.MustVisitTask", "audit.AuditEvent"}
_RULES = {"pairing.MustVisitRule", "audit.AuditEvent"}
WRITES = {
    ("pairing:create", "POST"): _CREATE,
    ("api:create_pairing", "POST"): _CREATE,
    ("pairing:end", "POST"): _END,
    ("api:end_pairing", "POST"): _END,
    ("pairing:event_create", "POST"): _EVENT,
    ("api:record_must_visit_event", "POST"): _EVENT,
    ("pairing:rules", "POST"): _RULES,
    ("api:set_must_visit_rules", "PUT"): _RULES,
}
# Recording an event notifies the helpers other than the one recording it (the cadre records for
# themself: no notification); ending cancels the helper's open tasks, if any.
MAY_CHANGE = {
    ("pairing:event_create", "POST"): {"notifications.Notification"},
    ("api:record_must_visit_event", "POST"): {"notifications.Notification"},
    ("pairing:end", "POST"): {"pairing.MustVisitTask"},
    ("api:end_pairing", "POST"): {"pairing.MustVisitTask"},
}
