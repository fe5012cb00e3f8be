"""What the organisation tree contributes: youth centres (青年之家 / 青公社) counted as nodes."""
from django.utils.translation import gettext_lazy as _

from youthlink.core.registry import Source, register_figure

from .models import NodeKind


def _centres():
    from .models import Node
    return Node.objects.filter(kind=NodeKind.YOUTH_CENTRE).select_related("parent")


register_figure("orgs.youth_centres", _("青年之家"), kind="stock", unit=_("个"), order=60, sources=Source(
    queryset=_centres, node="", date=None, title=_("青年之家"),
    label=lambda n: f"{n.name} · {n.parent.name if n.parent else ''}"))
