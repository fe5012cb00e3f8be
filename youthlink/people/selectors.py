import re

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from youthlink.accounts.access import NOTHING, scope_q
from youthlink.core import crypto
from youthlink.core.identity import MOBILE_RE, normalize_id_number, normalize_mobile

from youthlink.orgs.models import Node

from .models import PersonTag, YoungPerson

_PINYIN_RE = re.compile(r"^[a-z]+$")


def people_for(viewer) -> QuerySet[YoungPerson]:
    """Staff: everyone whose home node is in their subtrees. A young person: only themself.

    The subtree is a subquery of node ids, not a join on the node's path, and the viewer's own
    record is added by its id only when they have one: the planners then start from the subtree's
    people (the (home_node, name) index). With the join and an OR on user_id, SQLite had no index to
    start from but the name index, which it walked over the whole table (750 ms for a rare pinyin in
    one county of a city of 500,000), and PostgreSQL scanned all 500,000 people (50 ms)."""
    if not getattr(viewer, "is_authenticated", False):
        return YoungPerson.objects.none()
    query = scope_q(viewer, "")
    if query == NOTHING:
        query = Q(user_id=viewer.pk)
    else:
        query = Q(home_node_id__in=Node.objects.filter(query).values("id"))
        own = _own_record(viewer)
        if own is not None:
            query |= Q(pk=own.pk)
    return (YoungPerson.objects.filter(query)
            .select_related("home_node")
            .prefetch_related(Prefetch("tags", queryset=PersonTag.objects.order_by("tag"))))


def _own_record(user):
    """The staff member's own young-person record, if they have one (Django caches the reverse
    one-to-one on the user, a miss included)."""
    try:
        return user.young_person
    except YoungPerson.DoesNotExist:
        return None


def get_person_for(viewer, pk) -> YoungPerson:
    """Missing and forbidden look the same: 404."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    person = people_for(viewer).filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


def search_query(text: str) -> Q | None:
    """Name (汉字), pinyin (full or initials, prefix), mobile tail digits, full mobile or ID number."""
    text = (text or "").strip()
    if not text:
        return None
    digits = normalize_mobile(text)
    if MOBILE_RE.fullmatch(digits):
        return Q(mobile_hash=crypto.keyed_hash(digits, purpose="mobile"))
    id_number = normalize_id_number(text)
    if re.fullmatch(r"\d{17}[\dX]", id_number):
        return Q(id_hash=crypto.keyed_hash(id_number, purpose="id_number"))
    if digits.isdigit():
        if len(digits) >= 4:
            return Q(mobile_tail=digits[-4:])
        return Q(mobile_tail__endswith=digits)
    lowered = "".join(text.lower().split())
    if _PINYIN_RE.fullmatch(lowered):
        return Q(search_keys__contains=" " + lowered)
    return Q(name__contains="".join(text.split()))


def search_people(viewer, text: str, *, tag: str = "", node=None, limit: int = 50) -> QuerySet[YoungPerson]:
    qs = people_for(viewer)
    query = search_query(text)
    if query is not None:
        qs = qs.filter(query)
    if tag:
        qs = qs.filter(tags__tag=tag)
    if node is not None:
        qs = qs.filter(node.subtree_q("home_node__"))
    return qs.order_by("name", "id")[:limit]
