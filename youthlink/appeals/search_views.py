"""Pages of search (搜索), similar requests while writing one (相似诉求), and the share poster (分享海报)."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from youthlink.orgs.models import Node

from .permissions import young_person_of
from .poster import NotShareable, poster_for
from .search import MAX_QUERY_CHARS, search_appeals
from .selectors import get_appeal_for
from .similar import similar_open_appeals

SNIPPET_CHARS = 72
MAX_TEXT_CHARS = 5000  # what the similar-requests box reads of a body being written


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def snippet(text: str, terms: list[str]) -> str:
    """A stretch of the text around the first matched word, the words marked (<mark>), escaped."""
    text = " ".join((text or "").split())
    words = [w for term in terms for w in term.split()]
    hits = [text.lower().find(w) for w in words]
    first = min((h for h in hits if h >= 0), default=0)
    start = max(0, first - SNIPPET_CHARS // 4)
    piece = text[start:start + SNIPPET_CHARS]
    html = escape(piece)
    for w in sorted(set(words), key=len, reverse=True):
        html = html.replace(escape(w), f"<mark>{escape(w)}</mark>")
    return mark_safe(("…" if start else "") + html + ("…" if start + SNIPPET_CHARS < len(text) else ""))


def _hits(results) -> list[dict]:
    hits = []
    for appeal in results.appeals:
        full = appeal.search_full_access
        hits.append({"appeal": appeal, "title": appeal.title if full else appeal.public_title,
                     "snippet": snippet(appeal.body if full else appeal.public_body, results.terms),
                     "full_access": full})
    return hits


def _search_query(request) -> tuple[str, str]:
    q = " ".join(request.GET.get("q", "").split())
    notice = ""
    if len(q) > MAX_QUERY_CHARS:
        q = q[:MAX_QUERY_CHARS]
        notice = _("搜索词太长，只按前 %(n)d 个字搜索。") % {"n": MAX_QUERY_CHARS}
    return q, notice


@login_required
@require_safe
def search(request):
    """Search the requests the viewer may see (搜索). With htmx, only the result list (and the
    "more" button) is sent back."""
    q, notice = _search_query(request)
    results = search_appeals(request.user, q, offset=_int(request.GET.get("offset")) or 0)
    if q and not results.terms:
        notice = _("请输入要搜索的词语，例如“创业”“心理”。")
    context = {"q": q, "results": results, "hits": _hits(results), "notice": notice}
    if request.headers.get("HX-Request"):
        return render(request, "appeals/_search_results.html", context)
    return render(request, "appeals/search.html", context)


def _node_for_similar(request) -> Node | None:
    """The place the request is being written for (the form's node), else the young person's home."""
    node_id = _int(request.GET.get("node"))
    if node_id:
        return Node.objects.filter(pk=node_id).first()
    person = young_person_of(request.user)
    return person.home_node if person is not None else None


@login_required
@require_safe
def similar(request):
    """The similar open requests nearby, for the request form (htmx partial)."""
    title = request.GET.get("title", "")[:200]
    body = request.GET.get("body", "")[:MAX_TEXT_CHARS]
    node = _node_for_similar(request)
    found = []
    if node is not None and (title.strip() or body.strip()):
        found = similar_open_appeals(request.user, title=title, body=body, node=node,
                                     category=_int(request.GET.get("category")))
    return render(request, "appeals/_similar.html", {"similar": found})


@login_required
@require_safe
def poster(request, pk: int):
    """The share poster of a published request the viewer may see; 404 for anything else."""
    appeal = get_appeal_for(request.user, pk)
    try:
        image = poster_for(appeal)
    except NotShareable:
        raise Http404 from None
    response = HttpResponse(image.png, content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="qinglianquan-{appeal.pk}.png"'
    response["Cache-Control"] = "private, max-age=300"
    return response
