from django.db.models import Q, QuerySet
from django.http import Http404

from youthlink.accounts.access import scope_q

from .models import Node, SocialOrganisation


def nodes_for(viewer) -> QuerySet[Node]:
    return Node.objects.filter(scope_q(viewer, "")).order_by("path")


def get_node_for(viewer, pk) -> Node:
    node = nodes_for(viewer).filter(pk=pk).first()
    if node is None:
        raise Http404
    return node


def subtree(node: Node) -> QuerySet[Node]:
    return Node.objects.filter(node.subtree_q()).order_by("path")


def social_organisations_for(viewer) -> QuerySet[SocialOrganisation]:
    return SocialOrganisation.objects.filter(scope_q(viewer, "node__")).select_related("node")


def node_by_code_or_id(value: str) -> Node | None:
    value = str(value).strip()
    query = Q(admin_code=value)
    if value.isdigit() and len(value) < 12:
        query |= Q(pk=int(value))
    return Node.objects.filter(query).first()
