from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from youthlink.accounts.access import memberships, scope_nodes
from youthlink.accounts.models import Role
from youthlink.liaison.selectors import binding_rate, cadre_node, link_summary
from youthlink.core.registry import home_sections
from youthlink.people.services import PRIVACY_NOTICE_VERSION


def _sections(request) -> list[str]:
    """Each feature's home card, rendered with the context it computes for this user."""
    out = []
    for section in home_sections():
        context = section.context(request.user)
        if context is not None:
            out.append(mark_safe(render_to_string(section.template, context, request=request)))  # noqa: S308
    return out


@login_required
@require_safe
def home(request):
    user = request.user
    ms = memberships(user)
    context = {"memberships": ms, "sections": _sections(request)}
    if not ms:
        person = getattr(user, "young_person", None)
        cadres = []
        if person is not None:
            cadres = [b.cadre for b in person.bindings.select_related("cadre").order_by("created_at")]
        return render(request, "core/home_youth.html", {"person": person, "cadres": cadres,
                                                        "sections": context["sections"]})
    context["scopes"] = [{"node": node, "binding": binding_rate(node)} for node in scope_nodes(user)]
    node = cadre_node(user)
    if node is not None and any(m.role == Role.CADRE for m in ms):
        context["cadre_node"] = node
        context["links"] = link_summary(user)
        context["bound_count"] = user.bindings.count()
    return render(request, "core/home.html", context)


@require_safe
def privacy(request):
    return render(request, "core/privacy.html", {"version": PRIVACY_NOTICE_VERSION})


@require_safe
def healthz(request):
    """Liveness for load balancers and process managers: answers without touching the database or
    the session, so a slow database takes a host out of rotation only through its real pages, and
    the benchmarks use it as the bare cost of a request through the same stack."""
    response = HttpResponse("ok", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response
