"""The report (工作报告, page and PDF) and the plausibility checks (数据核查) of a node and period.
Kept apart from the dashboard's views.py. Who: admins and secretaries over the node (the dashboard's
rule); another staff role gets 403, a young person 404 (no staff pages at all), a node out of reach
404 like a missing one."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from youthlink.accounts.access import is_staff_member

from . import permissions, plausibility, report, selectors
from .periods import PeriodError, parse
from .report_pdf import report_pdf


def _node_and_period(request):
    if not is_staff_member(request.user):
        raise Http404
    if not permissions.dashboard_roots(request.user):
        raise PermissionDenied
    raw = request.GET.get("node")
    node = selectors.get_node_for(request.user, raw) if raw else selectors.default_node_for(request.user)
    try:
        period = parse(request.GET.get("period"))
        error = ""
    except PeriodError as e:
        period, error = parse(""), str(e)
    return node, period, error


@login_required
@require_safe
def report_page(request):
    node, period, error = _node_and_period(request)
    built = report.build(node, period)
    if request.GET.get("format") == "pdf" and not error:
        response = HttpResponse(report_pdf(built), content_type="application/pdf")
        filename = _("%(node)s%(period)s工作报告.pdf") % {"node": node.name, "period": period.label}
        response["Content-Disposition"] = f"inline; filename*=UTF-8''{_quote(filename)}"
        return response
    return render(request, "stats/report/report.html", {"report": built, "node": node, "period": period,
                                                         "error": error})


@login_required
@require_safe
def checks_page(request):
    node, period, error = _node_and_period(request)
    findings = plausibility.run_checks(node, period)
    return render(request, "stats/report/checks.html", {"findings": findings, "node": node, "period": period,
                                                         "error": error})


def _quote(text: str) -> str:
    from urllib.parse import quote
    return quote(text)
