from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, QuerySet, Value
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from youthlink.accounts.access import best_role_at, memberships, scope_q
from youthlink.accounts.models import Membership, Role, User
from youthlink.orgs.models import Node
from youthlink.people.models import YoungPerson
from youthlink.people.selectors import people_for

from .models import Binding, CadreInvite, CadreLink, LinkKind

SHORT_LABELS = {LinkKind.SOCIAL_ORG: _("社会组织"), LinkKind.LOCAL_TALENT: _("本土能人"), LinkKind.YOUTH: _("青年")}


def _missing(social_org, local_talent, youth) -> list:
    return [SHORT_LABELS[kind] for kind, have in ((LinkKind.SOCIAL_ORG, social_org),
                                                  (LinkKind.LOCAL_TALENT, local_talent),
                                                  (LinkKind.YOUTH, youth)) if not have]


def cadre_memberships_under(node: Node) -> QuerySet[Membership]:
    return (Membership.objects.filter(node.subtree_q("node__"), role=Role.CADRE, is_active=True)
            .select_related("user", "node"))


def cadre_node(cadre: User) -> Node | None:
    for m in memberships(cadre):
        if m.role == Role.CADRE:
            return m.node
    return None


def get_cadre_for(viewer, pk) -> tuple[User, Node]:
    """A cadre the viewer may look at: themself, or a cadre in the viewer's subtree. 404 otherwise."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    membership = (Membership.objects.filter(user_id=pk, role=Role.CADRE, is_active=True)
                  .select_related("user", "node").first())
    if membership is None:
        raise Http404
    if membership.user_id != viewer.pk and best_role_at(viewer, membership.node) not in {Role.ADMIN, Role.SECRETARY}:
        raise Http404
    return membership.user, membership.node


def bound_people(cadre: User) -> QuerySet[YoungPerson]:
    return (YoungPerson.objects.filter(bindings__cadre=cadre).select_related("home_node")
            .prefetch_related("tags").order_by("-bindings__created_at", "id"))


def invite_for_token(token: str) -> CadreInvite:
    invite = CadreInvite.objects.select_related("cadre", "node").filter(token=token).first()
    if invite is None or not invite.cadre.is_active:
        raise Http404
    return invite


@dataclass
class LinkSummary:
    social_org: CadreLink | None = None
    local_talent: CadreLink | None = None
    youth: list = field(default_factory=list)

    @property
    def missing(self) -> list:
        return _missing(self.social_org, self.local_talent, self.youth)

    @property
    def complete(self) -> bool:
        return not self.missing


def link_summary(cadre: User) -> LinkSummary:
    summary = LinkSummary()
    for link in (CadreLink.objects.filter(cadre=cadre).select_related("social_org", "person", "person__home_node")
                 .order_by("created_at", "id")):
        if link.kind == LinkKind.SOCIAL_ORG:
            summary.social_org = link
        elif link.kind == LinkKind.LOCAL_TALENT:
            summary.local_talent = link
        else:
            summary.youth.append(link)
    return summary


@dataclass
class CadreRow:
    membership: Membership
    social_org: int = 0
    local_talent: int = 0
    youth: int = 0
    bound: int = 0

    @property
    def missing(self) -> list:
        return _missing(self.social_org, self.local_talent, self.youth)


def cadre_rows(node: Node) -> list[CadreRow]:
    """Every cadre under the node with link and binding counts: three queries whatever the size."""
    rows = {m.user_id: CadreRow(membership=m) for m in cadre_memberships_under(node).order_by("node__path", "user__name")}
    if not rows:
        return []
    counts = defaultdict(dict)
    for item in (CadreLink.objects.filter(node.subtree_q("node__"))
                 .values("cadre_id", "kind").annotate(n=Count("id"))):
        counts[item["cadre_id"]][item["kind"]] = item["n"]
    bound = dict(Binding.objects.filter(node.subtree_q("node__")).values("cadre_id")
                 .annotate(n=Count("id")).values_list("cadre_id", "n"))
    for cadre_id, row in rows.items():
        row.social_org = counts[cadre_id].get(LinkKind.SOCIAL_ORG, 0)
        row.local_talent = counts[cadre_id].get(LinkKind.LOCAL_TALENT, 0)
        row.youth = counts[cadre_id].get(LinkKind.YOUTH, 0)
        row.bound = bound.get(cadre_id, 0)
    return list(rows.values())


@dataclass
class BindingRate:
    cadres: int
    bound_cadres: int

    @property
    def rate(self) -> float | None:
        return self.bound_cadres / self.cadres if self.cadres else None

    @property
    def percent(self) -> str:
        return "—" if self.rate is None else f"{self.rate * 100:.1f}%"


def binding_rate(node: Node) -> BindingRate:
    """Cadres under the node with at least one bound young person ÷ all cadres under the node."""
    cadres = (Membership.objects.filter(node.subtree_q("node__"), role=Role.CADRE, is_active=True)
              .values("user_id").distinct())
    bound = cadres.filter(Exists(Binding.objects.filter(cadre_id=OuterRef("user_id"))))
    return BindingRate(cadres=cadres.count(), bound_cadres=bound.count())


def local_talents_for(viewer) -> QuerySet[YoungPerson]:
    return people_for(viewer).filter(tags__tag="local_talent")


def links_in_scope(viewer) -> QuerySet[CadreLink]:
    return CadreLink.objects.filter(scope_q(viewer, "node__"))




# --- providers for other features (registered in registrations.py) --------------------------------

def related_cadres_of_person(person) -> dict[int, str]:
    """"cadres.related_to_person": the cadres this young person is bound to (青年之友) or linked with
    (三联 youth link), {cadre_id: reason}. One query."""
    kinds: dict[int, set[str]] = {}
    bound = Binding.objects.filter(person_id=person.pk).values_list("cadre_id", flat=True)
    linked = CadreLink.objects.filter(person_id=person.pk, kind=LinkKind.YOUTH).values_list("cadre_id", flat=True)
    for cadre_id, kind in (bound.annotate(kind=Value("binding")).values_list("cadre_id", "kind")
                           .union(linked.annotate(kind=Value("link")).values_list("cadre_id", "kind"))):
        kinds.setdefault(cadre_id, set()).add(kind)
    # A UNION comes back in no particular order (PostgreSQL and SQLite differ): the binding first.
    labels = (("binding", _("青年之友")), ("link", _("三联")))
    return {cadre_id: "、".join(str(label) for kind, label in labels if kind in found)
            for cadre_id, found in kinds.items()}


def youth_of_cadres(cadre_ids) -> list[tuple[int, int]]:
    """"cadres.youth_of": (cadre_id, person_id) for every young person bound to (青年之友) or linked
    with (三联) one of the cadres. `cadre_ids` may be a list or a values() queryset (then it stays a
    subquery): one query whatever the number of cadres."""
    bound = Binding.objects.filter(cadre_id__in=cadre_ids).values_list("cadre_id", "person_id")
    linked = (CadreLink.objects.filter(cadre_id__in=cadre_ids, kind=LinkKind.YOUTH)
              .values_list("cadre_id", "person_id"))
    return list(bound.union(linked))
