"""What visits contributes to the platform: dashboard figures, the reminder job, the demo builder."""
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from youthlink.accounts.models import Role
from youthlink.core.registry import (Source, register_figure, register_home_section, register_listener, register_menu_item,
                                     register_periodic, register_profile_section)

from .periods import LOCAL_TZ, local_today
from .selectors import GRASSROOTS_KINDS, evening_talks_q, targets_progress_for, targets_table


def _visits():
    from .models import Visit
    return Visit.objects.select_related("place", "created_by")


def _visit_label(v):
    return f"{v.local_date:%Y-%m-%d} {v.get_kind_display()} · {v.place.name} · {v.created_by.name or v.created_by.username}"


def _visit_url(v):
    from django.urls import reverse
    return reverse("visits:detail", args=[v.pk])


def _social_org_visits():
    from .models import Visit
    return Visit.social_orgs.through.objects.select_related("visit__place", "visit__created_by", "socialorganisation")


register_figure("visits.visits", _("走访"), kind="count", unit=_("次"), order=19, sources=Source(
    queryset=_visits, node="place", date="local_date", label=_visit_label, url=_visit_url, title=_("走访记录")))
register_figure("visits.organisations_visited", _("走访基层组织"), kind="distinct", unit=_("个"), order=20,
                help=_("期内走访过的村（社区）、学校、企业、社会组织和青年之家，每个只计一次"), sources=(
    Source(queryset=lambda: _visits().filter(place__kind__in=GRASSROOTS_KINDS), node="place", date="local_date",
           distinct="place_id", label=_visit_label, url=_visit_url, title=_("走访记录")),
    Source(queryset=_social_org_visits, node="socialorganisation__node", date="visit__local_date",
           distinct="socialorganisation_id", title=_("走访的社会组织"),
           label=lambda row: f"{row.visit.local_date:%Y-%m-%d} {row.socialorganisation.name}",
           url=lambda row: _visit_url(row.visit)),
))
register_figure("visits.evening_talks", _("访谈夜"), kind="count", unit=_("场"), order=21, sources=Source(
    queryset=lambda: _visits().filter(evening_talks_q()), node="place", date="local_date", label=_visit_label,
    url=_visit_url, title=_("访谈夜记录")))
# The day before a 集中夜访日, in the morning, so cadres can plan the evening.
register_periodic("visits.visit_day_reminders", "youthlink.visits.tasks.send_visit_day_reminders",
                  crontab(hour=9, minute=0), description="集中夜访日前一天提醒团干部")

from . import demo  # noqa: E402,F401  (registers the visits demo builder)



def _home_targets(user):
    from django.utils import timezone

    from .selectors import targets_progress_for
    progress = targets_progress_for(user, timezone.localdate().year)
    return {"visit_targets": progress} if progress else None


register_home_section("visits.targets", "visits/_home_targets.html", _home_targets, order=20)
register_menu_item("visits.list", _("走访"), "visits:list",
                   roles={Role.ADMIN, Role.SECRETARY, Role.CADRE, Role.MICRO}, order=10)


def _cadres_who_visited(person):
    from .selectors import cadres_who_visited
    return cadres_who_visited(person)


# Ratings: a young person visited by a cadre may rate them (a visit makes a relation, like a binding).
register_listener("cadres.related_to_person", _cadres_who_visited)


def _day_visits(user, day):
    """The diary's links to the day's visits (provider contract: (user, date) -> [(kind, id, label, url)])."""
    from django.urls import reverse

    from .models import Visit
    visits = (Visit.objects.filter(participant_rows__user=user, local_date=day).select_related("place")
              .order_by("visited_at", "id"))
    return [("visit", v.pk, f"{v.get_kind_display()} · {v.place.name} · {v.visited_at.astimezone(LOCAL_TZ):%H:%M}",
             reverse("visits:detail", args=[v.pk])) for v in visits]


def _profile_targets(viewer, cadre):
    progress = targets_progress_for(cadre, local_today().year)
    return {"visit_targets": progress} if progress else None


register_listener("diary.day_items", _day_visits)
register_profile_section("visits.targets", "visits/_profile_targets.html", _profile_targets, order=30)

from . import checks  # noqa: E402,F401  (registers the visits' plausibility checks)

def _cadre_targets(*, node, year):
    """The stats dashboard's ranking of cadres (provider contract: (node, year) -> [dict]): every cadre
    of the node's subtree with what they did in the year against their county's targets."""
    return [{"user_id": r.user.pk, "name": r.user.display_name, "node": r.node.name,
             "visited": r.visited, "visit_target": r.targets.visited,
             "collected": r.collected, "collected_target": r.targets.collected,
             "solved": r.solved, "solved_target": r.targets.solved}
            for r in targets_table(node, year, "visited")]


register_listener("stats.cadre_targets", _cadre_targets)
