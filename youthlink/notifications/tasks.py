from celery import shared_task

from .services import RETRY, deliveries_queue_due, delivery_send


@shared_task(bind=True, name="youthlink.notifications.tasks.send_delivery", acks_late=True, max_retries=None)
def send_delivery(self, delivery_id: int) -> str:
    """Thin and idempotent: the service claims the attempt, so a duplicate or late message sends
    nothing twice. On a worker, a failure is retried by Celery after the backoff; in the embedded
    (eager) mode a retry would run at once, so there the periodic pick-up sends it when it is due."""
    outcome, wait = delivery_send(delivery_id=delivery_id)
    if outcome == RETRY and not self.request.is_eager:
        raise self.retry(countdown=wait + 1)  # a second late, never early
    return outcome


@shared_task(name="youthlink.notifications.tasks.send_due_deliveries", acks_late=True)
def send_due_deliveries() -> int:
    """The periodic pick-up of deliveries whose next attempt is due."""
    return deliveries_queue_due()
