import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from youthlink.accounts.access import best_role_at
from youthlink.accounts.models import Role, User
from youthlink.accounts.services import user_create
from youthlink.audit.models import AuditAction
from youthlink.audit.services import audit_record
from youthlink.core.identity import age_on, validate_mobile
from youthlink.orgs.models import Node, SocialOrganisation
from youthlink.people.models import Tag, YoungPerson
from youthlink.people.services import consent_record, mobile_hash, person_create

from .models import Binding, BindingSource, CadreInvite, CadreLink, LinkKind
from .selectors import cadre_node


def invite_get_or_create(*, cadre: User) -> CadreInvite:
    node = cadre_node(cadre)
    if node is None:
        raise PermissionDenied
    invite, _created = CadreInvite.objects.get_or_create(cadre=cadre, defaults={"node": node})
    return invite


@transaction.atomic
def invite_rotate(*, cadre: User) -> CadreInvite:
    """A new token for a cadre whose old QR code circulated too far; the old one stops working."""
    from .models import new_token
    invite = invite_get_or_create(cadre=cadre)
    invite.token = new_token()
    invite.save(update_fields=["token"])
    return invite


@transaction.atomic
def youth_register_via_invite(*, invite: CadreInvite, name: str, mobile: str, password: str,
                              birth_date: dt.date, gender: str, agree_privacy: bool,
                              guardian_name: str = "", guardian_relation: str = "",
                              guardian_agree: bool = False) -> YoungPerson:
    """青年之友: a young person scans a cadre's QR code, registers, consents and is bound to the cadre.
    A child under 14 registers only with a guardian's name, relation and consent, recorded first."""
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("请填写姓名")]
    try:
        mobile = validate_mobile(mobile)
    except ValidationError as exc:
        errors["mobile"] = exc.messages
    if birth_date is None:
        errors["birth_date"] = [_("请填写出生日期")]
    elif birth_date > dt.date.today():
        errors["birth_date"] = [_("出生日期不能晚于今天")]
    under_14 = birth_date is not None and age_on(birth_date) < 14
    if under_14 and not (guardian_name.strip() and guardian_relation.strip() and guardian_agree):
        errors["guardian_name"] = [_("未满14周岁，须由监护人填写姓名、与本人关系并勾选同意")]
    if not agree_privacy:
        errors["agree_privacy"] = [_("请阅读并同意隐私告知")]
    if errors:
        raise ValidationError(errors)

    existing = YoungPerson.objects.filter(mobile_hash=mobile_hash(mobile)).select_for_update().first()
    if existing is not None and (existing.user_id or existing.name != name):
        raise ValidationError({"mobile": _("该手机号已登记，请直接登录或联系您的团干部")})
    user = user_create(name=name, password=password, mobile=mobile)
    if existing is not None:
        # A roster entry with this mobile and name: the account takes over that record.
        existing.user = user
        existing.save(update_fields=["user", "updated_at"])
        person = existing
    else:
        person = person_create(actor=user, home_node=invite.node, name=name, gender=gender,
                               birth_date=birth_date, mobile=mobile, user=user, check_permission=False)
    consent_record(person=person, guardian_name=guardian_name, guardian_relation=guardian_relation)
    _bind(actor=user, cadre=invite.cadre, node=invite.node, person=person, source=BindingSource.QR)
    return person


def _bind(*, actor, cadre: User, node: Node, person: YoungPerson, source: str) -> Binding:
    try:
        with transaction.atomic():
            binding = Binding.objects.create(cadre=cadre, node=node, person=person, source=source)
    except IntegrityError:
        return Binding.objects.get(cadre=cadre, person=person)
    audit_record(actor=actor, action=AuditAction.BIND, target=person, node=node,
                 data={"cadre_id": cadre.pk, "source": source})
    return binding


@transaction.atomic
def binding_join_existing(*, user: User, invite: CadreInvite) -> Binding:
    """A young person who already has an account scans another cadre's code."""
    person = YoungPerson.objects.get(user=user)
    return _bind(actor=user, cadre=invite.cadre, node=invite.node, person=person, source=BindingSource.QR)


@transaction.atomic
def binding_create(*, actor: User, person: YoungPerson) -> Binding:
    """A cadre adds a young person in their area as a friend by hand (e.g. met on a visit)."""
    node = cadre_node(actor)
    if node is None or best_role_at(actor, person.home_node) is None:
        raise PermissionDenied
    return _bind(actor=actor, cadre=actor, node=node, person=person, source=BindingSource.MANUAL)


def _may_manage_links(actor: User, cadre: User, node: Node) -> bool:
    return actor.pk == cadre.pk or best_role_at(actor, node) in {Role.ADMIN, Role.SECRETARY}


@transaction.atomic
def link_add(*, actor: User, cadre: User, node: Node, kind: str,
             social_org: SocialOrganisation | None = None, person: YoungPerson | None = None) -> CadreLink:
    """三联: link a cadre with their social organisation, their local talent, or one more young person."""
    if not _may_manage_links(actor, cadre, node):
        raise PermissionDenied
    if kind == LinkKind.SOCIAL_ORG:
        if social_org is None or best_role_at(actor, social_org.node) is None:
            raise ValidationError({"social_org": _("请选择本辖区内的社会组织")})
        person = None
    elif kind in (LinkKind.LOCAL_TALENT, LinkKind.YOUTH):
        if person is None or best_role_at(actor, person.home_node) is None:
            raise ValidationError({"person": _("请选择本辖区内的青年")})
        if kind == LinkKind.LOCAL_TALENT and not person.tags.filter(tag=Tag.LOCAL_TALENT).exists():
            raise ValidationError({"person": _("所选人员未标记为“本土能人”")})
        social_org = None
    else:
        raise ValidationError({"kind": _("未知的联系类型")})
    if kind in (LinkKind.SOCIAL_ORG, LinkKind.LOCAL_TALENT):
        # One of each: a new choice replaces the old one.
        CadreLink.objects.filter(cadre=cadre, kind=kind).delete()
    try:
        with transaction.atomic():
            link = CadreLink.objects.create(cadre=cadre, node=node, kind=kind, social_org=social_org, person=person)
    except IntegrityError:
        raise ValidationError({"person": _("已联系该青年")}) from None
    audit_record(actor=actor, action=AuditAction.LINK, target=cadre, target_type="accounts.user", node=node,
                 data={"kind": kind, "social_org_id": getattr(social_org, "pk", None),
                       "person_id": getattr(person, "pk", None)})
    return link


@transaction.atomic
def link_remove(*, actor: User, link: CadreLink) -> None:
    if not _may_manage_links(actor, link.cadre, link.node):
        raise PermissionDenied
    audit_record(actor=actor, action=AuditAction.UNLINK, target=link.cadre, target_type="accounts.user",
                 node=link.node, data={"kind": link.kind, "link_id": link.pk})
    link.delete()
