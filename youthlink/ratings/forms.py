import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MAX_SCORE, MIN_SCORE
from .periods import local_today
from .services import MAX_COMMENT, MAX_INTRO, MAX_SURVEY_COMMENT, MAX_TITLE

SCORE_CHOICES = [(s, str(s)) for s in range(MAX_SCORE, MIN_SCORE - 1, -1)]
SCORE_LABELS = {5: _("非常满意"), 4: _("满意"), 3: _("一般"), 2: _("不满意"), 1: _("很不满意")}
DEFAULT_QUESTIONS = [
    _("团干部联系您是否及时"),
    _("团干部帮助解决问题的效果"),
    _("您对团干部工作的总体满意度"),
]


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(label=_("评分"), choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect,
                                   error_messages={"required": _("请选择 1 到 5 分"),
                                                   "invalid_choice": _("请选择 1 到 5 分")})
    comment = forms.CharField(label=_("评语（选填）"), required=False, max_length=MAX_COMMENT,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def service_kwargs(self) -> dict:
        return {"score": self.cleaned_data["score"], "comment": self.cleaned_data["comment"]}


class SurveyForm(forms.Form):
    county = forms.ModelChoiceField(label=_("县/区"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("标题"), max_length=MAX_TITLE)
    intro = forms.CharField(label=_("说明（选填）"), required=False, max_length=MAX_INTRO,
                            widget=forms.Textarea(attrs={"rows": 2}))
    starts_on = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    ends_on = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    questions = forms.CharField(label=_("题目（每行一题，按 1–5 分作答）"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, counties, *args, **kwargs):
        today = local_today()
        kwargs.setdefault("initial", {
            "title": _("%(year)s年第%(q)s季度青年满意度测评") % {"year": today.year, "q": (today.month - 1) // 3 + 1},
            "starts_on": today, "ends_on": today + dt.timedelta(days=14),
            "questions": "\n".join(str(q) for q in DEFAULT_QUESTIONS)})
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"county": data["county"], "title": data["title"], "intro": data["intro"],
                "starts_on": data["starts_on"], "ends_on": data["ends_on"],
                "questions": data["questions"].splitlines()}


class AnswerForm(forms.Form):
    comment = forms.CharField(label=_("其他意见和建议（选填）"), required=False, max_length=MAX_SURVEY_COMMENT,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, questions, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[f"q{question.pk}"] = forms.TypedChoiceField(
                label=question.text, choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect,
                error_messages={"required": _("请为这一题打分"), "invalid_choice": _("请为这一题打分")})

    def question_fields(self):
        return [self[f"q{q.pk}"] for q in self.questions]

    def service_kwargs(self) -> dict:
        return {"scores": {q.pk: self.cleaned_data[f"q{q.pk}"] for q in self.questions},
                "comment": self.cleaned_data["comment"]}
