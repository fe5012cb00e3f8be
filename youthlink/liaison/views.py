from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from youthlink.accounts.access import roles_at
from youthlink.accounts.models import Role
from youthlink.core.forms import apply_validation_error
from youthlink.orgs.selectors import social_organisations_for
from youthlink.people.selectors import get_person_for, search_people

from . import services
from .forms import JoinForm, LinkForm
from .models import CadreLink, LinkKind
from .qr import qr_svg
from .selectors import bound_people, get_cadre_for, invite_for_token, link_summary


def _invite_url(request, invite) -> str:
    return request.build_absolute_uri(reverse("liaison:join", args=[invite.token]))


def _require_cadre(request):
    if Role.CADRE not in roles_at(request.user):
        raise Http404


def _invite_context(request) -> dict:
    _require_cadre(request)
    inv = services.invite_get_or_create(cadre=request.user)
    url = _invite_url(request, inv)
    return {"invite": inv, "url": url, "qr": mark_safe(qr_svg(url))}  # noqa: S308 - SVG made by qrcode from our URL


@login_required
@require_safe
def invite(request):
    return render(request, "liaison/invite.html", _invite_context(request))


@login_required
@require_safe
def invite_print(request):
    """The printable card (A4/A5) with the cadre's QR code."""
    return render(request, "liaison/invite_print.html", _invite_context(request))


@login_required
@require_POST
def invite_rotate(request):
    _require_cadre(request)
    services.invite_rotate(cadre=request.user)
    messages.success(request, _("已生成新的二维码，旧二维码失效"))
    return redirect("liaison:invite")


def join(request, token):
    """Public: a young person scanned a cadre's QR code."""
    inv = invite_for_token(token)
    if request.user.is_authenticated and getattr(request.user, "young_person", None) is not None:
        if request.method == "POST":
            services.binding_join_existing(user=request.user, invite=inv)
            messages.success(request, _("已成为%s的青年之友") % inv.cadre.display_name)
            return redirect("core:home")
        return render(request, "liaison/join_existing.html", {"invite": inv})
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.youth_register_via_invite(
                invite=inv, name=data["name"], mobile=data["mobile"], password=data["password"],
                birth_date=data["birth_date"], gender=data["gender"], agree_privacy=data["agree_privacy"],
                guardian_name=data["guardian_name"], guardian_relation=data["guardian_relation"],
                guardian_agree=data["guardian_agree"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            login(request, person.user, backend="youthlink.accounts.backends.MobileOrUsernameBackend")
            messages.success(request, _("注册成功，已成为%s的青年之友") % inv.cadre.display_name)
            return redirect("core:home")
    return render(request, "liaison/join.html", {"invite": inv, "form": form})


@login_required
@require_safe
def cadre_detail(request, pk):
    cadre, node = get_cadre_for(request.user, pk)
    context = {
        "cadre": cadre, "node": node, "links": link_summary(cadre),
        "bound": list(bound_people(cadre)[:200]),
        "bound_total": cadre.bindings.count(),
        "is_self": cadre.pk == request.user.pk,
        "social_orgs": social_organisations_for(request.user).order_by("name")[:200],
    }
    return render(request, "liaison/cadre.html", context)


@login_required
@require_safe
def link_candidates(request, pk):
    cadre, node = get_cadre_for(request.user, pk)
    kind = request.GET.get("kind", LinkKind.YOUTH)
    tag = "local_talent" if kind == LinkKind.LOCAL_TALENT else ""
    people = search_people(request.user, request.GET.get("q", ""), tag=tag, limit=20)
    return render(request, "liaison/_candidates.html", {"cadre": cadre, "people": people, "kind": kind})


@login_required
@require_POST
def link_add(request, pk):
    cadre, node = get_cadre_for(request.user, pk)
    form = LinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择要联系的对象"))
        return redirect("liaison:cadre", pk=cadre.pk)
    data = form.cleaned_data
    social_org = person = None
    if data["social_org"]:
        social_org = social_organisations_for(request.user).filter(pk=data["social_org"]).first()
    if data["person"]:
        try:
            person = get_person_for(request.user, data["person"])
        except Http404:
            person = None
    try:
        services.link_add(actor=request.user, cadre=cadre, node=node, kind=data["kind"],
                          social_org=social_org, person=person)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已添加三联"))
    return redirect("liaison:cadre", pk=cadre.pk)


@login_required
@require_POST
def link_remove(request, pk):
    link = CadreLink.objects.select_related("cadre", "node").filter(pk=pk).first()
    if link is None:
        raise Http404
    get_cadre_for(request.user, link.cadre_id)
    try:
        services.link_remove(actor=request.user, link=link)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("已解除"))
    return redirect("liaison:cadre", pk=link.cadre_id)


@login_required
@require_safe
def invite_qr_svg(request):
    return HttpResponse(_invite_context(request)["qr"], content_type="image/svg+xml")



@login_required
@require_POST
def bind_person(request, person_pk):
    _require_cadre(request)
    person = get_person_for(request.user, person_pk)
    try:
        services.binding_create(actor=request.user, person=person)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("已加为青年之友：%s") % person.name)
    return redirect("people:detail", pk=person.pk)
