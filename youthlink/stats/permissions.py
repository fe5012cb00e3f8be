"""Who reads dashboards: committee staff (admins) and secretaries, for the subtrees they hold."""
from youthlink.accounts.access import reaches, scope_nodes
from youthlink.accounts.models import Role

DASHBOARD_ROLES = {Role.ADMIN, Role.SECRETARY}


def can_view_dashboard(user, node) -> bool:
    return reaches(user, node, DASHBOARD_ROLES)


def dashboard_roots(user) -> list:
    return scope_nodes(user, DASHBOARD_ROLES)
