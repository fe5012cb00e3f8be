from django.db.models import QuerySet
from django.http import Http404

from youthlink.accounts.access import scope_q
from youthlink.orgs.models import Node

from .models import ImportJob, RejectedRow
from .permissions import IMPORT_ROLES


def import_nodes_for(viewer) -> QuerySet[Node]:
    """The nodes the viewer may import into: their admin / secretary subtrees."""
    return Node.objects.filter(scope_q(viewer, "", roles=IMPORT_ROLES)).order_by("path")


def import_jobs_for(viewer) -> QuerySet[ImportJob]:
    return (ImportJob.objects.filter(scope_q(viewer, "node__", roles=IMPORT_ROLES))
            .select_related("node", "created_by"))


def get_import_job_for(viewer, pk) -> ImportJob:
    """Missing, another county's, or not the viewer's role: all 404."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    job = import_jobs_for(viewer).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


def rejected_reasons(job: ImportJob, *, limit: int = 100) -> list[RejectedRow]:
    """Row numbers and reasons for the page; the values (encrypted) are not loaded."""
    return list(job.rejected_rows.defer("values").order_by("row_number")[:limit])


def rejected_rows(job: ImportJob):
    return job.rejected_rows.order_by("row_number").iterator(chunk_size=1000)
