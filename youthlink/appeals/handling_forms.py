"""Forms of the handling pages. They parse what the phone sent; the services check it (the same
checks for the page and the API), and their errors are put back onto the form."""
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PartnerKind


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*", "multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        # youthlink.core.photos checks and cleans the files in the service; here they only pass through.
        if isinstance(data, (list, tuple)):
            return [f for f in data if f]
        return [data] if data else []


class EscalateForm(forms.Form):
    note = forms.CharField(label=_("上报说明"), required=False, max_length=1000, widget=forms.Textarea(
        attrs={"rows": 5, "placeholder": _("已经做了什么，为什么需要上级协调，需要什么支持")}))


class ReferForm(forms.Form):
    partner_kind = forms.ChoiceField(choices=PartnerKind.choices)
    partner_id = forms.IntegerField(min_value=1)
    note = forms.CharField(label=_("转交说明"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("请对方协助的事项（可不填）")}))


class RespondForm(forms.Form):
    body = forms.CharField(label=_("答复或进展"), required=False, max_length=5000, widget=forms.Textarea(
        attrs={"rows": 3, "placeholder": _("告诉青年现在的进展")}))


class ResolveForm(forms.Form):
    body = forms.CharField(label=_("办理结果"), required=False, max_length=5000, widget=forms.Textarea(
        attrs={"rows": 6, "placeholder": _("做了什么、结果如何、还需要青年做什么")}))
    photos = PhotosField(label=_("照片"), required=False,
                         help_text=_("最多 9 张；位置等隐藏信息会被自动去除"))


RATINGS = [(n, "★" * n) for n in range(1, 6)]


class ConfirmForm(forms.Form):
    solved = forms.TypedChoiceField(
        label=_("问题解决了吗？"), coerce=lambda v: v == "yes", widget=forms.RadioSelect,
        choices=[("yes", _("已解决")), ("no", _("还没解决"))])
    rating = forms.TypedChoiceField(label=_("评价"), required=False, coerce=int, empty_value=None,
                                    choices=RATINGS, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("说说您的感受或还没解决的地方"), required=False, max_length=500,
                              widget=forms.Textarea(attrs={"rows": 3}))
