from celery import shared_task

from .services import visit_day_reminders_send


@shared_task(name="youthlink.visits.tasks.send_visit_day_reminders", acks_late=True)
def send_visit_day_reminders() -> int:
    """Thin wrapper, safe to run twice: reminders carry a dedupe key per cadre and evening."""
    return visit_day_reminders_send()
