from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404

from youthlink.accounts.access import scope_nodes, scope_q
from youthlink.orgs.models import Node, NodeKind

from .models import Channel, Delivery, DeliveryStatus, Notification
from .permissions import MANAGE_ROLES


def notifications_for(user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


# --- outbound channels -------------------------------------------------------------------------------

def channels_for(viewer) -> QuerySet[Channel]:
    """The channels of every node in the viewer's committee subtrees."""
    return Channel.objects.filter(scope_q(viewer, "node__", MANAGE_ROLES)).select_related("node")


def get_channel_for(viewer, pk) -> Channel:
    """A channel of a node in any of the viewer's staff areas (404 beyond them); whether they may
    manage it is the caller's check (permissions.can_manage_channels_at)."""
    channel = Channel.objects.filter(scope_q(viewer, "node__"), pk=_int(pk)).select_related("node").first()
    if channel is None:
        raise Http404
    return channel


def channel_node_choices(viewer) -> QuerySet[Node]:
    """Where a committee configures a channel: its own nodes, and the counties and townships below."""
    own = [n.pk for n in scope_nodes(viewer, MANAGE_ROLES)]
    return (Node.objects.filter(scope_q(viewer, "", MANAGE_ROLES))
            .filter(Q(pk__in=own) | Q(kind__in=[NodeKind.CITY, NodeKind.COUNTY, NodeKind.TOWNSHIP]))
            .order_by("path"))


def channels_receiving(node: Node) -> list[Channel]:
    """The enabled channels a message posted at `node` goes to: the node's own, and those of its
    ancestors that take their subtree's messages (a county's cadres' group hears its townships)."""
    ancestors = node.ancestor_ids()[:-1]
    return list(Channel.objects.filter(enabled=True)
                .filter(Q(node=node) | Q(node_id__in=ancestors, include_descendants=True))
                .order_by("node__path", "id"))


_STATUS_ORDER = Case(When(status=DeliveryStatus.FAILED, then=Value(0)),
                     When(status=DeliveryStatus.PENDING, then=Value(1)), default=Value(2),
                     output_field=IntegerField())


def deliveries_for(viewer, status: str = "") -> QuerySet[Delivery]:
    """Deliveries to the channels of the viewer's subtrees, failed first, then pending, newest first.
    E-mails to single users are not listed here (their addresses are personal): Django admin."""
    qs = (Delivery.objects.filter(scope_q(viewer, "channel__node__", MANAGE_ROLES), channel__isnull=False)
          .select_related("channel__node"))
    if status in DeliveryStatus.values:
        qs = qs.filter(status=status)
    return qs.annotate(status_order=_STATUS_ORDER).order_by("status_order", "-created_at", "-id")


def get_delivery_for(viewer, pk) -> Delivery:
    """Like get_channel_for: found in any staff area of the viewer, managed only by the committee."""
    delivery = (Delivery.objects.filter(scope_q(viewer, "channel__node__"), channel__isnull=False, pk=_int(pk))
                .select_related("channel__node").first())
    if delivery is None:
        raise Http404
    return delivery


def failed_deliveries_count(viewer) -> int:
    return deliveries_for(viewer, DeliveryStatus.FAILED).count()


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None
