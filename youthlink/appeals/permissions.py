"""Who may do what with requests (诉求), by role and place in the organisation tree.

- A young person submits their own requests and suggestions, reads them in full, confirms and rates
  them; in the 青联圈 feed they read the published requests of their county (the public text only)
  and comment on them.
- A micro-element (微元素) records needs collected from their WeChat moments and contacts in their
  area, reads what they collected, and reads and comments on the feed like a young person.
- Cadres, secretaries and admins read every request of their subtree in full (they handle them).
  Secretaries and admins review (审核) what waits in their subtree and assign; cadres, secretaries
  and admins over the handling level take requests on (认领).
- Youth-centre workers record what they hear and read the feed."""
from __future__ import annotations

from youthlink.accounts.access import best_role_at, reaches, roles_at
from youthlink.accounts.models import Role
from youthlink.orgs.models import NodeKind

from .models import ACTIVE_STATUSES, Source, Status

READ_ROLES = frozenset({Role.ADMIN, Role.SECRETARY, Role.CADRE})  # read every request in full
REVIEW_ROLES = frozenset({Role.ADMIN, Role.SECRETARY})
HANDLE_ROLES = frozenset({Role.ADMIN, Role.SECRETARY, Role.CADRE})  # may take a request on
RECORD_ROLES = frozenset({Role.ADMIN, Role.SECRETARY, Role.CADRE, Role.CENTRE_STAFF})  # from a visit
COLLECT_ROLES = frozenset({Role.MICRO})  # 朋友圈计划: collected on someone's behalf


def young_person_of(user):
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.young_person
    except Exception:  # RelatedObjectDoesNotExist: a staff account without a record
        return None


def submit_sources(user) -> list[str]:
    """The sources this user may submit from, in the order the form offers them."""
    sources = []
    roles = roles_at(user)
    if roles & RECORD_ROLES:
        sources.append(Source.VISIT)
    if roles & COLLECT_ROLES:
        sources.append(Source.COLLECTED)
    if young_person_of(user) is not None:
        sources.append(Source.SELF)
    return sources


def can_submit(user) -> bool:
    return bool(submit_sources(user))


def can_submit_at(user, node, source: str) -> bool:
    if source == Source.SELF:
        person = young_person_of(user)
        return person is not None and person.home_node_id == node.pk
    roles = RECORD_ROLES if source == Source.VISIT else COLLECT_ROLES if source == Source.COLLECTED else set()
    return reaches(user, node, set(roles))


def reads_in_full(user, appeal) -> bool:
    """The private text, the person and the handling records: staff over the request's place, the
    one who submitted it, the young person it is about, and its handler."""
    if not getattr(user, "is_authenticated", False):
        return False
    if appeal.submitted_by_id == user.pk or appeal.handler_id == user.pk:
        return True
    person = young_person_of(user)
    if person is not None and appeal.person_id == person.pk:
        return True
    return best_role_at(user, appeal.node) in READ_ROLES


def can_review(user, appeal) -> bool:
    return appeal.status == Status.PENDING and best_role_at(user, appeal.node) in REVIEW_ROLES


def can_see_review_queue(user) -> bool:
    return bool(roles_at(user) & REVIEW_ROLES)


def can_claim(user, appeal) -> bool:
    return (appeal.status == Status.OPEN and appeal.handler_id is None
            and best_role_at(user, appeal.handling_node) in HANDLE_ROLES)


def can_assign(user, appeal) -> bool:
    return appeal.status in ACTIVE_STATUSES and best_role_at(user, appeal.handling_node) in REVIEW_ROLES


def can_be_assigned(user, appeal) -> bool:
    return getattr(user, "is_active", False) and best_role_at(user, appeal.handling_node) in HANDLE_ROLES


def can_comment(user, appeal) -> bool:
    """Comments live under published requests; whoever sees one in the feed may comment."""
    return appeal.is_public and appeal.status not in (Status.PENDING, Status.REJECTED, Status.MERGED)


def is_reader(user) -> bool:
    """Staff who read every request of their area (the area list)."""
    return bool(roles_at(user) & READ_ROLES)


# --- handling (听结办: escalate, refer, respond, resolve, confirm) -----------------------------------

def may_handle(user, appeal) -> bool:
    """Who acts on a request once it is published: its handler, and the admins and secretaries of
    the level that handles it now (after an escalation, the county or city committee; the township
    no longer does)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if appeal.handler_id is not None and appeal.handler_id == user.pk:
        return True
    return best_role_at(user, appeal.handling_node) in REVIEW_ROLES


def can_escalate(user, appeal) -> bool:
    """上报: township → county → city; the city is the top."""
    from .models import Level
    return appeal.status in ACTIVE_STATUSES and appeal.level < Level.CITY and may_handle(user, appeal)


def can_refer(user, appeal) -> bool:
    """转交资源方: route the request to a resource partner within the handling level's area."""
    return appeal.status in ACTIVE_STATUSES and may_handle(user, appeal)


def can_respond(user, appeal) -> bool:
    """A reply or progress note to the young person while the request is being handled."""
    return appeal.status in ACTIVE_STATUSES and may_handle(user, appeal)


def can_resolve(user, appeal) -> bool:
    """办结: only a request that someone has taken on (办理中)."""
    return appeal.status == Status.IN_PROGRESS and may_handle(user, appeal)


def confirmer_id(appeal) -> int | None:
    """The account that confirms and rates: the young person the request is about, or whoever
    submitted it when that young person has no account (a micro-element collected it for them)."""
    person = appeal.person if appeal.person_id else None
    if person is not None and person.user_id:
        return person.user_id
    return appeal.submitted_by_id


def can_confirm(user, appeal) -> bool:
    return (getattr(user, "is_authenticated", False) and appeal.status == Status.RESOLVED
            and confirmer_id(appeal) == user.pk)


def can_manage_categories(user, county) -> bool:
    """A county adds its own categories (and sets their deadlines): its admins."""
    return county.kind == NodeKind.COUNTY and best_role_at(user, county) == Role.ADMIN
