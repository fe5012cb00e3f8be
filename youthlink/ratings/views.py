"""Pages: a young person's "rate my cadre" list and form, the survey answer page (phone-first),
a cadre's ratings (their own, or one under a committee), and the county's survey pages."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from youthlink.accounts.access import is_staff_member, roles_at
from youthlink.accounts.models import Role
from youthlink.core.forms import apply_validation_error

from . import permissions, selectors, services
from .forms import SCORE_LABELS, AnswerForm, RatingForm, SurveyForm
from .periods import quarter_key, quarter_label
from .qr import qr_png


def _young_only(request):
    """Rating pages are young people's: staff get the same 404 as a page that does not exist."""
    if not permissions.is_young_person(request.user):
        raise Http404


def _staff_only(request):
    if not is_staff_member(request.user):
        raise Http404


def _answer_url(request, survey) -> str:
    return request.build_absolute_uri(reverse("ratings:answer", args=[survey.token]))


@login_required
@require_safe
def mine(request):
    """评价团干部: the cadres I may rate, with those I already rated this quarter."""
    _young_only(request)
    return render(request, "ratings/mine.html", {
        "rows": selectors.rateable_cadres_for(request.user), "surveys": selectors.open_surveys_for(request.user),
        "quarter": quarter_label(quarter_key())})


@login_required
def rate(request, pk):
    row = selectors.get_rateable_cadre_for(request.user, pk)
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cadre_rate(actor=request.user, cadre=row.cadre, **form.service_kwargs())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("感谢您的评价！评价是匿名的，团干部看不到是谁写的。"))
            return redirect("ratings:mine")
    return render(request, "ratings/rate.html", {"row": row, "form": form, "labels": SCORE_LABELS,
                                                 "quarter": quarter_label(quarter_key())})


def _cadre_page(request, cadre, node, own: bool):
    return render(request, "ratings/cadre.html", {
        "cadre": cadre, "node": node, "own": own, "summary": selectors.rating_summary(cadre),
        "surveys": selectors.cadre_survey_results(cadre), "labels": SCORE_LABELS})


@login_required
@require_safe
def received(request):
    """A cadre's own ratings: the average and the comments, not who wrote them."""
    _staff_only(request)
    if Role.CADRE not in roles_at(request.user):
        raise PermissionDenied
    cadre, node = selectors.get_cadre_for(request.user, request.user.pk)
    return _cadre_page(request, cadre, node, own=True)


@login_required
@require_safe
def cadre_ratings(request, pk):
    cadre, node = selectors.get_cadre_for(request.user, pk)
    return _cadre_page(request, cadre, node, own=cadre.pk == request.user.pk)


@login_required
@require_safe
def survey_list(request):
    _staff_only(request)
    if not permissions.can_list_surveys(request.user):
        raise PermissionDenied
    return render(request, "ratings/surveys.html", {"surveys": selectors.surveys_for(request.user)})


@login_required
def survey_create(request):
    _staff_only(request)
    if not permissions.can_list_surveys(request.user):
        raise PermissionDenied
    form = SurveyForm(selectors.county_choices_for(request.user), request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_create(actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("测评已发起，共 %(n)d 名青年可以填写") % {"n": survey.eligible_count})
            return redirect("ratings:survey", pk=survey.pk)
    return render(request, "ratings/survey_form.html", {"form": form})


@login_required
@require_safe
def survey_detail(request, pk):
    """Results per cadre and per node, with response rates, and the link and QR code to share."""
    survey = selectors.get_survey_for(request.user, pk)
    return render(request, "ratings/survey.html", {
        "survey": survey, "results": selectors.survey_results(survey), "url": _answer_url(request, survey)})


@login_required
@require_safe
def survey_qr(request, pk):
    survey = selectors.get_survey_for(request.user, pk)
    response = HttpResponse(qr_png(_answer_url(request, survey)), content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="survey-{survey.pk}.png"'
    return response


@login_required
def answer(request, token):
    """The survey a young person opens from the shared link or QR code: once, while it is open, and
    only if they were in its scope at launch; anyone else gets a clear refusal (403)."""
    survey = selectors.survey_for_token(token)
    person = permissions.young_person_of(request.user)
    invitee = selectors.invitee_for(survey, person)
    if invitee is None:
        reason = (_("满意度测评仅供受邀青年填写") if person is None else
                  _("您不在本次测评的范围内：只有发起时与本县/区团干部结为青年之友或三联的青年可以填写"))
        return render(request, "ratings/answer_refused.html", {"survey": survey, "reason": reason}, status=403)
    answered = hasattr(invitee, "response")
    form = AnswerForm(list(survey.questions.all()), request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_answer(actor=request.user, survey=survey, **form.service_kwargs())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("提交成功，感谢您的参与！"))
            return redirect("ratings:answer", token=survey.token)
    return render(request, "ratings/answer.html", {
        "survey": survey, "form": form, "answered": answered, "status": survey.status(), "labels": SCORE_LABELS})
