import tempfile

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from youthlink.accounts.access import is_staff_member
from youthlink.core.forms import apply_validation_error
from youthlink.orgs.selectors import get_node_for

from . import permissions, selectors, services
from .files import human_size
from .forms import RosterUploadForm
from .workbooks import write_rejected, write_template

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RECENT_JOBS = 20
REASONS_SHOWN = 100


def _importers_only(request) -> None:
    """Not staff: the page does not exist for them. Staff who may not import (cadres, micro-elements,
    centre staff): 403, as for any in-scope action a role may not take."""
    if not is_staff_member(request.user):
        raise Http404
    if not permissions.can_import_somewhere(request.user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def roster_list(request):
    """名册导入: upload a roster into a node of the viewer's area; the recent imports below."""
    _importers_only(request)
    form = RosterUploadForm(request.POST, request.FILES) if request.method == "POST" else RosterUploadForm()
    if request.method == "POST" and form.is_valid():
        node = get_node_for(request.user, form.cleaned_data["node"])
        try:
            job = services.import_job_create(actor=request.user, node=node, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            apply_validation_error(form, ValidationError({"file": exc.messages}))
        else:
            messages.success(request, _("名册已上传，正在导入"))
            return redirect("roster:job", job_id=job.pk)
    chosen = form["node"].value()
    context = {
        "form": form,
        "nodes": _indented(selectors.import_nodes_for(request.user)),
        "chosen": str(chosen) if chosen else "",
        "jobs": selectors.import_jobs_for(request.user).order_by("-created_at", "-pk")[:RECENT_JOBS],
        "max_size": human_size(settings.ROSTER_MAX_UPLOAD_BYTES),
    }
    return render(request, "roster/list.html", context)


@login_required
@require_safe
def roster_template(request):
    _importers_only(request)
    return FileResponse(_spooled(write_template), as_attachment=True, filename="名册模板.xlsx", content_type=XLSX)


@login_required
@require_safe
def job_detail(request, job_id):
    job = selectors.get_import_job_for(request.user, job_id)
    context = {"job": job, "reasons": selectors.rejected_reasons(job, limit=REASONS_SHOWN),
               "reasons_shown": REASONS_SHOWN}
    return render(request, "roster/job.html", context)


@login_required
@require_safe
def job_progress(request, job_id):
    """The htmx-polled progress bar: polls itself every second while the job runs, then stops."""
    job = selectors.get_import_job_for(request.user, job_id)
    return render(request, "roster/_progress.html", {"job": job})


@login_required
@require_safe
def job_rejected(request, job_id):
    """The rejected rows as an .xlsx in the template's columns, with each row's reasons, to fix and
    import again. It holds ID numbers and mobiles in the clear, so the download is audited."""
    job = selectors.get_import_job_for(request.user, job_id)
    services.rejected_rows_download(actor=request.user, job=job)
    stream = _spooled(lambda out: write_rejected(out, selectors.rejected_rows(job)))
    return FileResponse(stream, as_attachment=True, filename=f"未导入的行-{job.pk}.xlsx", content_type=XLSX)


def _indented(nodes) -> list[tuple]:
    """(node, indent) in tree order: an ideographic space per level below the viewer's top node."""
    nodes = list(nodes)
    top = min((n.depth for n in nodes), default=0)
    return [(node, "\u3000" * (node.depth - top)) for node in nodes]


def _spooled(write):
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    write(out)
    out.seek(0)
    return out
