from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe
from django.utils.translation import gettext as _

from youthlink.core.forms import apply_validation_error

from youthlink.accounts.access import is_staff_member, scope_nodes
from youthlink.liaison.selectors import binding_rate, cadre_rows
from youthlink.people.models import YoungPerson

from .models import Node
from .forms import SocialOrganisationForm
from .permissions import can_manage_social_orgs
from .selectors import get_node_for
from .services import social_organisation_create


@login_required
@require_safe
def node_list(request):
    if not is_staff_member(request.user):
        raise Http404
    return render(request, "orgs/list.html", {"nodes": scope_nodes(request.user)})


@login_required
@require_safe
def node_detail(request, pk):
    node = get_node_for(request.user, pk)
    low, high = Node.subtree_range(node.path)
    children = list(node.children.order_by("kind", "name"))
    people_counts = dict(YoungPerson.objects.filter(home_node__path__gte=low, home_node__path__lt=high)
                         .values_list("home_node__path").annotate(n=Count("id")).values_list("home_node__path", "n"))
    for child in children:
        c_low, c_high = Node.subtree_range(child.path)
        child.people_count = sum(n for path, n in people_counts.items() if c_low <= path < c_high)
    rows = cadre_rows(node)
    context = {
        "node": node,
        "ancestors": list(Node.objects.filter(pk__in=node.ancestor_ids()[:-1]).order_by("depth")),
        "children": children,
        "people_total": sum(people_counts.values()),
        "binding": binding_rate(node),
        "cadres": rows,
        "unlinked": [r for r in rows if r.missing],
        "social_orgs": list(node.social_organisations.order_by("name")),
        "can_add_social_org": can_manage_social_orgs(request.user, node),
    }
    return render(request, "orgs/detail.html", context)


@login_required
def social_org_create(request, pk):
    node = get_node_for(request.user, pk)
    if not can_manage_social_orgs(request.user, node):
        raise PermissionDenied
    form = SocialOrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org = social_organisation_create(actor=request.user, node=node, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("已添加社会组织：%s") % org.name)
            return redirect("orgs:detail", pk=node.pk)
    return render(request, "orgs/social_org_form.html", {"form": form, "node": node})
