"""What the intake and handling services share."""
from django.urls import reverse

from ..models import Appeal


def detail_url(appeal: Appeal) -> str:
    return reverse("appeals:detail", args=[appeal.pk])


def locked(appeal: Appeal) -> Appeal:
    """The request's row as it is now, locked for this transaction (only the request's own row: on
    PostgreSQL; SQLite's immediate transactions already serialise writers), so a second reviewer or
    a double submit waits, then sees the first one's result."""
    return (Appeal.objects.select_for_update(of=("self",))
            .select_related("category", "node", "handling_node", "person", "handler", "submitted_by")
            .get(pk=appeal.pk))
