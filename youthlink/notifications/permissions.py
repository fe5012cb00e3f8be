"""Who configures outbound channels and reads their deliveries: the committee of a node — county
and city admins (团县委/团市委) and township or village secretaries (团委书记) — for the nodes of
their subtree. Cadres and volunteers post through the features, never configure."""
from youthlink.accounts.access import reaches, roles_at
from youthlink.accounts.models import Role

MANAGE_ROLES = frozenset({Role.ADMIN, Role.SECRETARY})


def can_manage_channels(user) -> bool:
    return bool(roles_at(user) & MANAGE_ROLES)


def can_manage_channels_at(user, node) -> bool:
    return reaches(user, node, MANAGE_ROLES)
