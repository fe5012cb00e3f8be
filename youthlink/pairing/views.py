from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from youthlink.accounts.access import reaches
from youthlink.accounts.models import User
from youthlink.core.forms import apply_validation_error

from . import permissions, services
from .forms import EndForm, EventForm, PairingForm, RulesForm
from .models import TaskStatus
from .pdf import card_pdf
from .qr import qr_svg
from .selectors import (county_of, events_for_pairing, get_pairing_for, get_rules_county_for, is_staff, my_tasks,
                        overdue_tasks_for, pairing_card, person_place, pairings_for, rules_counties_for, rules_for)


def _require_staff(request):
    if not is_staff(request.user):
        raise Http404


def _card_url(request, pairing) -> str:
    return request.build_absolute_uri(reverse("pairing:detail", args=[pairing.pk]))


@login_required
@require_safe
def pairing_list(request):
    """结对: managers see the pairings in their subtree, helpers their own, a young person theirs."""
    ended = request.GET.get("status") == "ended"
    page = Paginator(pairings_for(request.user, active=not ended), 50).get_page(request.GET.get("page"))
    manager = permissions.can_create_pairings(request.user)
    context = {"page": page, "ended": ended, "can_create": manager, "is_staff": is_staff(request.user),
               "overdue_count": overdue_tasks_for(request.user).count() if manager else 0,
               "rules_counties": rules_counties_for(request.user) if manager else []}
    return render(request, "pairing/list.html", context)


@login_required
def pairing_create(request):
    _require_staff(request)
    if not permissions.can_create_pairings(request.user):
        raise PermissionDenied
    initial = {"person": request.GET.get("person")} if request.GET.get("person", "").isdigit() else {}
    form = PairingForm(request.POST or None, viewer=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pairing = services.pairing_create(actor=request.user, person=data["person"],
                                              helper=User.objects.filter(pk=data["helper"]).first())
        except PermissionDenied:
            form.add_error("person", _("您无权为该青年结对"))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("已结对：%(helper)s — %(person)s") % {
                "helper": pairing.helper.display_name, "person": pairing.person.name})
            return redirect("pairing:detail", pk=pairing.pk)
    return render(request, "pairing/form.html", {"form": form})


@login_required
@require_safe
def pairing_detail(request, pk):
    pairing = get_pairing_for(request.user, pk)
    can_record = permissions.can_record_event(request.user, pairing)
    rules = rules_for(county_of(pairing.person.home_node)) if can_record else []
    context = {
        "pairing": pairing,
        "place": person_place(pairing.person),
        "events": events_for_pairing(pairing),
        "can_end": pairing.is_active and permissions.can_end(request.user, pairing),
        "can_record": can_record,
        "event_form": EventForm(rules=rules) if can_record else None,
        "end_form": EndForm(),
        "is_helper": pairing.helper_id == request.user.pk,
        "is_person": pairing.person.user_id == request.user.pk,
        # A helper from another township of the county sees the pairing but not the person's record.
        "can_open_person": reaches(request.user, pairing.person.home_node),
    }
    return render(request, "pairing/detail.html", context)


@login_required
@require_safe
def pairing_card_page(request, pk):
    """The printable contact card (联系卡): the same data as the PDF."""
    pairing = get_pairing_for(request.user, pk)
    card = pairing_card(pairing, _card_url(request, pairing))
    qr = mark_safe(qr_svg(card.url))  # noqa: S308 - SVG made by qrcode from our own URL
    return render(request, "pairing/card.html", {"pairing": pairing, "card": card, "qr": qr})


def card_pdf_response(request, pairing) -> HttpResponse:
    pdf = card_pdf(pairing_card(pairing, _card_url(request, pairing)))
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = _("结对联系卡-%(person)s.pdf") % {"person": pairing.person.name}
    response["Content-Disposition"] = content_disposition_header(False, filename)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def pairing_card_pdf(request, pk):
    return card_pdf_response(request, get_pairing_for(request.user, pk))


@login_required
@require_POST
def pairing_end(request, pk):
    pairing = get_pairing_for(request.user, pk)
    form = EndForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.pairing_end(actor=request.user, pairing=pairing, reason=reason)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已解除结对"))
    return redirect("pairing:detail", pk=pairing.pk)


@login_required
@require_POST
def event_create(request, pk):
    """三必到三必访: record what happened to the paired young person."""
    pairing = get_pairing_for(request.user, pk)
    if not permissions.can_record_event(request.user, pairing):
        raise PermissionDenied
    form = EventForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("pairing:detail", pk=pairing.pk)
    data = form.cleaned_data
    try:
        event = services.must_visit_event_record(actor=request.user, person=pairing.person,
                                                 event_type=data["event_type"], occurred_at=data["occurred_at"],
                                                 note=data["note"])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已登记“%(label)s”，结对人须在%(days)d天内走访") % {
            "label": event.get_event_type_display(), "days": event.deadline_days})
    return redirect("pairing:detail", pk=pairing.pk)


@login_required
@require_safe
def task_list(request):
    """My 三必到 tasks: open ones (overdue in red), then the latest done."""
    _require_staff(request)
    context = {"open_tasks": list(my_tasks(request.user, status=TaskStatus.OPEN)),
               "done_tasks": list(my_tasks(request.user, status=TaskStatus.DONE, limit=20))}
    return render(request, "pairing/tasks.html", context)


@login_required
@require_safe
def overdue_list(request):
    """The township secretary's (and admin's) list of overdue must-visit tasks in their subtree."""
    _require_staff(request)
    if not permissions.can_see_overdue(request.user):
        raise PermissionDenied
    page = Paginator(overdue_tasks_for(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "pairing/overdue.html", {"page": page})


@login_required
def rules(request, county_pk):
    """团县委 sets the county's 三必到三必访 deadlines."""
    county = get_rules_county_for(request.user, county_pk)
    form = RulesForm(request.POST or None, rules=rules_for(county))
    if request.method == "POST" and form.is_valid():
        try:
            services.must_visit_rules_set(actor=request.user, county=county, rules=form.rules())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("已保存%(county)s的三必到三必访规则") % {"county": county.name})
            return redirect("pairing:rules", county_pk=county.pk)
    return render(request, "pairing/rules.html", {"county": county, "form": form})
