"""Who may do what with visits, by role and place in the organisation tree.

Visits name the young people met and what they said, so only the League's own staff read them:
county admins, secretaries and cadres over the place. Micro-elements (volunteers) and youth-centre
workers do not."""
from youthlink.accounts.access import best_role_at, roles_at
from youthlink.accounts.models import Role
from youthlink.orgs.models import NodeKind

LOG_ROLES = frozenset({Role.ADMIN, Role.SECRETARY, Role.CADRE})
READ_ROLES = LOG_ROLES
MANAGE_ROLES = frozenset({Role.ADMIN, Role.SECRETARY})


def can_log_visits(user) -> bool:
    return bool(roles_at(user) & LOG_ROLES)


def can_log_visit_at(user, node) -> bool:
    return best_role_at(user, node) in LOG_ROLES


def can_read_visits(user) -> bool:
    return bool(roles_at(user) & READ_ROLES)


def can_read_visits_at(user, node) -> bool:
    """The month view and the organisations visited of a node."""
    return best_role_at(user, node) in READ_ROLES


def can_set_visit_days(user, node) -> bool:
    """集中夜访日 are set by the county or township committee (its admin or secretary)."""
    return best_role_at(user, node) in MANAGE_ROLES


def can_read_targets_at(user, node) -> bool:
    """The table of every cadre against the yearly targets; a cadre sees their own on the home page."""
    return best_role_at(user, node) in MANAGE_ROLES


def can_set_rules(user, county) -> bool:
    return county.kind == NodeKind.COUNTY and best_role_at(user, county) == Role.ADMIN


def can_add_photos(user, visit) -> bool:
    """Photos are added later only by the cadres who made the visit."""
    return any(p.user_id == user.pk for p in visit.participant_rows.all())
