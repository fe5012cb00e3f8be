"""Similar open requests nearby: while someone writes a request, and when a reviewer merges
duplicates (合并), the open requests of the same township that say much the same.

Two steps, so it stays fast on a large city: the full-text index picks candidates that share any
content word with the text (the township, the open statuses and the viewer's visibility in the same
query, best bm25 / ts_rank first), then each candidate is scored by the cosine of the two word sets
(|A ∩ B| / √(|A|·|B|)), function words left out. Candidates are compared on the text the viewer may
read: the private words where they read the request in full, the public words otherwise."""
from __future__ import annotations

import math
from dataclasses import dataclass

from django.db.models import Q

from youthlink.orgs.models import Node, NodeKind

from .models import ACTIVE_STATUSES, Appeal
from .search import Area, content_words, indexed_content_words, match_ids, query_terms

# Below this, shared words are chance (青年, 村里); measured on the texts in tests/test_similar.py.
THRESHOLD = 0.3
SAME_CATEGORY_BONUS = 0.05
CANDIDATES = 40
MAX_WORDS = 12  # the longest content words of the text go to the index (longer words are rarer)


@dataclass(frozen=True)
class SimilarAppeal:
    appeal: Appeal
    score: float  # 0..1
    full_access: bool  # compared on (and may be shown with) the private text

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def township_of(node: Node) -> Node:
    """The township (乡镇/街道) a node lies in; a node at or above township level is its own area."""
    if node.kind in (NodeKind.CITY, NodeKind.COUNTY, NodeKind.TOWNSHIP):
        return node
    township = Node.objects.filter(pk__in=node.ancestor_ids(), kind=NodeKind.TOWNSHIP).first()
    return township or node


def cosine(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))


def similar_open_appeals(user, *, title: str, body: str, node: Node, category=None, limit: int = 5,
                         exclude_id: int | None = None, area: Node | None = None) -> list[SimilarAppeal]:
    """Open requests (待认领, 办理中; not merged away) in the township of `node` that the viewer may
    see, most similar first, those below THRESHOLD left out. `category` (a Category or its id) adds a
    small bonus to requests of the same category; `exclude_id` leaves out the request being reviewed;
    `area` replaces the township (a node whose subtree to look in). A constant number of queries."""
    from .selectors import _feed_q, full_access_q

    if not getattr(user, "is_authenticated", False):
        return []
    words = content_words(f"{title} {body}")
    terms = query_terms(" ".join(sorted(words, key=lambda w: (-len(w), w))[:MAX_WORDS]))
    if not terms:
        return []
    area = area or township_of(node)
    scope = area.subtree_q("node_") & Q(status__in=ACTIVE_STATUSES, merged_into__isnull=True)
    if exclude_id:
        scope &= ~Q(pk=exclude_id)
    full_q = full_access_q(user)
    matches = match_ids(terms, full_q=full_q & scope, public_q=_feed_q(user) & ~full_q & scope, any_term=True,
                        limit=CANDIDATES, full_area=Area((area.pk,)), public_area=Area((area.pk,)))
    if not matches:
        return []
    full = {m.id: m.full_access for m in matches}
    rows = Appeal.objects.filter(pk__in=list(full)).select_related("category", "node__parent")
    category_id = getattr(category, "pk", category)
    found = []
    for appeal in rows:
        tokens = appeal.search_tokens if full[appeal.pk] else appeal.public_search_tokens
        score = cosine(words, indexed_content_words(tokens))
        if category_id and appeal.category_id == int(category_id):
            score = min(1.0, score + SAME_CATEGORY_BONUS)
        if score >= THRESHOLD:
            found.append(SimilarAppeal(appeal=appeal, score=score, full_access=full[appeal.pk]))
    found.sort(key=lambda s: (-s.score, -s.appeal.created_at.timestamp(), -s.appeal.pk))
    return found[:limit]
