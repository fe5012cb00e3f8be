"""Permission-matrix rows of search (搜索), similar requests (相似诉求) and the share poster (分享海报).

Search and similar requests carry no object: everyone signed in gets a page of what they may see
(the other county their own area, SAME). The poster is for a request published in the home village's
feed: everyone of the home county reads the feed and gets it; the other county gets 404 like a
request that does not exist.

Objects: a request the home micro-element collected and the township secretary published, through
the intake and review services."""
from __future__ import annotations

from .matrix_expectations import LOGIN, SAME

ALL_405 = (LOGIN, 405, 405, 405, 405, 405, 405, 405)

# fmt: off
#                                                anon   admin  secr.  cadre  micro  centre youth   other county
MATRIX = {
    ("appeals:search", "GET"):                  (LOGIN, 200,   200,   200,   200,   200,   200,    SAME),
    ("appeals:search", "POST"):                 ALL_405,
    ("appeals:similar", "GET"):                 (LOGIN, 200,   200,   200,   200,   200,   200,    SAME),
    ("appeals:similar", "POST"):                ALL_405,
    ("appeals:poster", "GET"):                  (LOGIN, 200,   200,   200,   200,   200,   200,    404),
    ("appeals:poster", "POST"):                 ALL_405,

    ("api:search_appeals", "GET"):              (401,   200,   200,   200,   200,   200,   200,    SAME),
    ("api:similar_appeals", "GET"):             (401,   200,   200,   200,   200,   200,   200,    SAME),
}
# fmt: on

ROUTE_PARAMS = {
    ("appeals:poster", "pk"): "search_appeal",
}


def _published(world) -> int:
    from youthlink.appeals.tests.builders import published
    return published(world, title="生姜滞销求销路", body="村里种的两亩生姜卖不出去，希望帮忙联系销路",
                     subject_name="王女士").pk


OBJECTS = {
    "search_appeal": _published,
}
