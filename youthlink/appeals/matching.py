"""Matching a request with resource partners (资源对接): the level that handles a request routes it
to a 青联委员 of the right sector (界别), a 青企协 member, an entrepreneurship mentor (创业导师), a
local talent (本土能人), a social organisation or a youth centre (青年之家) of its area.

Candidates are the partners within the handling node's subtree, ranked by how well they fit the
category (its sectors and partner tags), by what they achieved before (requests of the same category
referred to them and solved, with the young people's ratings) and by distance (between the request's
place and the partner's, from the coordinates of the organisation tree). Every point of the score
comes with its reason in words, so whoever routes the request sees why a partner is suggested.

A constant number of queries, however many partners the area has: the candidates (people by tag,
social organisations, youth centres), the past results and the referrals already made."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.db.models import Avg, Count
from django.utils.translation import gettext as _

from youthlink.orgs.models import Node, NodeKind, SocialOrganisation
from youthlink.people.models import PersonTag, Sector, Tag

from .models import CLOSED_STATUSES, AppealReferral, PartnerKind

# A young person's tag → the kind of partner they are.
PERSON_KINDS = {
    Tag.FEDERATION: PartnerKind.FEDERATION,
    Tag.ENTERPRISE_ASSOC: PartnerKind.ENTERPRISE_ASSOC,
    Tag.MENTOR: PartnerKind.MENTOR,
    Tag.LOCAL_TALENT: PartnerKind.LOCAL_TALENT,
}
PERSON_PARTNER_KINDS = frozenset(PERSON_KINDS.values())

# Points. The category fit weighs most: a partner of the wrong field helps no one, however close.
SECTOR_MATCH = 40  # a 青联委员 whose sector the category names
TAG_MATCH = 30  # a partner tag the category names (mentor for 创业, local talent for 帮扶 …)
SOCIAL_SECTOR_MATCH = 20  # a social organisation for a category of the social-work sector
SERVICE_AREA_MATCH = 15  # a social organisation whose service area names the category
YOUTH_CENTRE_BASE = 10  # a youth centre offers every service nearby (一小时青年服务圈)
PER_SOLVED = 8  # each solved request of the same category referred to them, up to SOLVED_CAP
SOLVED_CAP = 5
PER_RATING_POINT = 4  # each point of their average rating above 3 (below 3 counts against)
DISTANCE_POINTS = 20  # at the request's place; one point less per NEAR_KM_STEP km
NEAR_KM_STEP = 2.5
EARTH_RADIUS_KM = 6371.0


@dataclass
class Suggestion:
    kind: str  # PartnerKind
    object: object  # YoungPerson, SocialOrganisation or Node (youth centre)
    score: float
    reasons: list[str] = field(default_factory=list)
    distance_km: float | None = None
    solved: int = 0
    average_rating: float | None = None
    referred: bool = False  # already referred on this request

    @property
    def partner_id(self) -> int:
        return self.object.pk

    @property
    def name(self) -> str:
        return self.object.name

    @property
    def kind_label(self) -> str:
        return str(PartnerKind(self.kind).label)

    @property
    def reason(self) -> str:
        """The reasons in one line, as stored on the referral."""
        return "；".join(self.reasons)


def haversine_km(lat1, lng1, lat2, lng2) -> float:
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp, dl = p2 - p1, math.radians(float(lng2) - float(lng1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _has_coordinates(node) -> bool:
    return node is not None and node.latitude is not None and node.longitude is not None


def _origin(appeal) -> Node | None:
    """Where the request comes from on the map: its node, or the nearest ancestor with coordinates
    (a village may have none while its township has)."""
    node = appeal.node
    if _has_coordinates(node):
        return node
    ancestors = {n.pk: n for n in Node.objects.filter(pk__in=node.ancestor_ids(), latitude__isnull=False,
                                                       longitude__isnull=False)}
    for pk in reversed(node.ancestor_ids()):
        if pk in ancestors:
            return ancestors[pk]
    return None


def _past_results(appeal) -> dict[tuple[str, int], tuple[int, float | None]]:
    """Per partner: how many requests of this category referred to them were solved, and their
    average rating (confirmed ones only; "solved, unconfirmed" counts as solved without a rating)."""
    rows = (AppealReferral.objects
            .filter(appeal__category_id=appeal.category_id, appeal__status__in=CLOSED_STATUSES)
            .exclude(appeal_id=appeal.pk)
            .values("partner_kind", "person_id", "social_org_id", "centre_id")
            .annotate(solved=Count("appeal_id", distinct=True), average=Avg("appeal__rating")))
    results = {}
    for row in rows:
        pk = row["person_id"] or row["social_org_id"] or row["centre_id"]
        results[(row["partner_kind"], pk)] = (row["solved"], row["average"])
    return results


def _referred(appeal) -> set[tuple[str, int]]:
    return {(kind, person or org or centre) for kind, person, org, centre in
            appeal.referrals.values_list("partner_kind", "person_id", "social_org_id", "centre_id")}


def _service_area_matches(service_area: str, category) -> bool:
    area, name = (service_area or "").strip(), category.name.strip()
    if not area or not name:
        return False
    # "志愿服务" and "志愿", "帮扶救助" and "助残帮扶": two characters in common in a row are enough.
    return name in area or area in name or any(name[i:i + 2] in area for i in range(len(name) - 1))


def _score_fit(suggestion: Suggestion, category, tag: PersonTag | None) -> None:
    sectors, tags = set(category.sectors or ()), set(category.partner_tags or ())
    kind, obj = suggestion.kind, suggestion.object
    if tag is not None and tag.tag == Tag.FEDERATION:
        sector_label = str(Sector(tag.sector).label) if tag.sector in Sector.values else ""
        who = _("%(sector)s青联委员") % {"sector": sector_label} if sector_label else str(Tag(tag.tag).label)
        if tag.sector and tag.sector in sectors:
            suggestion.score += SECTOR_MATCH
            reason = _("%(who)s，对口%(category)s类别")
        elif tag.tag in tags:
            reason = _("%(who)s，可协助%(category)s类诉求")
        else:
            reason = "%(who)s"
        if tag.tag in tags:
            suggestion.score += TAG_MATCH
        suggestion.reasons.append(reason % {"who": who, "category": category.name})
    elif tag is not None:
        label = str(Tag(tag.tag).label)
        if tag.tag in tags:
            suggestion.score += TAG_MATCH
            suggestion.reasons.append(_("%(tag)s，对口%(category)s类别") % {"tag": label, "category": category.name})
        else:
            suggestion.reasons.append(label)
    elif kind == PartnerKind.SOCIAL_ORG:
        if Sector.SOCIAL in sectors:
            suggestion.score += SOCIAL_SECTOR_MATCH
            suggestion.reasons.append(_("社会组织，对口%(category)s类别") % {"category": category.name})
        if _service_area_matches(obj.service_area, category):
            suggestion.score += SERVICE_AREA_MATCH
            suggestion.reasons.append(_("服务领域“%(area)s”") % {"area": obj.service_area})
    elif kind == PartnerKind.YOUTH_CENTRE:
        suggestion.score += YOUTH_CENTRE_BASE
        suggestion.reasons.append(_("青年之家，就近提供服务"))


def _score_results(suggestion: Suggestion, results: dict) -> None:
    solved, average = results.get((suggestion.kind, suggestion.partner_id), (0, None))
    if not solved:
        return
    suggestion.solved = solved
    suggestion.score += PER_SOLVED * min(solved, SOLVED_CAP)
    if average is not None:
        suggestion.average_rating = round(float(average), 1)
        suggestion.score += PER_RATING_POINT * (float(average) - 3)
        suggestion.reasons.append(_("已办结同类诉求 %(n)d 件，平均评价 %(rating).1f")
                                  % {"n": solved, "rating": suggestion.average_rating})
    else:
        suggestion.reasons.append(_("已办结同类诉求 %(n)d 件") % {"n": solved})


def _score_distance(suggestion: Suggestion, origin: Node | None, place: Node | None) -> None:
    if not (_has_coordinates(origin) and _has_coordinates(place)):
        return
    km = haversine_km(origin.latitude, origin.longitude, place.latitude, place.longitude)
    suggestion.distance_km = round(km, 1)
    suggestion.score += max(0.0, DISTANCE_POINTS - km / NEAR_KM_STEP)
    suggestion.reasons.append(_("距离 %(km).1f km") % {"km": suggestion.distance_km})


def all_candidates(appeal) -> list[Suggestion]:
    """Every resource partner within the handling node's subtree, scored and explained, those
    already referred on this request included (marked). Best first: score, then nearer, then name."""
    root = appeal.handling_node
    category = appeal.category
    origin = _origin(appeal)
    results = _past_results(appeal)
    referred = _referred(appeal)

    scored: list[tuple[Suggestion, Node | None]] = []
    tags = (PersonTag.objects.filter(root.subtree_q("person__home_node__"), tag__in=list(PERSON_KINDS))
            .select_related("person__home_node").order_by("person_id", "tag"))
    for tag in tags:
        kind = PERSON_KINDS[tag.tag]
        suggestion = Suggestion(kind=kind, object=tag.person, score=0.0)
        _score_fit(suggestion, category, tag)
        scored.append((suggestion, tag.person.home_node))
    for org in SocialOrganisation.objects.filter(root.subtree_q("node__")).select_related("node"):
        suggestion = Suggestion(kind=PartnerKind.SOCIAL_ORG, object=org, score=0.0)
        _score_fit(suggestion, category, None)
        scored.append((suggestion, org.node))
    for centre in Node.objects.filter(root.subtree_q(), kind=NodeKind.YOUTH_CENTRE):
        suggestion = Suggestion(kind=PartnerKind.YOUTH_CENTRE, object=centre, score=0.0)
        _score_fit(suggestion, category, None)
        scored.append((suggestion, centre))

    for suggestion, place in scored:
        _score_results(suggestion, results)
        _score_distance(suggestion, origin, place)
        suggestion.score = round(suggestion.score, 2)
        suggestion.referred = (suggestion.kind, suggestion.partner_id) in referred
    suggestions = [s for s, _place in scored]
    suggestions.sort(key=lambda s: (-s.score, s.distance_km if s.distance_km is not None else math.inf,
                                    s.name, s.kind, s.partner_id))
    return suggestions


def partner_suggestions(appeal, *, limit: int | None = 10) -> list[Suggestion]:
    """The partners to suggest for a request, best first, without those it was referred to already."""
    suggestions = [s for s in all_candidates(appeal) if not s.referred]
    return suggestions if limit is None else suggestions[:limit]


def find_candidate(appeal, partner_kind: str, partner_id) -> Suggestion | None:
    """The scored candidate with this kind and id, if it is one of the request's candidates."""
    try:
        partner_id = int(partner_id)
    except (TypeError, ValueError):
        return None
    for suggestion in all_candidates(appeal):
        if suggestion.kind == partner_kind and suggestion.partner_id == partner_id:
            return suggestion
    return None

