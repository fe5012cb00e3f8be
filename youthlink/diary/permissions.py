"""Who may do what with the work diary (工作网络日记), by role and place in the organisation tree.

- A cadre (团干部) checks in and writes their own diary; they read their own entries, grades and
  comments, and answer comments on them.
- Reviewers (调阅点评) are the committees over the cadre: admins of the county (or city) and the
  secretary of the township (乡镇团委书记) the cadre works in. They read the submitted entries of the
  cadres in their subtree, grade and comment on them once each, and comment back and forth. Nobody
  reviews their own entry (a secretary who is also a cadre goes to the county's queue).
- Drafts are the cadre's alone. Micro-elements, youth-centre workers and young people have no diary.
- The contact point of a cadre is set by a reviewer over the cadre, or by the cadre among the nodes
  they work over; the check-in radius of a county by its admin."""
from youthlink.accounts.access import best_role_at, reaches, roles_at
from youthlink.accounts.models import Role
from youthlink.orgs.models import NodeKind

from .models import EntryStatus

REVIEW_ROLES = frozenset({Role.ADMIN, Role.SECRETARY})
CADRE_ROLES = frozenset({Role.CADRE})


def can_keep_diary(user) -> bool:
    return Role.CADRE in roles_at(user)


def can_review_at(user, node) -> bool:
    return best_role_at(user, node) in REVIEW_ROLES


def can_review_anything(user) -> bool:
    return bool(roles_at(user) & REVIEW_ROLES)


def can_read_entry(user, entry) -> bool:
    if entry.cadre_id == user.pk:
        return True
    return entry.status != EntryStatus.DRAFT and can_review_at(user, entry.node)


def can_review_entry(user, entry) -> bool:
    return (entry.status == EntryStatus.SUBMITTED and entry.cadre_id != user.pk
            and can_review_at(user, entry.node))


def can_comment(user, entry) -> bool:
    return entry.status != EntryStatus.DRAFT and can_read_entry(user, entry)


def can_read_cadre(user, cadre, cadre_node) -> bool:
    """The cadre profile: the cadre themself and the committees over them."""
    return cadre.pk == user.pk or can_review_at(user, cadre_node)


def can_set_contact_point(user, cadre, cadre_node) -> bool:
    return cadre.pk == user.pk or can_review_at(user, cadre_node)


def can_use_as_contact_point(cadre, node) -> bool:
    """A contact point lies where the cadre works and has coordinates to check in against."""
    return node.latitude is not None and node.longitude is not None and reaches(cadre, node, CADRE_ROLES)


def can_send_summary(user, cadre, cadre_node) -> bool:
    return cadre.pk != user.pk and can_review_at(user, cadre_node)


def can_set_radius(user, county) -> bool:
    return county.kind == NodeKind.COUNTY and best_role_at(user, county) == Role.ADMIN
