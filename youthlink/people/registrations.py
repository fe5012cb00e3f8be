"""What the people feature contributes: the count of young people on record (联系青年)."""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from youthlink.core.registry import Source, register_figure


def _people():
    from .models import YoungPerson
    return YoungPerson.objects.select_related("home_node")


register_figure("people.youth", _("联系青年"), kind="stock", unit=_("人"), order=14, sources=Source(
    queryset=_people, node="home_node", date="created_at", title=_("青年档案"),
    label=lambda p: f"{p.name} · {p.home_node.name}", url=lambda p: reverse("people:detail", args=[p.pk])),
    help=_("至期末在册的青年（名册导入、青年之友绑定、走访登记）"))
