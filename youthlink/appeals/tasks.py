from celery import shared_task

from .services.handling import appeals_close_unconfirmed, appeals_escalate_overdue


@shared_task(name="youthlink.appeals.tasks.escalate_overdue_appeals", acks_late=True)
def escalate_overdue_appeals() -> int:
    """Thin wrapper, safe to run twice: a request is escalated for being overdue only once."""
    return appeals_escalate_overdue()


@shared_task(name="youthlink.appeals.tasks.close_unconfirmed_appeals", acks_late=True)
def close_unconfirmed_appeals() -> int:
    """Thin wrapper, safe to run twice: only requests still waiting for confirmation are closed."""
    return appeals_close_unconfirmed()
