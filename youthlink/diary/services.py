"""Writes for the work diary (工作网络日记): check-in (报到), drafts and the submitted entry with its
photos, the county's review (调阅点评), comments (评论互动), contact points and the check-in radius."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from youthlink.accounts.models import User
from youthlink.audit.models import AuditAction
from youthlink.audit.services import audit_record
from youthlink.core import photos as photo_files
from youthlink.notifications.services import channel_post, notify
from youthlink.orgs.models import Node

from .models import (MAX_RADIUS_M, MIN_RADIUS_M, CheckIn, CheckInStatus, ContactPoint, DiaryComment, DiaryEntry,
                     DiaryPhoto, DiarySetting, EntryStatus, Grade)
from .permissions import (can_comment, can_keep_diary, can_review_at, can_send_summary, can_set_contact_point,
                          can_set_radius, can_use_as_contact_point)
from .selectors import (Month, cadre_work_node, contact_point_for, day_items, distance_m, local_now, period_summary,
                        radius_for)

PHOTO_FOLDER = "diary"
MAX_REASON_LENGTH = 200
MAX_TEXT_LENGTH = 5000
MAX_COMMENT_LENGTH = 1000
MAX_ACCURACY_M = 100_000


def _clean_location(latitude, longitude, accuracy, errors: dict):
    if latitude in (None, "") and longitude in (None, ""):
        return None, None, None
    invalid = _("定位数据无效，请重新定位，或不带位置报到")
    try:
        lat = Decimal(str(latitude)).quantize(Decimal("0.000001"))
        lng = Decimal(str(longitude)).quantize(Decimal("0.000001"))
        acc = None if accuracy in (None, "") else int(round(float(accuracy)))
    except (InvalidOperation, TypeError, ValueError, OverflowError):
        errors["location"] = [invalid]
        return None, None, None
    if not (lat.is_finite() and lng.is_finite() and -90 <= lat <= 90 and -180 <= lng <= 180) \
            or (acc is not None and not 0 <= acc <= MAX_ACCURACY_M):
        errors["location"] = [invalid]
        return None, None, None
    return lat, lng, acc


def checkin_create(*, actor: User, latitude=None, longitude=None, accuracy=None, reason: str = "") -> CheckIn:
    """报到: a cadre checks in at their contact point, once a day. With the phone's position, within the
    county's radius of the point it is on site; beyond it, off site, and then a reason is required.
    Without a position (no permission, no signal) or at a point without coordinates it is recorded
    as unlocated."""
    if not can_keep_diary(actor):
        raise PermissionDenied
    node = contact_point_for(actor)
    if node is None:
        raise PermissionDenied
    errors: dict[str, list] = {}
    lat, lng, acc = _clean_location(latitude, longitude, accuracy, errors)
    reason = " ".join((reason or "").split())
    if len(reason) > MAX_REASON_LENGTH:
        errors["reason"] = [_("原因不超过 %(n)d 字") % {"n": MAX_REASON_LENGTH}]
    radius = radius_for(node)
    distance = None
    if lat is None or node.latitude is None or node.longitude is None:
        status = CheckInStatus.UNLOCATED
    else:
        distance = round(distance_m(lat, lng, node.latitude, node.longitude))
        status = CheckInStatus.ON_SITE if distance <= radius else CheckInStatus.OFF_SITE
        if status == CheckInStatus.OFF_SITE and not reason and "location" not in errors:
            errors["reason"] = [_("您距联系点“%(node)s”约 %(d)s 米，超出 %(r)d 米的报到范围，请填写异地报到的原因")
                                % {"node": node.name, "d": f"{distance:,}", "r": radius}]
    if errors:
        raise ValidationError(errors)
    now = local_now()
    if CheckIn.objects.filter(cadre=actor, local_date=now.date()).exists():
        raise ValidationError({"__all__": [_("您今天已经报到过了")]})
    try:
        with transaction.atomic():
            checkin = CheckIn.objects.create(
                cadre=actor, node=node, checked_at=now, local_date=now.date(), status=status, latitude=lat,
                longitude=lng, accuracy_m=acc, distance_m=distance, radius_m=radius,
                reason=reason if status != CheckInStatus.ON_SITE else "")
            audit_record(actor=actor, action=AuditAction.DIARY_CHECKIN, target=checkin, node=node,
                         target_label=f"{node.name} · {now:%Y-%m-%d}",
                         data={"status": status, "distance_m": distance, "radius_m": radius})
    except IntegrityError:  # a double tap that raced past the check above
        raise ValidationError({"__all__": [_("您今天已经报到过了")]}) from None
    return checkin


def _clean_text(work_log, reflections, errors: dict) -> tuple[str, str]:
    work_log, reflections = (work_log or "").strip(), (reflections or "").strip()
    if len(work_log) > MAX_TEXT_LENGTH:
        errors["work_log"] = [_("工作记录不超过 %(n)d 字") % {"n": MAX_TEXT_LENGTH}]
    if len(reflections) > MAX_TEXT_LENGTH:
        errors["reflections"] = [_("心得体会不超过 %(n)d 字") % {"n": MAX_TEXT_LENGTH}]
    return work_log, reflections


def _clean_links(actor: User, checkin: CheckIn, links, errors: dict) -> list[dict]:
    """Links are "kind:id" of the day's items the providers offer this cadre for the check-in's day."""
    wanted = list(dict.fromkeys(str(link).strip() for link in links or () if str(link).strip()))
    if not wanted:
        return []
    offered = {f"{kind}:{pk}": {"kind": kind, "id": pk, "label": label, "url": url}
               for kind, pk, label, url in day_items(actor, checkin.local_date)}
    if any(key not in offered for key in wanted):
        errors["links"] = [_("只能关联您当天的走访和诉求")]
        return []
    return [offered[key] for key in wanted]


def _own_open_entry(actor: User, checkin: CheckIn) -> DiaryEntry | None:
    if checkin.cadre_id != actor.pk or not can_keep_diary(actor):
        raise PermissionDenied
    entry = DiaryEntry.objects.select_for_update().filter(checkin=checkin).first()
    if entry is not None and entry.status != EntryStatus.DRAFT:
        raise ValidationError({"__all__": [_("这篇日记已经提交，不能再修改")]})
    return entry


def _work_node(actor: User, checkin: CheckIn) -> Node:
    return cadre_work_node(actor) or checkin.node


@transaction.atomic
def diary_draft_save(*, actor: User, checkin: CheckIn, work_log: str = "", reflections: str = "",
                     links=()) -> DiaryEntry:
    """Saved as the cadre types (autosave), so a lost signal loses nothing: creates or replaces the
    draft of the check-in's diary. No audit row: a draft is the cadre's alone until submitted."""
    entry = _own_open_entry(actor, checkin)
    errors: dict[str, list] = {}
    work_log, reflections = _clean_text(work_log, reflections, errors)
    cleaned_links = _clean_links(actor, checkin, links, errors)
    if errors:
        raise ValidationError(errors)
    if entry is None:
        return DiaryEntry.objects.create(checkin=checkin, cadre=actor, node=_work_node(actor, checkin),
                                         local_date=checkin.local_date, work_log=work_log, reflections=reflections,
                                         links=cleaned_links)
    entry.work_log, entry.reflections, entry.links = work_log, reflections, cleaned_links
    entry.save(update_fields=["work_log", "reflections", "links", "updated_at"])
    return entry


def diary_entry_submit(*, actor: User, checkin: CheckIn, work_log: str, reflections: str = "", links=(),
                       photos=()) -> DiaryEntry:
    """写日记: the draft becomes the day's diary, sent to the county's review queue. All or nothing:
    photos are processed before the transaction and their stored files removed if it rolls back."""
    if checkin.cadre_id != actor.pk or not can_keep_diary(actor):
        raise PermissionDenied
    errors: dict[str, list] = {}
    work_log, reflections = _clean_text(work_log, reflections, errors)
    if not work_log and "work_log" not in errors:
        errors["work_log"] = [_("请填写工作记录")]
    cleaned_links = _clean_links(actor, checkin, links, errors)
    processed = []
    try:
        processed = photo_files.process_all(photos or ())
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    stored: list[str] = []
    try:
        with transaction.atomic():
            entry = _own_open_entry(actor, checkin)
            if entry is None:
                entry = DiaryEntry(checkin=checkin, cadre=actor, node=_work_node(actor, checkin),
                                   local_date=checkin.local_date)
            existing = entry.photos.count() if entry.pk else 0
            _check_photo_count(existing, len(processed))
            entry.work_log, entry.reflections, entry.links = work_log, reflections, cleaned_links
            entry.status, entry.submitted_at = EntryStatus.SUBMITTED, timezone.now()
            entry.save()
            for i, photo in enumerate(processed, start=existing):
                stored.append(photo_files.store(photo, folder=PHOTO_FOLDER, day=entry.local_date))
                DiaryPhoto.objects.create(entry=entry, image=stored[-1], width=photo.width, height=photo.height,
                                          size=photo.size, position=i)
            audit_record(actor=actor, action=AuditAction.DIARY_ENTRY, target=entry, node=entry.node,
                         target_label=f"{actor.display_name} · {entry.local_date:%Y-%m-%d}",
                         data={"photos": len(processed), "links": [f"{k['kind']}:{k['id']}" for k in cleaned_links]})
    except BaseException:
        photo_files.remove(stored)
        raise
    return entry


def _check_photo_count(existing: int, adding: int) -> None:
    if existing + adding > photo_files.max_count():
        raise ValidationError({"photos": [_("每篇日记最多 %(n)d 张照片") % {"n": photo_files.max_count()}]})


def diary_photos_add(*, actor: User, entry: DiaryEntry, photos) -> list[DiaryPhoto]:
    """Photos attached to a draft before it is submitted (the API's way: JSON text, then the files),
    by its cadre. Same processing, same all-or-nothing rule as when submitting."""
    if entry.cadre_id != actor.pk or not can_keep_diary(actor):
        raise PermissionDenied
    photos = [p for p in photos or () if p is not None]
    if not photos:
        raise ValidationError({"photos": [_("请选择要上传的照片")]})
    processed = photo_files.process_all(photos)
    stored: list[str] = []
    try:
        with transaction.atomic():
            entry = DiaryEntry.objects.select_for_update().get(pk=entry.pk)
            if entry.status != EntryStatus.DRAFT:
                raise ValidationError({"__all__": [_("这篇日记已经提交，不能再修改")]})
            existing = entry.photos.count()
            _check_photo_count(existing, len(processed))
            created = []
            for i, photo in enumerate(processed, start=existing):
                stored.append(photo_files.store(photo, folder=PHOTO_FOLDER, day=entry.local_date))
                created.append(DiaryPhoto.objects.create(entry=entry, image=stored[-1], width=photo.width,
                                                         height=photo.height, size=photo.size, position=i))
    except BaseException:
        photo_files.remove(stored)
        raise
    return created


def _notify_cadre(entry: DiaryEntry, title: str, body: str, kind: str, dedupe_key: str) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        notify(users=[entry.cadre_id], kind=kind, title=title, body=body,
               url=reverse("diary:detail", args=[entry.pk]), dedupe_key=dedupe_key)


@transaction.atomic
def diary_entry_review(*, actor: User, entry: DiaryEntry, grade: str, comment: str) -> DiaryEntry:
    """调阅点评: a reviewer over the cadre grades the entry (优秀 / 良好 / 一般 / 需改进) and gives advice,
    once; the advice opens the entry's comment thread. The cadre is notified."""
    entry = DiaryEntry.objects.select_for_update().select_related("node", "cadre").get(pk=entry.pk)
    if entry.cadre_id == actor.pk or not can_review_at(actor, entry.node) or entry.status == EntryStatus.DRAFT:
        raise PermissionDenied
    if entry.status == EntryStatus.REVIEWED:
        raise ValidationError({"__all__": [_("这篇日记已经点评过了")]})
    errors: dict[str, list] = {}
    if grade not in Grade.values:
        errors["grade"] = [_("请选择评定等级")]
    comment = (comment or "").strip()
    if not comment:
        errors["comment"] = [_("请填写点评意见")]
    elif len(comment) > MAX_COMMENT_LENGTH:
        errors["comment"] = [_("点评意见不超过 %(n)d 字") % {"n": MAX_COMMENT_LENGTH}]
    if errors:
        raise ValidationError(errors)
    entry.grade, entry.status = grade, EntryStatus.REVIEWED
    entry.reviewed_by, entry.reviewed_at = actor, timezone.now()
    entry.save(update_fields=["grade", "status", "reviewed_by", "reviewed_at", "updated_at"])
    DiaryComment.objects.create(entry=entry, author=actor, body=comment, is_review=True)
    audit_record(actor=actor, action=AuditAction.DIARY_REVIEW, target=entry, node=entry.node,
                 target_label=f"{entry.cadre.display_name} · {entry.local_date:%Y-%m-%d}", data={"grade": grade})
    label = entry.get_grade_display()
    transaction.on_commit(lambda: _notify_cadre(
        entry, _("您 %(date)s 的工作日记已点评：%(grade)s") % {"date": f"{entry.local_date:%m-%d}", "grade": label},
        f"{actor.display_name}：{comment[:200]}", "diary.reviewed", f"diary.review:{entry.pk}"))
    return entry


@transaction.atomic
def diary_comment_add(*, actor: User, entry: DiaryEntry, body: str) -> DiaryComment:
    """评论互动: the cadre and the reviewers over them comment back and forth on a submitted entry.
    The other side is notified: the cadre of a reviewer's comment, the reviewers who spoke on the
    entry of the cadre's."""
    if not can_comment(actor, entry):
        raise PermissionDenied
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [_("请填写评论内容")]})
    if len(body) > MAX_COMMENT_LENGTH:
        raise ValidationError({"body": [_("评论不超过 %(n)d 字") % {"n": MAX_COMMENT_LENGTH}]})
    comment = DiaryComment.objects.create(entry=entry, author=actor, body=body)
    audit_record(actor=actor, action=AuditAction.DIARY_COMMENT, target=entry, node=entry.node,
                 target_label=f"{entry.cadre.display_name} · {entry.local_date:%Y-%m-%d}",
                 data={"comment_id": comment.pk})
    if actor.pk == entry.cadre_id:
        recipients = set(DiaryComment.objects.filter(entry=entry).exclude(author_id=actor.pk)
                         .values_list("author_id", flat=True))
        if entry.reviewed_by_id:
            recipients.add(entry.reviewed_by_id)
    else:
        recipients = {entry.cadre_id}
    if recipients:
        title = _("%(name)s 评论了 %(date)s 的工作日记") % {"name": actor.display_name,
                                                      "date": f"{entry.local_date:%m-%d}"}
        url = reverse("diary:detail", args=[entry.pk])

        def send():
            with translation.override(settings.LANGUAGE_CODE):
                notify(users=recipients, kind="diary.comment", title=title, body=body[:200], url=url,
                       dedupe_key=f"diary.comment:{comment.pk}")
        transaction.on_commit(send)
    return comment


@transaction.atomic
def contact_point_set(*, actor: User, cadre: User, cadre_node: Node, node: Node) -> ContactPoint:
    """联系点: where the cadre checks in. Set by the committee over the cadre or by the cadre, among the
    nodes the cadre works over that have coordinates."""
    if not can_set_contact_point(actor, cadre, cadre_node):
        raise PermissionDenied
    if node is None or not can_use_as_contact_point(cadre, node):
        raise ValidationError({"node": [_("联系点须是该团干部负责范围内、已标注坐标的组织")]})
    point, _created = ContactPoint.objects.update_or_create(cadre=cadre, defaults={"node": node, "set_by": actor})
    return point


@transaction.atomic
def diary_radius_set(*, actor: User, county: Node, radius_m: int) -> DiarySetting:
    """A county admin sets how far from the contact point a check-in still counts as on site."""
    if not can_set_radius(actor, county):
        raise PermissionDenied
    if not isinstance(radius_m, int) or not MIN_RADIUS_M <= radius_m <= MAX_RADIUS_M:
        raise ValidationError({"radius_m": [_("报到范围应在 %(low)d 到 %(high)d 米之间")
                                            % {"low": MIN_RADIUS_M, "high": MAX_RADIUS_M}]})
    setting, _created = DiarySetting.objects.update_or_create(county=county, defaults={"radius_m": radius_m})
    return setting


def summary_text(summary) -> tuple[str, str]:
    """The title and body of a cadre's month summary as the groups read it: figures and grades only,
    never a young person's name (the entries' text stays on the platform)."""
    cadre, month = summary.cadre, summary.month
    title = _("工作日记点评汇总 · %(name)s · %(year)d年%(month)d月") % {
        "name": cadre.display_name, "year": month.year, "month": month.month}
    grades = "、".join(f"{g.label} {g.count}" for g in summary.grades)
    body = _("%(name)s %(year)d年%(month)d月：报到 %(checkins)d 次，提交工作日记 %(submitted)d 篇，已点评 %(reviewed)d 篇"
             "（%(grades)s），评论互动 %(comments)d 条。") % {
        "name": cadre.display_name, "year": month.year, "month": month.month, "checkins": summary.checkins,
        "submitted": summary.submitted, "reviewed": summary.reviewed, "grades": grades, "comments": summary.comments}
    return title, body


@transaction.atomic
def diary_summary_send(*, actor: User, cadre: User, cadre_node: Node, month: Month) -> int:
    """评价反馈到群: a reviewer sends a cadre's month (check-ins, entries, grades, comments) to the
    outbound channels of the groups the cadre serves: those of their contact point and of the
    committees above it that take their subtree's messages. Once per month and channel; the cadre is
    told in the platform. Returns how many channels it went to."""
    if not can_send_summary(actor, cadre, cadre_node):
        raise PermissionDenied
    node = contact_point_for(cadre) or cadre_node
    summary = period_summary(cadre, month)
    with translation.override(settings.LANGUAGE_CODE):
        title, body = summary_text(summary)
    sent = channel_post(node=node, title=title, body=body, kind="diary.summary",
                        url=f"{reverse('diary:summary', args=[cadre.pk])}?month={month}",
                        dedupe_key=f"diary.summary:{cadre.pk}:{month}")
    if not sent:
        raise ValidationError({"__all__": [_("没有可发送的渠道：%(node)s及其上级未设置通知渠道，或本月汇总已经发送过")
                                           % {"node": node.name}]})
    audit_record(actor=actor, action=AuditAction.DIARY_SUMMARY, target=cadre, node=node,
                 target_label=f"{cadre.display_name} · {month}",
                 data={"month": str(month), "channels": sent, "submitted": summary.submitted,
                       "reviewed": summary.reviewed})

    def tell_cadre():
        with translation.override(settings.LANGUAGE_CODE):
            notify(users=[cadre.pk], kind="diary.summary",
                   title=_("您 %(month)d 月的工作日记点评汇总已发到工作群") % {"month": month.month}, body=body,
                   url=f"{reverse('diary:summary', args=[cadre.pk])}?month={month}",
                   dedupe_key=f"diary.summary:{cadre.pk}:{month}")
    transaction.on_commit(tell_cadre)
    return sent
