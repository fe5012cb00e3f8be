from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from youthlink.accounts.access import roles_at

from youthlink.people.models import SENSITIVE_FIELDS

from .models import AuditAction
from .selectors import AUDIT_READER_ROLES, audit_events_for


@login_required
@require_safe
def audit_list(request):
    if not roles_at(request.user) & AUDIT_READER_ROLES:
        raise Http404
    events = audit_events_for(request.user)
    action = request.GET.get("action", "")
    if action in AuditAction.values:
        events = events.filter(action=action)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    for event in page:
        event.field_label = SENSITIVE_FIELDS.get(event.field, event.field)
    return render(request, "audit/list.html", {"page": page, "action": action, "actions": AuditAction.choices})
