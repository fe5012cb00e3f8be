"""{% load appeal_deadlines %}{% deadline_badge appeal %}: the request's current deadline as a pill,
grey while there is time, yellow within 24 hours of it, red once it has passed (逾期)."""
from django import template

from ..deadlines import current_deadline

register = template.Library()


@register.inclusion_tag("appeals/_deadline_badge.html")
def deadline_badge(appeal, now=None):
    return {"deadline": current_deadline(appeal, now), "escalated": appeal.overdue_escalated_at is not None}
