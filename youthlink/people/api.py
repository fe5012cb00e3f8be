import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Router, Schema, Status

from youthlink.orgs.selectors import get_node_for

from . import permissions, services
from .models import SENSITIVE_FIELDS, Gender, Tag
from .selectors import get_person_for, search_people

router = Router(tags=["people"])


class TagOut(Schema):
    tag: str
    label: str
    sector: str


class PersonOut(Schema):
    id: int
    name: str
    gender: str
    birth_date: dt.date | None
    age: int | None
    home_node_id: int
    home_node_name: str
    mobile_masked: str
    id_number_masked: str
    has_health_notes: bool
    has_hardship_notes: bool
    tags: list[TagOut]


class TagIn(Schema):
    tag: str
    sector: str = ""


class PersonIn(Schema):
    home_node_id: int
    name: str
    gender: str = Gender.UNKNOWN
    birth_date: dt.date | None = None
    mobile: str = ""
    id_number: str = ""
    health_notes: str = ""
    hardship_notes: str = ""
    tags: list[TagIn] = []


class PersonPatch(Schema):
    home_node_id: int | None = None
    name: str | None = None
    gender: str | None = None
    birth_date: dt.date | None = None
    mobile: str | None = None
    id_number: str | None = None
    health_notes: str | None = None
    hardship_notes: str | None = None
    tags: list[TagIn] | None = None


class RevealIn(Schema):
    field: str
    reason: str


class RevealOut(Schema):
    field: str
    value: str


def person_out(p) -> dict:
    return {"id": p.pk, "name": p.name, "gender": p.gender, "birth_date": p.birth_date, "age": p.age,
            "home_node_id": p.home_node_id, "home_node_name": p.home_node.name,
            "mobile_masked": p.masked("mobile"), "id_number_masked": p.masked("id_number"),
            "has_health_notes": bool(p.health_notes), "has_hardship_notes": bool(p.hardship_notes),
            "tags": [{"tag": t.tag, "label": str(t.get_tag_display()), "sector": t.sector} for t in p.tags.all()]}


@router.get("", response=list[PersonOut])
def list_people(request, q: str = "", tag: str = "", node_id: int | None = None, limit: int = 50):
    """Young people the viewer may see; `q` matches name, pinyin (zsf / zhangsanfeng) or mobile tail."""
    node = get_node_for(request.user, node_id) if node_id else None
    tag = tag if tag in Tag.values else ""
    return [person_out(p) for p in search_people(request.user, q, tag=tag, node=node, limit=max(1, min(limit, 200)))]


@router.get("/{int:person_id}", response=PersonOut)
def get_person(request, person_id: int):
    return person_out(get_person_for(request.user, person_id))


@router.post("", response={201: PersonOut})
def create_person(request, payload: PersonIn):
    node = get_node_for(request.user, payload.home_node_id)
    person = services.person_create(
        actor=request.user, home_node=node, name=payload.name, gender=payload.gender, birth_date=payload.birth_date,
        mobile=payload.mobile, id_number=payload.id_number, health_notes=payload.health_notes,
        hardship_notes=payload.hardship_notes, tags=[(t.tag, t.sector) for t in payload.tags])
    return Status(201, person_out(get_person_for(request.user, person.pk)))


@router.patch("/{int:person_id}", response=PersonOut)
def update_person(request, person_id: int, payload: PersonPatch):
    person = get_person_for(request.user, person_id)
    if not permissions.can_edit(request.user, person):
        raise PermissionDenied
    changes = payload.dict(exclude_unset=True)
    if "home_node_id" in changes:
        changes["home_node"] = get_node_for(request.user, changes.pop("home_node_id"))
    if changes.get("tags") is not None:
        changes["tags"] = [(t["tag"], t.get("sector", "")) for t in changes["tags"]]
    services.person_update(actor=request.user, person=person, **changes)
    return person_out(get_person_for(request.user, person_id))


@router.post("/{int:person_id}/reveal", response=RevealOut)
def reveal(request, person_id: int, payload: RevealIn):
    """Unmask one field with a reason; the reveal is written to the audit log."""
    person = get_person_for(request.user, person_id)
    if payload.field not in SENSITIVE_FIELDS:
        raise Http404
    value = services.person_reveal(actor=request.user, person=person, field=payload.field, reason=payload.reason)
    return {"field": payload.field, "value": value}
