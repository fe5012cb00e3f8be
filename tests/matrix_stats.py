"""Permission-matrix rows of the dashboards (数据看板).

Who: admins and secretaries read the dashboards of their subtrees; every other role is refused the
pages outright (403, before any node is looked at, so the answer says nothing about the node). The
node is the home township (the township secretary's own); the other county's admin and secretary
get 404 for it, exactly like a node that does not exist. The pages only read: POST is 405."""
from __future__ import annotations

from .matrix_expectations import LOGIN

ALL_405 = (LOGIN, 405, 405, 405, 405, 405, 405, 405)
# the other county's columns: admin, secretary, cadre, micro, centre staff, young person
OTHER = (404, 404, 403, 403, 403, 403)

# fmt: off
#                                        anon   admin  secr.  cadre  micro  centre youth  other county
MATRIX = {
    ("stats:dashboard", "GET"):          (LOGIN, 200,   200,   403,   403,   403,   403,   OTHER),
    ("stats:dashboard", "POST"):         ALL_405,
    ("stats:cadres", "GET"):             (LOGIN, 200,   200,   403,   403,   403,   403,   OTHER),
    ("stats:cadres", "POST"):            ALL_405,
    ("stats:figure", "GET"):             (LOGIN, 200,   200,   403,   403,   403,   403,   OTHER),
    ("stats:figure", "POST"):            ALL_405,
    ("stats:records", "GET"):            (LOGIN, 200,   200,   403,   403,   403,   403,   OTHER),
    ("stats:records", "POST"):           ALL_405,
}
# fmt: on

LITERAL_PARAMS = {
    ("stats:figure", "key"): "visits.visits",
    ("stats:records", "key"): "visits.visits",
}

PAYLOADS = {
    ("stats:dashboard", "GET"): lambda ids: {"node": ids.township},
    ("stats:cadres", "GET"): lambda ids: {"node": ids.township},
    ("stats:figure", "GET"): lambda ids: {"node": ids.township},
    ("stats:records", "GET"): lambda ids: {"node": ids.township},
}
