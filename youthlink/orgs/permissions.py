from youthlink.accounts.access import best_role_at
from youthlink.accounts.models import Role


def can_manage_social_orgs(user, node) -> bool:
    return best_role_at(user, node) in {Role.ADMIN, Role.SECRETARY}
