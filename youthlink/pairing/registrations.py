from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from youthlink.accounts.models import Role
from youthlink.core.registry import register_figure, register_home_section, register_listener, register_menu_item, register_periodic

from .selectors import active_pairs_under, open_tasks_for, overdue_tasks_under
from .services import must_visit_tasks_close_for_visit

register_figure("pairing.active_pairs", _("结对帮扶对数"), active_pairs_under, unit=_("对"), order=30)
register_figure("pairing.overdue_tasks", _("三必到逾期未访"), overdue_tasks_under, unit=_("项"), order=31)

# A logged visit closes the helper's open must-visit tasks for the young people visited.
register_listener("visit.logged", must_visit_tasks_close_for_visit)


def _home_tasks(user):
    tasks = open_tasks_for(user)
    return {"tasks": tasks} if tasks else None


register_home_section("pairing.tasks", "pairing/_home_tasks.html", _home_tasks, order=10)

register_periodic("pairing.escalate_overdue", "youthlink.pairing.tasks.escalate_overdue_must_visits",
                  crontab(minute="*/15"), description="三必到三必访：逾期任务通知结对人并上报乡镇团委（每任务一次）")

from . import demo  # noqa: E402,F401  (registers the 结对 demo builder)
register_menu_item("pairing.list", _("结对"), "pairing:list",
                   roles={Role.ADMIN, Role.SECRETARY, Role.CADRE, Role.MICRO}, order=20)
