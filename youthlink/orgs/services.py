from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from youthlink.audit.models import AuditAction
from youthlink.audit.services import audit_record

from .models import ALLOWED_CHILDREN, Node, NodeKind, SocialOrganisation


@transaction.atomic
def node_create(
    *,
    name: str,
    kind: str,
    parent: Node | None = None,
    admin_code: str | None = None,
    latitude: Decimal | float | None = None,
    longitude: Decimal | float | None = None,
) -> Node:
    allowed = ALLOWED_CHILDREN[NodeKind(parent.kind) if parent else None]
    if kind not in allowed:
        raise ValidationError(_("“%(kind)s”不能设在“%(parent)s”之下") % {
            "kind": NodeKind(kind).label, "parent": parent.name if parent else _("根")})
    node = Node(name=name.strip(), kind=kind, parent=parent, admin_code=admin_code or None,
                latitude=latitude, longitude=longitude)
    node.full_clean(exclude=["path", "depth"])
    node.save()
    node.path = Node.make_path(parent.path if parent else "", node.pk)
    node.depth = (parent.depth + 1) if parent else 0
    Node.objects.filter(pk=node.pk).update(path=node.path, depth=node.depth)
    return node


@transaction.atomic
def social_organisation_create(*, actor=None, node: Node, name: str, service_area: str = "",
                               contact_name: str = "", contact_phone: str = "") -> SocialOrganisation:
    org = SocialOrganisation(node=node, name=name.strip(), service_area=service_area,
                             contact_name=contact_name, contact_phone=contact_phone)
    org.full_clean()
    org.save()
    audit_record(actor=actor, action=AuditAction.SOCIAL_ORG_CREATE, target=org, node=node)
    return org
