"""Named predicates for roster import: county and township committee staff (团县委 admins and
团委书记) bring their rosters in; cadres and micro-elements do not."""
from youthlink.accounts.access import best_role_at, memberships
from youthlink.accounts.models import Role

IMPORT_ROLES = frozenset({Role.ADMIN, Role.SECRETARY})


def can_import_at(user, node) -> bool:
    return best_role_at(user, node) in IMPORT_ROLES


def can_import_somewhere(user) -> bool:
    return any(m.role in IMPORT_ROLES for m in memberships(user))


def can_view_job(user, job) -> bool:
    """Whoever could import into the job's node may follow it and download its rejected rows."""
    return can_import_at(user, job.node)
