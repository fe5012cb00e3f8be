from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from youthlink.accounts.access import is_staff_member, roles_at
from youthlink.accounts.models import Role
from youthlink.core.forms import apply_validation_error
from youthlink.orgs.selectors import get_node_for

from . import permissions, services
from .forms import PersonForm, RevealForm
from .models import SENSITIVE_FIELDS, Tag
from .selectors import get_person_for, search_people


def _staff_only(request):
    if not is_staff_member(request.user):
        raise Http404


@login_required
@require_safe
def person_list(request):
    _staff_only(request)
    q = request.GET.get("q", "").strip()
    tag = request.GET.get("tag", "")
    if tag not in Tag.values:
        tag = ""
    node = None
    if request.GET.get("node"):
        node = get_node_for(request.user, request.GET["node"])
    people = list(search_people(request.user, q, tag=tag, node=node, limit=50))
    context = {"people": people, "q": q, "tag": tag, "node": node, "tags": Tag.choices}
    if request.headers.get("HX-Request"):
        return render(request, "people/_results.html", context)
    return render(request, "people/list.html", context)


@login_required
@require_safe
def person_detail(request, pk):
    person = get_person_for(request.user, pk)
    fields = []
    for field, label in SENSITIVE_FIELDS.items():
        fields.append({"name": field, "label": label, "masked": person.masked(field),
                       "has_value": bool(getattr(person, field)),
                       "can_reveal": permissions.can_reveal(request.user, person, field)})
    context = {
        "person": person,
        "sensitive": fields,
        "can_edit": permissions.can_edit(request.user, person),
        "bindings": person.bindings.select_related("cadre").order_by("created_at"),
        "consents": person.consents.all(),
        "is_self": person.user_id == request.user.pk,
        "can_bind": Role.CADRE in roles_at(request.user) and person.user_id != request.user.pk,
    }
    return render(request, "people/detail.html", context)


@login_required
@require_POST
def person_reveal(request, pk, field):
    person = get_person_for(request.user, pk)
    if field not in SENSITIVE_FIELDS:
        raise Http404
    if not permissions.can_reveal(request.user, person, field):
        raise PermissionDenied
    form = RevealForm(request.POST)
    ctx = {"person": person, "f": {"name": field, "label": SENSITIVE_FIELDS[field], "masked": person.masked(field),
                                   "has_value": True, "can_reveal": True}}
    if not form.is_valid():
        ctx["error"] = _("请写明查看事由")
        return render(request, "people/_sensitive_field.html", ctx, status=422)
    try:
        value = services.person_reveal(actor=request.user, person=person, field=field, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        ctx["error"] = " ".join(exc.messages)
        return render(request, "people/_sensitive_field.html", ctx, status=422)
    ctx["revealed"] = value
    return render(request, "people/_sensitive_field.html", ctx)


@login_required
def person_create(request):
    _staff_only(request)
    if not permissions.can_create_somewhere(request.user):
        raise PermissionDenied
    form = PersonForm(request.POST or None, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.person_create(
                actor=request.user, home_node=data["home_node"], name=data["name"], gender=data["gender"],
                birth_date=data["birth_date"], mobile=data["mobile"], id_number=data["id_number"],
                health_notes=data["health_notes"], hardship_notes=data["hardship_notes"], tags=form.tag_pairs())
        except PermissionDenied:
            form.add_error("home_node", _("您无权在该节点下建档"))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("已建档：%s") % person.name)
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/form.html", {"form": form, "title": _("新建青年档案")})


@login_required
def person_edit(request, pk):
    person = get_person_for(request.user, pk)
    if not permissions.can_edit(request.user, person):
        raise PermissionDenied
    initial = {"name": person.name, "gender": person.gender, "birth_date": person.birth_date,
               "home_node": person.home_node, "tags": [t.tag for t in person.tags.all()],
               "sector": next((t.sector for t in person.tags.all() if t.sector), "")}
    form = PersonForm(request.POST or None, viewer=request.user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.person_update(
                actor=request.user, person=person, name=data["name"], gender=data["gender"],
                home_node=data["home_node"], birth_date=data["birth_date"], mobile=data["mobile"] or None, id_number=data["id_number"] or None,
                health_notes=data["health_notes"] or None, hardship_notes=data["hardship_notes"] or None,
                tags=form.tag_pairs())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/form.html", {"form": form, "title": _("修改档案：%s") % person.name, "person": person})
