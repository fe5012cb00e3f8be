"""What visits contributes to the platform: dashboard figures, the reminder job, the demo builder."""
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from youthlink.accounts.models import Role
from youthlink.core.registry import (register_figure, register_home_section, register_listener, register_menu_item,
                                     register_periodic, register_profile_section)

from .periods import LOCAL_TZ, local_today, year_range
from .selectors import evening_talks_count, organisations_visited_count, targets_progress_for


def _organisations_visited_this_year(node) -> int:
    return organisations_visited_count(node, *year_range(local_today().year))


def _evening_talks_this_year(node) -> int:
    return evening_talks_count(node, *year_range(local_today().year))


register_figure("visits.organisations_visited_year", _("本年度走访基层组织"), _organisations_visited_this_year,
                unit=_("个"), order=20)
register_figure("visits.evening_talks_year", _("本年度访谈夜"), _evening_talks_this_year, unit=_("场"), order=21)
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
