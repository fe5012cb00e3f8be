"""What notifications contributes: the admins' menu entry for outbound channels, and the periodic
pick-up of deliveries whose next attempt is due."""
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from youthlink.core.registry import register_menu_item, register_periodic

from .permissions import MANAGE_ROLES

# Every minute under Celery beat, so the 1-minute backoff holds; from cron in the embedded mode
# (every 15 minutes there) retries wait at most that long.
register_periodic("notifications.send_due", "youthlink.notifications.tasks.send_due_deliveries",
                  crontab(minute="*"), description="重发到期的外发通知（企业微信/钉钉/飞书群机器人、邮件）")
register_menu_item("notifications.channels", _("通知渠道"), "notifications:channels", roles=MANAGE_ROLES, order=90)
