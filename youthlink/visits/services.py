"""Writes for visits: recording a visit (走访), adding photos to it, setting the centralised visit
evenings (集中夜访日) and a county's rules, and the reminder job the day before a set evening."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from youthlink.accounts.access import reaches
from youthlink.accounts.models import Membership, Role, User
from youthlink.audit.models import AuditAction
from youthlink.audit.services import audit_record
from youthlink.core.registry import emit
from youthlink.notifications.services import channel_post, notify
from youthlink.orgs.models import Node

from . import photos as photo_files
from .models import (Visit, VisitDay, VisitKind, VisitParticipant, VisitPhoto, VisitProblem, VisitRuleSetting,
                     YearlyTarget)
from .periods import Month, is_evening, local, local_today
from .permissions import (COMPANION_ROLES, LOG_ROLES, can_add_photos, can_log_visit_at, can_log_visits, can_set_rules,
                          can_set_visit_days)

# A phone's clock may run a little ahead of the server's; a visit "in the future" beyond this is refused.
FUTURE_GRACE = dt.timedelta(minutes=5)
MAX_PROBLEMS = 30
MAX_PROBLEM_LENGTH = 500
MAX_NOTES_LENGTH = 5000
MAX_TARGET = 100_000
WEEKDAYS = ("一", "二", "三", "四", "五", "六", "日")


def _unique(items) -> list:
    seen, result = set(), []
    for item in items or ():
        if item is not None and item.pk not in seen:
            seen.add(item.pk)
            result.append(item)
    return result


def _clean_problems(problems, errors: dict) -> list[str]:
    texts = [" ".join(str(p).split()) for p in problems or ()]
    texts = [t for t in texts if t]
    if len(texts) > MAX_PROBLEMS:
        errors["problems"] = [_("一次最多记录 %(n)d 个问题") % {"n": MAX_PROBLEMS}]
    elif any(len(t) > MAX_PROBLEM_LENGTH for t in texts):
        errors["problems"] = [_("每个问题不超过 %(n)d 字") % {"n": MAX_PROBLEM_LENGTH}]
    return texts


def _clean_location(latitude, longitude, errors: dict) -> tuple[Decimal | None, Decimal | None]:
    if latitude in (None, "") and longitude in (None, ""):
        return None, None
    try:
        lat = Decimal(str(latitude)).quantize(Decimal("0.000001"))
        lng = Decimal(str(longitude)).quantize(Decimal("0.000001"))
    except (InvalidOperation, TypeError, ValueError):
        errors["location"] = [_("定位数据无效，请重新定位或不附位置")]
        return None, None
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        errors["location"] = [_("定位数据无效，请重新定位或不附位置")]
        return None, None
    return lat, lng


def _check_companions(companions: list[User], place: Node | None, errors: dict) -> None:
    """A companion is a cadre (admin, secretary or cadre) who works over the place of the visit; a
    micro-element does not go along (they are not staff and do not read others' visits)."""
    if not companions or place is None:
        return
    rows = Membership.objects.filter(user_id__in=[u.pk for u in companions], role__in=COMPANION_ROLES, is_active=True,
                                     user__is_active=True).select_related("node")
    reaching = {m.user_id for m in rows if place.path.startswith(m.node.path)}
    if any(u.pk not in reaching for u in companions):
        errors["companions"] = [_("同行人员须是负责该走访地点的团干部")]


def visit_log(*, actor: User, kind: str, visited_at: dt.datetime, place: Node | None,
              people=(), social_orgs=(), companions=(), notes: str = "", problems=(), photos=(),
              latitude=None, longitude=None) -> Visit:
    """走访: a cadre records a visit (alone or with companion cadres) — where, when, whom they met,
    what they heard (each problem raised becomes a VisitProblem) and photos. A micro-element
    records the visits to the young people of their area they help (结对帮扶), which closes their
    must-visit tasks (三必到) like a cadre's.

    All or nothing: everything is checked first, photos are processed before the transaction, the
    rows, the audit row and the "visit.logged" event (pairing closes must-visit tasks on it) are
    written in one transaction, and the stored photo files are removed again if it rolls back."""
    if not can_log_visits(actor):
        raise PermissionDenied
    errors: dict[str, list] = {}
    if kind not in VisitKind.values:
        errors["kind"] = [_("请选择走访类型")]
    if visited_at is None:
        errors["visited_at"] = [_("请填写走访时间")]
    else:
        visited_at = local(visited_at)
        if visited_at > timezone.now() + FUTURE_GRACE:
            errors["visited_at"] = [_("走访时间不能晚于现在")]
    if place is None or not can_log_visit_at(actor, place):
        errors["place"] = [_("请选择您辖区内的走访地点")]
    people = _unique(people)
    if any(not reaches(actor, p.home_node, LOG_ROLES) for p in people):
        errors["people"] = [_("所选青年不在您的辖区内")]
    social_orgs = _unique(social_orgs)
    if any(not reaches(actor, o.node, LOG_ROLES) for o in social_orgs):
        errors["social_orgs"] = [_("所选社会组织不在您的辖区内")]
    companions = [u for u in _unique(companions) if u.pk != actor.pk]
    _check_companions(companions, place if "place" not in errors else None, errors)
    notes = (notes or "").strip()
    if len(notes) > MAX_NOTES_LENGTH:
        errors["notes"] = [_("记录不超过 %(n)d 字") % {"n": MAX_NOTES_LENGTH}]
    problem_texts = _clean_problems(problems, errors)
    lat, lng = _clean_location(latitude, longitude, errors)
    processed = []
    try:
        processed = photo_files.process_all(photos)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)

    stored: list[str] = []
    try:
        with transaction.atomic():
            visit = Visit.objects.create(
                created_by=actor, kind=kind, visited_at=visited_at, local_date=visited_at.date(),
                is_evening=is_evening(visited_at), place=place, latitude=lat, longitude=lng, notes=notes)
            VisitParticipant.objects.bulk_create(
                [VisitParticipant(visit=visit, user=actor, is_creator=True)]
                + [VisitParticipant(visit=visit, user=u) for u in companions])
            if people:
                visit.people.add(*people)
            if social_orgs:
                visit.social_orgs.add(*social_orgs)
            VisitProblem.objects.bulk_create(
                [VisitProblem(visit=visit, text=text, position=i) for i, text in enumerate(problem_texts)])
            for i, photo in enumerate(processed):
                stored.append(photo_files.store(photo, day=visit.local_date))
                VisitPhoto.objects.create(visit=visit, image=stored[-1], width=photo.width, height=photo.height,
                                          size=photo.size, position=i)
            cadre_ids = [actor.pk] + [u.pk for u in companions]
            audit_record(actor=actor, action=AuditAction.VISIT_LOG, target=visit, node=place,
                         target_label=f"{visit.get_kind_display()} · {place.name}",
                         data={"kind": kind, "cadre_ids": cadre_ids, "person_ids": [p.pk for p in people],
                               "social_org_ids": [o.pk for o in social_orgs], "problems": len(problem_texts),
                               "photos": len(processed)})
            emit("visit.logged", visit_id=visit.pk, cadre_ids=cadre_ids, person_ids=[p.pk for p in people],
                 node_id=place.pk, visited_at=visited_at)
            if companions:
                transaction.on_commit(lambda: _tell_companions(visit, actor, companions))
    except BaseException:
        photo_files.remove(stored)
        raise
    return visit


def _tell_companions(visit: Visit, actor: User, companions: list[User]) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        notify(users=companions, kind="visits.companion",
               title=_("%(name)s 记录了一次与您同行的走访") % {"name": actor.display_name},
               body=f"{visit.get_kind_display()} · {visit.place.name} · {local(visit.visited_at):%Y-%m-%d %H:%M}",
               url=reverse("visits:detail", args=[visit.pk]), dedupe_key=f"visits.companion:{visit.pk}")


def visit_photos_add(*, actor: User, visit: Visit, photos) -> list[VisitPhoto]:
    """Photos added after the visit was recorded (a slow connection on the evening), by the cadres
    who made it. Same processing, same all-or-nothing rule as when logging."""
    if not can_add_photos(actor, visit):
        raise PermissionDenied
    photos = [p for p in photos or () if p is not None]
    if not photos:
        raise ValidationError({"photos": [_("请选择要上传的照片")]})
    existing = visit.photos.count()
    if existing + len(photos) > photo_files.max_count():
        raise ValidationError({"photos": [_("每次走访最多 %(n)d 张照片") % {"n": photo_files.max_count()}]})
    processed = photo_files.process_all(photos)
    stored: list[str] = []
    try:
        with transaction.atomic():
            created = []
            for i, photo in enumerate(processed, start=existing):
                stored.append(photo_files.store(photo, day=visit.local_date))
                created.append(VisitPhoto.objects.create(visit=visit, image=stored[-1], width=photo.width,
                                                         height=photo.height, size=photo.size, position=i))
            audit_record(actor=actor, action=AuditAction.VISIT_LOG, target=visit, node=visit.place,
                         target_label=f"{visit.get_kind_display()} · {visit.place.name}",
                         data={"photos_added": [p.pk for p in created]})
    except BaseException:
        photo_files.remove(stored)
        raise
    return created


@transaction.atomic
def visit_days_set(*, actor: User, node: Node, month: Month, dates) -> list[dt.date]:
    """集中夜访日: the evenings of one month on which the node's cadres go out together. Replaces the
    month's schedule for the node with exactly these dates."""
    if not can_set_visit_days(actor, node):
        raise PermissionDenied
    wanted = sorted(set(dates or ()))
    if any(day not in month for day in wanted):
        raise ValidationError({"dates": [_("日期须在 %(month)s 之内") % {"month": str(month)}]})
    current = VisitDay.objects.filter(node=node, date__range=(month.first, month.last))
    current.exclude(date__in=wanted).delete()
    have = set(current.values_list("date", flat=True))
    VisitDay.objects.bulk_create([VisitDay(node=node, date=day, created_by=actor) for day in wanted if day not in have])
    return wanted


@transaction.atomic
def visit_rules_set(*, actor: User, county: Node, year: int, min_evenings_per_month: int,
                    visited: int, collected: int, solved: int) -> tuple[VisitRuleSetting, YearlyTarget]:
    """A county sets how many evenings each organisation holds a month, and the year's targets per
    cadre (三联双百: visit 100 young people, collect and solve 100 problems)."""
    if not can_set_rules(actor, county):
        raise PermissionDenied
    errors = {}
    if not 1 <= min_evenings_per_month <= 31:
        errors["min_evenings_per_month"] = [_("每月访谈夜应在 1 到 31 晚之间")]
    for name, value in (("visited", visited), ("collected", collected), ("solved", solved)):
        if not 0 <= value <= MAX_TARGET:
            errors[name] = [_("目标应在 0 到 %(n)d 之间") % {"n": MAX_TARGET}]
    if not 2000 <= year <= 2100:
        errors["year"] = [_("年度无效")]
    if errors:
        raise ValidationError(errors)
    setting, _created = VisitRuleSetting.objects.update_or_create(
        county=county, defaults={"min_evenings_per_month": min_evenings_per_month})
    target, _created = YearlyTarget.objects.update_or_create(
        county=county, year=year, defaults={"visited": visited, "collected": collected, "solved": solved})
    return setting, target


@transaction.atomic
def visit_day_reminders_send(*, today: dt.date | None = None) -> int:
    """The day before a 集中夜访日, every cadre working in that node's subtree gets an in-app reminder,
    and the node's group robots and e-mail lists get one message (notifications.channel_post).
    Idempotent: one reminder per cadre per evening, however often the job runs (and if two nodes
    above a cadre set the same evening, still one). Returns how many reminders were sent."""
    tomorrow = (today or local_today()) + dt.timedelta(days=1)
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for day in VisitDay.objects.filter(date=tomorrow).select_related("node").order_by("node__path"):
            # The node's group robots too (and the county's cadres' group above it), once per evening
            # and channel: a township's evening set by the county as well is posted once.
            date = {"month": tomorrow.month, "day": tomorrow.day, "weekday": WEEKDAYS[tomorrow.weekday()]}
            channel_post(
                node=day.node, kind="visits.visit_day",
                title=_("明晚是%(node)s集中夜访日") % {"node": day.node.name},
                body=_("%(month)d月%(day)d日（星期%(weekday)s）晚是集中夜访日，请各位团干部安排入户走访或访谈夜，走访后及时记录。")
                % date,
                url=reverse("visits:create"), dedupe_key=f"visits.day:{tomorrow:%Y-%m-%d}")
            cadre_ids = set(Membership.objects.filter(day.node.subtree_q("node__"), role=Role.CADRE, is_active=True,
                                                      user__is_active=True).values_list("user_id", flat=True))
            if not cadre_ids:
                continue
            sent += notify(
                users=cadre_ids, kind="visits.visit_day",
                title=_("明晚是集中夜访日"),
                body=_("%(node)s %(month)d月%(day)d日（星期%(weekday)s）晚是集中夜访日，请安排入户走访或访谈夜，走访后及时记录。")
                % {"node": day.node.name, "month": tomorrow.month, "day": tomorrow.day,
                   "weekday": WEEKDAYS[tomorrow.weekday()]},
                url=reverse("visits:create"), dedupe_key=f"visits.day:{tomorrow:%Y-%m-%d}")
    return sent
