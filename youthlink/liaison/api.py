import datetime as dt

from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from youthlink.accounts.access import roles_at
from youthlink.accounts.models import Role
from youthlink.orgs.selectors import social_organisations_for
from youthlink.people.api import PersonOut, person_out
from youthlink.people.selectors import get_person_for

from . import services
from .models import CadreLink
from .selectors import bound_people, get_cadre_for, invite_for_token, link_summary

router = Router(tags=["liaison"])


class InviteOut(Schema):
    token: str
    url: str
    node_id: int


class LinkOut(Schema):
    id: int
    kind: str
    social_org_id: int | None
    social_org_name: str | None
    person_id: int | None
    person_name: str | None


class LinksOut(Schema):
    cadre_id: int
    node_id: int
    social_org: LinkOut | None
    local_talent: LinkOut | None
    youth: list[LinkOut]
    missing: list[str]


class LinkIn(Schema):
    kind: str
    social_org_id: int | None = None
    person_id: int | None = None


class JoinIn(Schema):
    name: str
    mobile: str
    password: str
    birth_date: dt.date
    gender: str = "U"
    agree_privacy: bool
    guardian_name: str = ""
    guardian_relation: str = ""
    guardian_agree: bool = False


def link_out(link: CadreLink | None):
    if link is None:
        return None
    return {"id": link.pk, "kind": link.kind, "social_org_id": link.social_org_id,
            "social_org_name": link.social_org.name if link.social_org_id else None,
            "person_id": link.person_id, "person_name": link.person.name if link.person_id else None}


@router.get("/invite", response=InviteOut)
def my_invite(request):
    if Role.CADRE not in roles_at(request.user):
        raise Http404
    invite = services.invite_get_or_create(cadre=request.user)
    return {"token": invite.token, "node_id": invite.node_id,
            "url": request.build_absolute_uri(reverse("liaison:join", args=[invite.token]))}


@router.post("/join/{token}", response={201: PersonOut}, auth=None)
def join(request, token: str, payload: JoinIn):
    """Public: register through a cadre's invite and become their 青年之友."""
    from django.contrib.auth.password_validation import validate_password
    invite = invite_for_token(token)
    try:
        validate_password(payload.password)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    person = services.youth_register_via_invite(invite=invite, **payload.dict())
    login(request, person.user, backend="youthlink.accounts.backends.MobileOrUsernameBackend")
    return Status(201, person_out(person))


@router.get("/cadres/{int:cadre_id}/links", response=LinksOut)
def cadre_links(request, cadre_id: int):
    cadre, node = get_cadre_for(request.user, cadre_id)
    s = link_summary(cadre)
    return {"cadre_id": cadre.pk, "node_id": node.pk, "social_org": link_out(s.social_org),
            "local_talent": link_out(s.local_talent), "youth": [link_out(link) for link in s.youth],
            "missing": [str(m) for m in s.missing]}


@router.post("/cadres/{int:cadre_id}/links", response={201: LinkOut})
def add_link(request, cadre_id: int, payload: LinkIn):
    cadre, node = get_cadre_for(request.user, cadre_id)
    social_org = None
    person = None
    if payload.social_org_id:
        social_org = social_organisations_for(request.user).filter(pk=payload.social_org_id).first()
        if social_org is None:
            raise ValidationError({"social_org": _("请选择本辖区内的社会组织")})
    if payload.person_id:
        person = get_person_for(request.user, payload.person_id)
    link = services.link_add(actor=request.user, cadre=cadre, node=node, kind=payload.kind,
                             social_org=social_org, person=person)
    return Status(201, link_out(link))


@router.delete("/links/{int:link_id}", response={204: None})
def remove_link(request, link_id: int):
    link = CadreLink.objects.select_related("cadre", "node").filter(pk=link_id).first()
    if link is None:
        raise Http404
    get_cadre_for(request.user, link.cadre_id)
    services.link_remove(actor=request.user, link=link)
    return Status(204, None)


@router.get("/cadres/{int:cadre_id}/friends", response=list[PersonOut])
def cadre_friends(request, cadre_id: int, limit: int = 100, offset: int = 0):
    """The cadre's 青年之友 (bound young people), newest first."""
    cadre, _node = get_cadre_for(request.user, cadre_id)
    limit = max(1, min(limit, 500))
    return [person_out(p) for p in bound_people(cadre)[offset:offset + limit]]


class BindingOut(Schema):
    cadre_id: int
    person_id: int
    source: str
    created_at: dt.datetime


@router.post("/people/{int:person_id}/bind", response={201: BindingOut})
def bind_person(request, person_id: int):
    """A cadre adds a young person of their area as 青年之友 by hand (e.g. after a visit)."""
    if Role.CADRE not in roles_at(request.user):
        raise Http404
    person = get_person_for(request.user, person_id)
    return Status(201, services.binding_create(actor=request.user, person=person))
