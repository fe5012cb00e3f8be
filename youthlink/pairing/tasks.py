from celery import shared_task

from .services import must_visit_escalate_overdue


@shared_task(name="pairing.escalate_overdue_must_visits", acks_late=True)
def escalate_overdue_must_visits() -> int:
    """Thin wrapper: the service claims each task before announcing it, so a retried or doubled
    run escalates nothing twice."""
    return must_visit_escalate_overdue()
