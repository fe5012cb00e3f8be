from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from youthlink.accounts.models import Role
from youthlink.core.registry import (Source, register_figure, register_home_section, register_listener,
                                     register_menu_item, register_periodic)

from .selectors import open_tasks_for
from .services import must_visit_tasks_close_for_visit


def _pairings():
    from .models import Pairing
    return Pairing.objects.select_related("helper", "person__home_node")


def _pairing_label(p):
    return f"{p.helper.name or p.helper.username} · {p.person.name}"


def _pairing_url(p):
    from django.urls import reverse
    return reverse("pairing:detail", args=[p.pk])


# Active at the end of the period: pairings formed by then, less those ended by then.
register_figure("pairing.active_pairs", _("结对帮扶"), kind="stock", unit=_("对"), order=30, sources=(
    Source(queryset=_pairings, node="person__home_node", date="created_at", label=_pairing_label,
           url=_pairing_url, title=_("结对")),
    Source(queryset=lambda: _pairings().filter(is_active=False, ended_at__isnull=False), node="person__home_node",
           date="ended_at", sign=-1, label=_pairing_label, url=_pairing_url, title=_("已解除的结对")),
))
register_figure("pairing.pairs_formed", _("新结对"), kind="count", unit=_("对"), order=31, sources=Source(
    queryset=_pairings, node="person__home_node", date="created_at", label=_pairing_label, url=_pairing_url,
    title=_("结对")))

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
