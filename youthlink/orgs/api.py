from django.core.exceptions import PermissionDenied
from ninja import Router, Schema, Status

from youthlink.accounts.access import scope_nodes
from youthlink.liaison.selectors import binding_rate, cadre_rows

from .permissions import can_manage_social_orgs
from .selectors import get_node_for
from .services import social_organisation_create

router = Router(tags=["orgs"])


class NodeOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    admin_code: str | None
    parent_id: int | None
    latitude: float | None
    longitude: float | None


def node_out(node) -> dict:
    return {"id": node.pk, "name": node.name, "kind": node.kind, "kind_label": str(node.get_kind_display()),
            "admin_code": node.admin_code, "parent_id": node.parent_id,
            "latitude": float(node.latitude) if node.latitude is not None else None,
            "longitude": float(node.longitude) if node.longitude is not None else None}


class NodeDetailOut(NodeOut):
    children: list[NodeOut]
    cadres: int
    bound_cadres: int
    binding_rate: float | None


class CadreRowOut(Schema):
    user_id: int
    name: str
    node_id: int
    social_org: int
    local_talent: int
    youth: int
    bound: int
    missing: list[str]


@router.get("", response=list[NodeOut])
def list_nodes(request):
    """The roots of the viewer's scope (open one to see its children)."""
    return [node_out(n) for n in scope_nodes(request.user)]


@router.get("/{int:node_id}", response=NodeDetailOut)
def get_node(request, node_id: int):
    node = get_node_for(request.user, node_id)
    rate = binding_rate(node)
    return {**node_out(node), "children": [node_out(c) for c in node.children.order_by("kind", "name")],
            "cadres": rate.cadres, "bound_cadres": rate.bound_cadres, "binding_rate": rate.rate}


@router.get("/{int:node_id}/cadres", response=list[CadreRowOut])
def node_cadres(request, node_id: int, unlinked_only: bool = False):
    """Cadres under the node with their 三联 counts; `unlinked_only` lists those not yet linked."""
    node = get_node_for(request.user, node_id)
    rows = cadre_rows(node)
    if unlinked_only:
        rows = [r for r in rows if r.missing]
    return [{"user_id": r.membership.user_id, "name": r.membership.user.display_name, "node_id": r.membership.node_id,
             "social_org": r.social_org, "local_talent": r.local_talent, "youth": r.youth, "bound": r.bound,
             "missing": [str(m) for m in r.missing]} for r in rows]


class SocialOrgIn(Schema):
    name: str
    service_area: str = ""
    contact_name: str = ""
    contact_phone: str = ""


class SocialOrgOut(SocialOrgIn):
    id: int
    node_id: int


@router.get("/{int:node_id}/social-orgs", response=list[SocialOrgOut])
def list_social_orgs(request, node_id: int):
    node = get_node_for(request.user, node_id)
    return list(node.social_organisations.order_by("name"))


@router.post("/{int:node_id}/social-orgs", response={201: SocialOrgOut})
def create_social_org(request, node_id: int, payload: SocialOrgIn):
    node = get_node_for(request.user, node_id)
    if not can_manage_social_orgs(request.user, node):
        raise PermissionDenied
    return Status(201, social_organisation_create(actor=request.user, node=node, **payload.dict()))
