"""Named predicates for what a viewer may do with a young person's record."""
from youthlink.accounts.access import best_role_at, roles_at
from youthlink.accounts.models import Role

# Which role may unmask which field (and only after giving a reason, which is audited).
REVEAL_ROLES = {
    "mobile": {Role.ADMIN, Role.SECRETARY, Role.CADRE},
    "id_number": {Role.ADMIN},
    "health_notes": {Role.ADMIN, Role.SECRETARY},
    "hardship_notes": {Role.ADMIN, Role.SECRETARY},
}


def can_view(user, person) -> bool:
    if getattr(person, "user_id", None) and person.user_id == user.pk:
        return True
    return best_role_at(user, person.home_node) is not None


def can_reveal(user, person, field: str) -> bool:
    role = best_role_at(user, person.home_node)
    return role is not None and role in REVEAL_ROLES.get(field, set())


def can_edit(user, person) -> bool:
    return best_role_at(user, person.home_node) in {Role.ADMIN, Role.SECRETARY, Role.CADRE}


CREATOR_ROLES = {Role.ADMIN, Role.SECRETARY, Role.CADRE}


def can_create_somewhere(user) -> bool:
    return bool(roles_at(user) & CREATOR_ROLES)


def can_create_at(user, node) -> bool:
    return best_role_at(user, node) in {Role.ADMIN, Role.SECRETARY, Role.CADRE}
