"""Who may do what with pairings (结对) and must-visit tasks (三必到三必访)."""
from youthlink.accounts.access import best_role_at, roles_at
from youthlink.accounts.models import Role

# Township / village secretaries and county (or city) admins pair helpers and youth, and end pairings.
MANAGER_ROLES = {Role.ADMIN, Role.SECRETARY}
# Who can be a helper: cadres (团干部, incl. part-time) and micro-elements (微元素 volunteers).
HELPER_ROLES = {Role.CADRE, Role.MICRO}


def can_create_pairings(user) -> bool:
    return bool(roles_at(user) & MANAGER_ROLES)


def can_pair_at(user, node) -> bool:
    """May pair a young person whose home is `node` (and end such a pairing)."""
    return best_role_at(user, node) in MANAGER_ROLES


def can_end(user, pairing) -> bool:
    return can_pair_at(user, pairing.person.home_node)


def can_record_event(user, pairing) -> bool:
    """The helper of an active pairing, or a secretary / admin over the young person."""
    if not pairing.is_active:
        return False
    return pairing.helper_id == user.pk or can_pair_at(user, pairing.person.home_node)


def can_see_overdue(user) -> bool:
    return can_create_pairings(user)


def can_manage_rules(user, county) -> bool:
    """三必到 deadlines are the county committee's (团县委) to set."""
    return best_role_at(user, county) == Role.ADMIN
