from ninja import Router, Schema

from .access import memberships

router = Router(tags=["accounts"])


class MembershipOut(Schema):
    node_id: int
    node_name: str
    role: str
    role_label: str


class MeOut(Schema):
    id: int
    name: str
    mobile_masked: str
    memberships: list[MembershipOut]
    young_person_id: int | None


@router.get("/me", response=MeOut)
def me(request):
    user = request.user
    person = getattr(user, "young_person", None)
    return {
        "id": user.pk, "name": user.display_name, "mobile_masked": user.masked_mobile,
        "memberships": [{"node_id": m.node_id, "node_name": m.node.name, "role": m.role,
                         "role_label": str(m.get_role_display())} for m in memberships(user)],
        "young_person_id": person.pk if person else None,
    }
