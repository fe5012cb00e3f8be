"""Who may do what with visits, by role and place in the organisation tree.

Visits name the young people met and what they said, so only the League's own staff read the
visits over a place: county admins, secretaries and cadres. A micro-element (微元素, a volunteer) is
not staff but helps a paired young person (结对帮扶), so they log their own visits in their area and
read only the visits they made (as the one who logged it or as a companion); the month view, the
organisations visited, the 集中夜访日, the targets and the rules stay with the staff. Youth-centre
workers have no visits."""
from youthlink.accounts.access import best_role_at, reaches, roles_at
from youthlink.accounts.models import Role
from youthlink.orgs.models import NodeKind

STAFF_ROLES = frozenset({Role.ADMIN, Role.SECRETARY, Role.CADRE})
LOG_ROLES = STAFF_ROLES | {Role.MICRO}
# Read every visit whose place lies in the subtree (a micro-element reads only their own visits).
READ_ROLES = STAFF_ROLES
# Who may go along on a visit: the staff over its place, never a micro-element.
COMPANION_ROLES = STAFF_ROLES
MANAGE_ROLES = frozenset({Role.ADMIN, Role.SECRETARY})


def can_log_visits(user) -> bool:
    return bool(roles_at(user) & LOG_ROLES)


def can_log_visit_at(user, node) -> bool:
    # Not best_role_at: a youth-centre worker over the township who is also a village's micro-element
    # still logs in that village.
    return reaches(user, node, LOG_ROLES)


def can_list_visits(user) -> bool:
    """The visit list and its API: the staff's list of their area, a micro-element's of their own."""
    return bool(roles_at(user) & LOG_ROLES)


def reads_only_own_visits(user) -> bool:
    """A micro-element sees, beyond any staff area of theirs, only the visits they took part in
    (logged or went along on), not every visit of their village."""
    return Role.MICRO in roles_at(user)


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
    """Photos are added later only by those who made the visit."""
    return any(p.user_id == user.pk for p in visit.participant_rows.all())
