from django.db.models import QuerySet

from youthlink.accounts.access import scope_q
from youthlink.accounts.models import Role

from .models import AuditEvent

AUDIT_READER_ROLES = {Role.ADMIN}


def audit_events_for(viewer) -> QuerySet[AuditEvent]:
    """County and city admins read the audit rows about records in their subtree."""
    return AuditEvent.objects.filter(scope_q(viewer, "node_", roles=AUDIT_READER_ROLES))
