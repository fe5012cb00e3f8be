"""Where a viewer may look: the union of the subtrees of their active staff memberships.
Computed once per user object and reused by every selector in the request."""
from __future__ import annotations

from django.db.models import Q

from .models import Membership, Role

NOTHING = Q(pk__in=[])


def memberships(user) -> list[Membership]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_yl_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user, is_active=True).select_related("node"))
        user._yl_memberships = cached
    return cached


def roles_at(user) -> set[str]:
    return {m.role for m in memberships(user)}


def is_staff_member(user) -> bool:
    return bool(memberships(user))


def scope_nodes(user, roles: set[str] | None = None):
    nodes = [m.node for m in memberships(user) if roles is None or m.role in roles]
    # Drop nodes already inside another one's subtree: fewer OR terms in every query.
    nodes.sort(key=lambda n: n.path)
    kept = []
    for node in nodes:
        if not any(node.path.startswith(k.path) for k in kept):
            kept.append(node)
    return kept


def scope_q(user, prefix: str, roles: set[str] | None = None) -> Q:
    """Q over a model whose `{prefix}path` is a node path, limited to the viewer's subtrees."""
    nodes = scope_nodes(user, roles)
    if not nodes:
        return NOTHING
    query = Q()
    for node in nodes:
        query |= node.subtree_q(prefix)
    return query


def reaches(user, node, roles: set[str] | None = None) -> bool:
    return any(node.path.startswith(n.path) for n in scope_nodes(user, roles))


def best_role_at(user, node) -> str | None:
    """The strongest role the user holds over this node (admin > secretary > cadre > micro > staff)."""
    order = [Role.ADMIN, Role.SECRETARY, Role.CADRE, Role.CENTRE_STAFF, Role.MICRO]
    held = {m.role for m in memberships(user) if node.path.startswith(m.node.path)}
    for role in order:
        if role in held:
            return role
    return None
