from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MAX_RADIUS_M, MIN_RADIUS_M, Grade


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


class CheckInForm(forms.Form):
    """报到: the browser fills the hidden position fields; all empty means unlocated."""
    latitude = forms.CharField(required=False, widget=forms.HiddenInput)
    longitude = forms.CharField(required=False, widget=forms.HiddenInput)
    accuracy = forms.CharField(required=False, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("异地报到原因"), required=False, max_length=200,
                             widget=forms.TextInput(attrs={"placeholder": _("例如：今天在镇里开会，晚上再去村里")}))


class EntryForm(forms.Form):
    work_log = forms.CharField(label=_("工作记录"), required=False, max_length=5000,
                               widget=forms.Textarea(attrs={"rows": 6, "placeholder": _("今天做了什么、见了谁、解决了什么")}))
    reflections = forms.CharField(label=_("心得体会"), required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 4, "placeholder": _("体会、不足和下一步打算")}))
    links = forms.MultipleChoiceField(label=_("关联当天的走访和诉求"), required=False,
                                      widget=forms.CheckboxSelectMultiple)
    photos = MultipleFileField(label=_("照片"), required=False,
                               help_text=_("最多9张，每张不超过10 MB；保存时自动压缩并去除位置等信息"))

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["links"].choices = [(f"{kind}:{pk}", label) for kind, pk, label, _url in items]


class ReviewForm(forms.Form):
    grade = forms.ChoiceField(label=_("评定等级"), choices=Grade.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("点评意见"), max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("肯定的地方和改进的建议")}))


class CommentForm(forms.Form):
    body = forms.CharField(label=_("评论"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class ContactPointForm(forms.Form):
    node = forms.ModelChoiceField(label=_("联系点"), queryset=None, empty_label=None)

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = choices


class RadiusForm(forms.Form):
    radius_m = forms.IntegerField(label=_("报到范围（米）"), min_value=MIN_RADIUS_M, max_value=MAX_RADIUS_M)
