"""Search (搜索) and similar requests (相似诉求) in the JSON API: the same functions as the pages.
Mounted under /api/appeals (config/api.py)."""
from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Router, Schema

from youthlink.orgs.models import Node

from .permissions import young_person_of
from .poster import appeal_url
from .search import MAX_QUERY_CHARS, SEARCH_PAGE_SIZE, search_appeals
from .similar import similar_open_appeals

router = Router(tags=["诉求搜索"])


class HitOut(Schema):
    id: int
    title: str
    body: str
    category: str
    status: str
    status_label: str
    created_at: dt.datetime
    full_access: bool  # the private text (the viewer reads it in full); else the public text
    url: str


class SearchOut(Schema):
    query: str
    terms: list[str]
    notice: str
    results: list[HitOut]
    next_offset: int | None


class SimilarOut(Schema):
    id: int
    title: str
    category: str
    status: str
    status_label: str
    score: float
    url: str


def _hit(appeal, full: bool) -> dict:
    return {"id": appeal.pk, "title": appeal.title if full else appeal.public_title,
            "body": appeal.body if full else appeal.public_body, "category": appeal.category.name,
            "status": appeal.status, "status_label": appeal.status_label, "created_at": appeal.created_at,
            "full_access": full, "url": appeal_url(appeal)}


@router.get("/search", response=SearchOut, url_name="search_appeals")
def search_appeals_api(request, q: str = "", offset: int = 0, limit: int = SEARCH_PAGE_SIZE):
    """Full-text search over the requests the viewer may see; `terms` are the words matched."""
    q = " ".join(q.split())
    notice = ""
    if len(q) > MAX_QUERY_CHARS:
        q, notice = q[:MAX_QUERY_CHARS], _("搜索词太长，只按前 %(n)d 个字搜索。") % {"n": MAX_QUERY_CHARS}
    results = search_appeals(request.user, q, limit=limit, offset=offset)
    if q and not results.terms:
        notice = _("请输入要搜索的词语，例如“创业”“心理”。")
    return {"query": q, "terms": results.terms, "notice": notice,
            "results": [_hit(a, a.search_full_access) for a in results.appeals],
            "next_offset": results.next_offset if results.has_more else None}


@router.get("/similar", response=list[SimilarOut], url_name="similar_appeals")
def similar_appeals_api(request, title: str = "", body: str = "", node_id: int | None = None,
                        category_id: int | None = None):
    """Open requests nearby (the township of `node_id`, else the young person's home) like the text."""
    node = Node.objects.filter(pk=node_id).first() if node_id else None
    if node is None and not node_id:
        person = young_person_of(request.user)
        node = person.home_node if person is not None else None
    if node is None or not (title.strip() or body.strip()):
        return []
    found = similar_open_appeals(request.user, title=title[:200], body=body[:5000], node=node, category=category_id)
    return [{"id": s.appeal.pk, "title": s.appeal.title if s.full_access else s.appeal.public_title,
             "category": s.appeal.category.name, "status": s.appeal.status,
             "status_label": s.appeal.status_label, "score": round(s.score, 3), "url": appeal_url(s.appeal)}
            for s in found]
