"""Permission-matrix rows of the requests feature (诉求, 听结办): feed, submit, review, claim, assign,
comments, timeline.

Objects: a need the home micro-element collected in the home village and the township secretary
published (open, waiting to be taken on), and a second one still waiting for review. Everyone
signed in reads the feed of their own county; a published request of the home county is 404 to
the other county. Staff (admins, secretaries, cadres) read requests of their area in full; the
micro-element reads what they collected; youth-centre workers and young people read the published
text only. Secretaries and admins review and assign; cadres, secretaries and admins claim."""
from __future__ import annotations

from .matrix_expectations import LOGIN, R200, SAME

ALL_405 = (LOGIN, 405, 405, 405, 405, 405, 405, 405)

# fmt: off
#                                                anon   admin  secr.  cadre  micro  centre youth   other county
MATRIX = {
    ("appeals:feed", "GET"):                    (LOGIN, 200,   200,   200,   200,   200,   200,    SAME),
    ("appeals:feed", "POST"):                   ALL_405,
    ("appeals:list", "GET"):                    (LOGIN, 200,   200,   200,   200,   200,   200,    SAME),
    ("appeals:list", "POST"):                   ALL_405,
    # recorded from a visit in the home village: staff who work there (youth-centre workers too);
    # the micro-element and the young person have other sources, so the form is shown again
    ("appeals:create", "GET"):                  (LOGIN, 200,   200,   200,   200,   200,   200,    SAME),
    ("appeals:create", "POST"):                 (LOGIN, 302,   302,   302,   R200,  302,   R200,
                                                 (R200, R200,  R200,  R200,  R200,  R200)),
    ("appeals:review_queue", "GET"):            (LOGIN, 200,   200,   403,   403,   403,   403,    SAME),
    ("appeals:review_queue", "POST"):           ALL_405,
    # the published request
    ("appeals:detail", "GET"):                  (LOGIN, 200,   200,   200,   200,   200,   200,    404),
    ("appeals:detail", "POST"):                 ALL_405,
    # the pending one: the micro-element who collected it reads it but does not review it
    ("appeals:review", "GET"):                  (LOGIN, 200,   200,   403,   403,   404,   404,    404),
    ("appeals:review", "POST"):                 (LOGIN, 302,   302,   403,   403,   404,   404,    404),
    ("appeals:claim", "GET"):                   ALL_405,
    ("appeals:claim", "POST"):                  (LOGIN, 302,   302,   302,   403,   403,   403,    404),
    ("appeals:assign", "GET"):                  ALL_405,
    ("appeals:assign", "POST"):                 (LOGIN, 302,   302,   403,   403,   403,   403,    404),
    ("appeals:comment", "GET"):                 ALL_405,
    ("appeals:comment", "POST"):                (LOGIN, 302,   302,   302,   302,   302,   302,    404),

    # the home county's categories: its admin only (the township's staff do not reach the county)
    ("appeals:categories", "GET"):              (LOGIN, 200,   404,   404,   404,   404,   404,    404),
    ("appeals:categories", "POST"):             (LOGIN, 302,   404,   404,   404,   404,   404,    404),
    ("api:create_appeal_category", "POST"):     (401,   201,   404,   404,   404,   404,   404,    404),

    ("api:appeal_feed", "GET"):                 (401,   200,   200,   200,   200,   200,   200,    SAME),
    ("api:appeal_categories", "GET"):           (401,   200,   200,   200,   200,   200,   200,    SAME),
    ("api:create_appeal", "POST"):              (401,   201,   201,   201,   403,   201,   404,    404),
    ("api:appeal_review_queue", "GET"):         (401,   200,   200,   403,   403,   403,   403,    SAME),
    ("api:get_appeal", "GET"):                  (401,   200,   200,   200,   200,   200,   200,    404),
    ("api:appeal_preview", "GET"):              (401,   200,   200,   403,   403,   404,   404,    404),
    ("api:publish_appeal", "POST"):             (401,   200,   200,   403,   403,   404,   404,    404),
    ("api:keep_appeal_private", "POST"):        (401,   200,   200,   403,   403,   404,   404,    404),
    ("api:merge_appeal", "POST"):               (401,   200,   200,   403,   403,   404,   404,    404),
    ("api:reject_appeal", "POST"):              (401,   200,   200,   403,   403,   404,   404,    404),
    ("api:claim_appeal", "POST"):               (401,   200,   200,   200,   403,   403,   403,    404),
    ("api:assign_appeal", "POST"):              (401,   200,   200,   403,   403,   403,   403,    404),
    ("api:appeal_comments", "GET"):             (401,   200,   200,   200,   200,   200,   200,    404),
    ("api:comment_appeal", "POST"):             (401,   201,   201,   201,   201,   201,   201,    404),
    ("api:appeal_timeline", "GET"):             (401,   200,   200,   200,   200,   403,   403,    404),
}
# fmt: on

ROUTE_PARAMS = {
    ("appeals:detail", "pk"): "appeal",
    ("appeals:claim", "pk"): "appeal",
    ("appeals:assign", "pk"): "appeal",
    ("appeals:comment", "pk"): "appeal",
    ("appeals:review", "pk"): "appeal_pending",
    ("appeals:categories", "pk"): "appeal_county",
    ("api:create_appeal_category", "county_id"): "appeal_county",
    ("api:appeal_preview", "appeal_id"): "appeal_pending",
    ("api:publish_appeal", "appeal_id"): "appeal_pending",
    ("api:keep_appeal_private", "appeal_id"): "appeal_pending",
    ("api:merge_appeal", "appeal_id"): "appeal_pending",
    ("api:reject_appeal", "appeal_id"): "appeal_pending",
}
PARAMS = {"appeal_id": "appeal"}


# Not the hardship record's name or mobile (the matrix checks that those never show unrevealed).
_COLLECTED = {"title": "生姜滞销求销路", "body": "王大姐家种的两亩生姜卖不出去，电话13912345678，希望帮忙联系销路",
              "subject_name": "王大姐"}


def _published(world) -> int:
    from youthlink.appeals.tests.builders import published
    return published(world, **_COLLECTED).pk


def _pending(world) -> int:
    from youthlink.appeals.tests.builders import collected
    return collected(world, title="想学电商直播", body="村里几个年轻人想学直播带货，卖高山蔬菜，希望有人来培训",
                     subject_name="王女士", collected_from="contacts", consent_note="本人当面同意").pk


def _category() -> int:
    """A built-in category: not an object of the home county, the same in the missing-id twin."""
    from youthlink.appeals.models import Category
    return Category.objects.get(county=None, key="study").pk


OBJECTS = {"appeal": _published, "appeal_pending": _pending, "appeal_county": lambda world: world.home.county.pk}

_RECORDED = {"title": "想参加电工技能培训", "body": "走访时听青年说想考电工证，希望县里组织一次技能培训"}
PAYLOADS = {
    ("appeals:create", "POST"): lambda ids: {"source": "visit", "kind": "request", "category": _category(),
                                             "node": ids.village, **_RECORDED},
    ("appeals:review", "POST"): lambda ids: {"action": "private", "is_complex": "on"},
    ("appeals:categories", "POST"): lambda ids: {"name": "茶叶销售", "response_days": 1, "resolve_days": 3,
                                                 "complex_resolve_days": 10, "is_active": "on"},
    ("api:create_appeal_category", "POST"): lambda ids: {"name": "茶叶销售", "resolve_days": 3},
    ("appeals:assign", "POST"): lambda ids: {"assignee": ids.cadre},
    ("appeals:comment", "POST"): lambda ids: {"body": "我认识一位做生姜收购的老板，可以帮忙问问"},
    ("api:create_appeal", "POST"): lambda ids: {"source": "visit", "category_id": _category(),
                                                "node_id": ids.village, **_RECORDED},
    ("api:publish_appeal", "POST"): lambda ids: {"public_title": "想学电商直播",
                                                 "public_body": "村里几个年轻人想学直播带货，卖高山蔬菜，希望有人来培训"},
    ("api:keep_appeal_private", "POST"): lambda ids: {"is_complex": False},
    ("api:merge_appeal", "POST"): lambda ids: {"into_id": ids.appeal},
    ("api:reject_appeal", "POST"): lambda ids: {"reason": "信息不全，请补充联系方式后再提交"},
    ("api:claim_appeal", "POST"): lambda ids: {},
    ("api:assign_appeal", "POST"): lambda ids: {"assignee_id": ids.cadre},
    ("api:comment_appeal", "POST"): lambda ids: {"body": "我认识一位做生姜收购的老板，可以帮忙问问"},
}

_SUBMIT = {"appeals.Appeal", "audit.AuditEvent"}
_REVIEW = {"appeals.Appeal", "audit.AuditEvent"}
_COMMENT = {"appeals.AppealComment", "audit.AuditEvent"}
WRITES = {
    ("appeals:create", "POST"): _SUBMIT,
    ("api:create_appeal", "POST"): _SUBMIT,
    ("appeals:review", "POST"): _REVIEW,
    ("api:publish_appeal", "POST"): _REVIEW,
    ("api:keep_appeal_private", "POST"): _REVIEW,
    ("api:merge_appeal", "POST"): _REVIEW,
    ("api:reject_appeal", "POST"): _REVIEW,
    ("appeals:claim", "POST"): _REVIEW,
    ("api:claim_appeal", "POST"): _REVIEW,
    ("appeals:assign", "POST"): _REVIEW | {"notifications.Notification"},
    ("api:assign_appeal", "POST"): _REVIEW | {"notifications.Notification"},
    ("appeals:comment", "POST"): _COMMENT,
    ("appeals:categories", "POST"): {"appeals.Category", "audit.AuditEvent"},
    ("api:create_appeal_category", "POST"): {"appeals.Category", "audit.AuditEvent"},
    ("api:comment_appeal", "POST"): _COMMENT,
}
# in-app notifications, and their e-mail or group-robot deliveries
_NOTIFIES = {"notifications.Notification", "notifications.Delivery"}
MAY_CHANGE = {key: _NOTIFIES for key in WRITES}
