from django import forms
from django.utils.translation import gettext_lazy as _

from .models import VisitKind
from .periods import LOCAL_TZ, local_now
from .selectors import companions_for, people_for_visit, place_choices_for, social_orgs_for_visit

NOT_IN_AREA = {
    "people": _("所选青年不在您的辖区内"),
    "social_orgs": _("所选社会组织不在您的辖区内"),
    "companions": _("同行人员须是负责该走访地点的团干部"),
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*", "multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        # The service checks and processes the files; here they only pass through.
        if isinstance(data, (list, tuple)):
            return [f for f in data if f]
        return [data] if data else []


class PlaceField(forms.ModelChoiceField):
    def label_from_instance(self, node):
        return "\u3000" * max(0, node.depth - self.base_depth) + node.name


def _ids(values) -> list[int]:
    ids = []
    for value in values:
        try:
            ids.append(int(value))
        except (TypeError, ValueError):
            ids.append(-1)
    return list(dict.fromkeys(ids))


class VisitForm(forms.Form):
    """走访记录 on a phone: the kind, when, where, whom, what was said. Young people, organisations
    and companions come from the htmx pickers as repeated hidden ids (people, social_orgs, companions)."""

    kind = forms.ChoiceField(label=_("走访类型"), choices=VisitKind.choices, widget=forms.RadioSelect,
                             initial=VisitKind.HOME)
    visited_at = forms.DateTimeField(
        label=_("开始时间"), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    place = PlaceField(label=_("走访地点"), queryset=None, empty_label=None)
    notes = forms.CharField(label=_("走访记录"), required=False, max_length=5000,
                            widget=forms.Textarea(attrs={"rows": 4, "placeholder": _("了解到的情况、青年的想法")}))
    problems = forms.CharField(label=_("青年反映的问题"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("每行一个问题")}),
                               help_text=_("每行一个问题，会逐条记录并跟进"))
    photos = MultipleFileField(label=_("照片"), required=False,
                               help_text=_("最多9张，每张不超过10 MB；保存时自动压缩并去除位置等信息"))
    latitude = forms.CharField(required=False, widget=forms.HiddenInput)
    longitude = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, user, *args, default_place=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        places = place_choices_for(user)
        self.fields["place"].queryset = places
        self.fields["place"].base_depth = min((n.depth for n in places[:1]), default=0)
        if not self.is_bound:
            self.initial.setdefault("visited_at", local_now().replace(second=0, microsecond=0))
            if default_place is not None:
                self.initial.setdefault("place", default_place.pk)
        self.selected = {"people": [], "social_orgs": [], "companions": []}
        if self.is_bound:
            self.fields["place"].widget.attrs["data-chosen"] = "1"  # the script leaves a chosen place alone
            self._resolve_picks()

    def _resolve_picks(self):
        lookups = {
            "people": lambda ids: list(people_for_visit(self.user).filter(pk__in=ids).select_related("home_node")),
            "social_orgs": lambda ids: list(social_orgs_for_visit(self.user).filter(pk__in=ids).select_related("node")),
            "companions": lambda ids: list({m.user_id: m.user for m in companions_for(self.user)
                                            .filter(user_id__in=ids)}.values()),
        }
        self._unresolved = set()
        for name, lookup in lookups.items():
            ids = _ids(self.data.getlist(name) if hasattr(self.data, "getlist") else self.data.get(name, []))
            found = lookup(ids) if ids else []
            order = {pk: i for i, pk in enumerate(ids)}
            self.selected[name] = sorted(found, key=lambda obj: order.get(obj.pk, 0))
            if len(found) != len(ids):
                self._unresolved.add(name)

    def clean_visited_at(self):
        value = self.cleaned_data["visited_at"]
        # datetime-local carries no zone: it is the cadre's wall-clock time in China.
        return value.replace(tzinfo=None).replace(tzinfo=LOCAL_TZ) if value else value

    def clean(self):
        cleaned = super().clean()
        for name in sorted(getattr(self, "_unresolved", ())):
            self.add_error(None, NOT_IN_AREA[name])
        return cleaned

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"kind": data["kind"], "visited_at": data["visited_at"], "place": data["place"],
                "people": self.selected["people"], "social_orgs": self.selected["social_orgs"],
                "companions": self.selected["companions"], "notes": data["notes"],
                "problems": data["problems"].splitlines(), "photos": data["photos"],
                "latitude": data["latitude"] or None, "longitude": data["longitude"] or None}


class VisitDaysForm(forms.Form):
    month = forms.CharField(widget=forms.HiddenInput)
    dates = forms.TypedMultipleChoiceField(required=False, coerce=str, choices=())

    def __init__(self, month, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.month = month
        self.fields["dates"].choices = [(f"{d:%Y-%m-%d}", f"{d:%Y-%m-%d}") for d in month.days]

    def clean_dates(self):
        import datetime as dt
        return [dt.date.fromisoformat(value) for value in self.cleaned_data["dates"]]


class VisitRulesForm(forms.Form):
    year = forms.IntegerField(widget=forms.HiddenInput, min_value=2000, max_value=2100)
    min_evenings_per_month = forms.IntegerField(label=_("每个组织每月至少开展访谈夜（晚）"), min_value=1, max_value=31)
    visited = forms.IntegerField(label=_("每名团干部年度走访青年（人）"), min_value=0, max_value=100000)
    collected = forms.IntegerField(label=_("每名团干部年度收集问题（个）"), min_value=0, max_value=100000)
    solved = forms.IntegerField(label=_("每名团干部年度解决问题（个）"), min_value=0, max_value=100000)
