"""Who may do what with ratings and surveys.

Ratings: only a young person rates, and only a cadre they are bound to (青年之友), linked with (三联)
or were visited by. The cadre and the committees over them (admins, secretaries) read the average
and the comments, never who wrote them; nobody else reads them. Surveys belong to the county
committee: its admins (and the city's, above them) launch them and read the results."""
from django.core.exceptions import ObjectDoesNotExist

from youthlink.accounts.access import best_role_at, is_staff_member, roles_at
from youthlink.accounts.models import Role
from youthlink.orgs.models import NodeKind

READ_RATINGS_ROLES = frozenset({Role.ADMIN, Role.SECRETARY})
SURVEY_ROLES = frozenset({Role.ADMIN})


def young_person_of(user):
    """The young person's record behind a login, or None for staff and accounts without one."""
    if not getattr(user, "is_authenticated", False) or is_staff_member(user):
        return None
    try:
        return user.young_person
    except ObjectDoesNotExist:  # an account without a record
        return None


def is_young_person(user) -> bool:
    return young_person_of(user) is not None


def can_read_ratings_of(user, cadre, cadre_node) -> bool:
    return user.pk == cadre.pk or best_role_at(user, cadre_node) in READ_RATINGS_ROLES


def can_list_surveys(user) -> bool:
    return bool(roles_at(user) & SURVEY_ROLES)


def can_manage_surveys_at(user, node) -> bool:
    """A survey is launched for a county (区/县) by an admin over it."""
    return node.kind == NodeKind.COUNTY and best_role_at(user, node) in SURVEY_ROLES
