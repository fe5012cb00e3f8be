from django.db import transaction
from django.utils import timezone

from .models import Notification


def notify(*, users, kind: str, title: str, body: str = "", url: str = "", dedupe_key: str = "") -> int:
    """Send an in-app notification to each user, inside the caller's transaction. With a
    `dedupe_key`, a user who already got that key gets nothing new (idempotent jobs). Returns how
    many were created."""
    user_ids = sorted({getattr(u, "pk", u) for u in users})
    if not user_ids:
        return 0
    if dedupe_key:
        already = set(Notification.objects.filter(user_id__in=user_ids, dedupe_key=dedupe_key)
                      .values_list("user_id", flat=True))
        user_ids = [pk for pk in user_ids if pk not in already]
    Notification.objects.bulk_create(
        [Notification(user_id=pk, kind=kind, title=title[:120], body=body, url=url, dedupe_key=dedupe_key)
         for pk in user_ids],
        ignore_conflicts=bool(dedupe_key),
    )
    return len(user_ids)


@transaction.atomic
def notification_mark_read(*, actor, notification_ids=None) -> int:
    qs = Notification.objects.filter(user=actor, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())
