import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from youthlink.audit.models import AuditAction
from youthlink.audit.services import audit_record
from youthlink.core import crypto
from youthlink.core.identity import id_birth_date, validate_id_number, validate_mobile
from youthlink.core.pinyin import search_keys

from . import permissions
from .models import SENSITIVE_FIELDS, Consent, ConsentKind, Gender, PersonTag, Sector, Tag, YoungPerson

PRIVACY_NOTICE_VERSION = "2026-11"


def mobile_hash(mobile: str) -> str | None:
    return crypto.keyed_hash(mobile, purpose="mobile") if mobile else None


def id_hash(number: str) -> str | None:
    return crypto.keyed_hash(number, purpose="id_number") if number else None


def apply_identity(person: YoungPerson, *, mobile: str | None = None, id_number: str | None = None) -> None:
    """Validate and set mobile / ID number with their lookup hashes (no save)."""
    errors = {}
    if mobile is not None:
        try:
            person.mobile = validate_mobile(mobile) if str(mobile).strip() else ""
        except ValidationError as exc:
            errors["mobile"] = exc.messages
        else:
            person.mobile_hash = mobile_hash(person.mobile)
            person.mobile_tail = person.mobile[-4:] if person.mobile else ""
    if id_number is not None:
        try:
            person.id_number = validate_id_number(id_number) if str(id_number).strip() else ""
        except ValidationError as exc:
            errors["id_number"] = exc.messages
        else:
            person.id_hash = id_hash(person.id_number)
            if person.id_number:
                born = id_birth_date(person.id_number)
                if person.birth_date and person.birth_date != born:
                    errors["birth_date"] = [_("出生日期与身份证号码不一致")]
                person.birth_date = born
                sex_digit = int(person.id_number[16])
                person.gender = Gender.MALE if sex_digit % 2 else Gender.FEMALE
    if errors:
        raise ValidationError(errors)


def _clean_tags(tags) -> list[tuple[str, str]]:
    cleaned = []
    for item in tags or []:
        tag, sector = (item if isinstance(item, (tuple, list)) else (item, ""))
        if tag not in Tag.values:
            raise ValidationError({"tags": _("未知标签：%s") % tag})
        if sector and sector not in Sector.values:
            raise ValidationError({"tags": _("未知界别：%s") % sector})
        if tag != Tag.FEDERATION:
            sector = ""
        cleaned.append((tag, sector))
    return list(dict(cleaned).items())


@transaction.atomic
def person_create(*, actor, home_node, name: str, gender: str = Gender.UNKNOWN,
                  birth_date: dt.date | None = None, mobile: str = "", id_number: str = "",
                  health_notes: str = "", hardship_notes: str = "", tags=(), user=None,
                  check_permission: bool = True) -> YoungPerson:
    """Record a young person under a node of the tree (团员青年建档)."""
    if check_permission and not permissions.can_create_at(actor, home_node):
        raise PermissionDenied
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写姓名")})
    person = YoungPerson(name=name, gender=gender or Gender.UNKNOWN, birth_date=birth_date,
                         home_node=home_node, health_notes=health_notes.strip(),
                         hardship_notes=hardship_notes.strip(), user=user)
    apply_identity(person, mobile=mobile, id_number=id_number)
    if person.birth_date and person.birth_date > dt.date.today():
        raise ValidationError({"birth_date": _("出生日期不能晚于今天")})
    if person.id_hash and YoungPerson.objects.filter(id_hash=person.id_hash).exists():
        raise ValidationError({"id_number": _("该身份证号码已建档")})
    person.search_keys = search_keys(name)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        raise ValidationError({"id_number": _("该身份证号码已建档")}) from None
    PersonTag.objects.bulk_create([PersonTag(person=person, tag=t, sector=s) for t, s in _clean_tags(tags)])
    audit_record(actor=actor, action=AuditAction.PERSON_CREATE, target=person, node=home_node)
    return person


@transaction.atomic
def person_update(*, actor, person: YoungPerson, **changes) -> YoungPerson:
    if not permissions.can_edit(actor, person):
        raise PermissionDenied
    person = YoungPerson.objects.select_for_update().get(pk=person.pk)
    changed = []
    new_node = changes.get("home_node")
    if new_node is not None and new_node.pk != person.home_node_id:
        if not permissions.can_create_at(actor, new_node):
            raise PermissionDenied
        person.home_node = new_node
        changed.append("home_node")
    for field in ("name", "gender", "birth_date", "health_notes", "hardship_notes"):
        if field in changes and changes[field] is not None and getattr(person, field) != changes[field]:
            setattr(person, field, changes[field].strip() if isinstance(changes[field], str) else changes[field])
            changed.append(field)
    identity = {k: changes[k] for k in ("mobile", "id_number") if changes.get(k) is not None}
    if identity:
        before = (person.mobile, person.id_number)
        apply_identity(person, **identity)
        changed += [k for k, old in zip(("mobile", "id_number"), before) if getattr(person, k) != old]
        if person.id_hash and YoungPerson.objects.filter(id_hash=person.id_hash).exclude(pk=person.pk).exists():
            raise ValidationError({"id_number": _("该身份证号码已建档")})
    if not person.name:
        raise ValidationError({"name": _("请填写姓名")})
    person.search_keys = search_keys(person.name)
    person.save()
    if "tags" in changes and changes["tags"] is not None:
        person.tags.all().delete()
        PersonTag.objects.bulk_create([PersonTag(person=person, tag=t, sector=s) for t, s in _clean_tags(changes["tags"])])
        changed.append("tags")
    if changed:
        # Field names only: the audit log never holds the sensitive values themselves.
        audit_record(actor=actor, action=AuditAction.PERSON_UPDATE, target=person, node=person.home_node,
                     data={"fields": sorted(set(changed))})
    return person


@transaction.atomic
def person_reveal(*, actor, person: YoungPerson, field: str, reason: str) -> str:
    """Unmask one sensitive field for this viewer, once, with a reason; every reveal is audited."""
    if field not in SENSITIVE_FIELDS:
        raise ValidationError(_("该字段不可查看"))
    if not permissions.can_reveal(actor, person, field):
        raise PermissionDenied
    reason = (reason or "").strip()
    if len(reason) < settings.REVEAL_REASON_MIN_LENGTH:
        raise ValidationError({"reason": _("请写明查看事由（至少%d个字）") % settings.REVEAL_REASON_MIN_LENGTH})
    audit_record(actor=actor, action=AuditAction.REVEAL, target=person, node=person.home_node,
                 field=field, reason=reason)
    return getattr(person, field)


@transaction.atomic
def consent_record(*, person: YoungPerson, guardian_name: str = "", guardian_relation: str = "") -> list[Consent]:
    """Record the privacy-notice consent; for a child under 14 the guardian's consent comes first."""
    made = []
    if person.is_under_14:
        if not guardian_name.strip() or not guardian_relation.strip():
            raise ValidationError({"guardian_name": _("未满14周岁，须由监护人填写姓名、关系并同意")})
        made.append(Consent.objects.create(person=person, kind=ConsentKind.GUARDIAN,
                                           notice_version=PRIVACY_NOTICE_VERSION,
                                           guardian_name=guardian_name.strip(),
                                           guardian_relation=guardian_relation.strip()))
    made.append(Consent.objects.create(person=person, kind=ConsentKind.PRIVACY_NOTICE,
                                       notice_version=PRIVACY_NOTICE_VERSION))
    audit_record(actor=person.user or person, action=AuditAction.CONSENT, target=person, node=person.home_node,
                 data={"kinds": [c.kind for c in made], "version": PRIVACY_NOTICE_VERSION})
    return made
