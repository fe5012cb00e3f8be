from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CollectedFrom, Kind, Source
from .selectors import categories_for, place_choices_for


class PlaceField(forms.ModelChoiceField):
    def label_from_instance(self, node):
        return "\u3000" * max(0, node.depth - self.base_depth) + node.name


class AppealForm(forms.Form):
    """诉求 on a phone: what kind, which area, a short title, what happened; where a micro-element
    collected it and whether the person agreed to its publication."""

    source = forms.ChoiceField(label=_("来源"), choices=Source.choices, widget=forms.RadioSelect)
    kind = forms.ChoiceField(label=_("类型"), choices=Kind.choices, widget=forms.RadioSelect, initial=Kind.REQUEST)
    category = forms.ModelChoiceField(label=_("类别"), queryset=None, empty_label=_("请选择"))
    title = forms.CharField(label=_("标题"), max_length=80,
                            widget=forms.TextInput(attrs={"placeholder": _("一句话说清需要什么帮助"), "autocomplete": "off"}))
    body = forms.CharField(label=_("详细情况"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 5, "placeholder": _("遇到的困难、已经做过的努力、希望得到怎样的帮助")}))
    node = PlaceField(label=_("所在地"), queryset=None, required=False, empty_label=None)
    subject_name = forms.CharField(label=_("当事人"), max_length=50, required=False,
                                   help_text=_("只有审核和办理人员能看到，公开时自动隐去"))
    subject_mobile = forms.CharField(label=_("当事人手机号（选填）"), max_length=20, required=False,
                                     widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
                                     help_text=_("已登记的青年会收到办理进展，并可确认和评价"))
    is_minor = forms.BooleanField(label=_("当事人是未成年人"), required=False)
    collected_from = forms.ChoiceField(label=_("收集渠道"), choices=[("", _("请选择"))] + CollectedFrom.choices,
                                       required=False)
    consent_to_publish = forms.BooleanField(label=_("当事人同意在青联圈公开（隐去姓名、电话等信息）"), required=False)
    consent_note = forms.CharField(label=_("同意方式"), max_length=120, required=False,
                                   widget=forms.TextInput(attrs={"placeholder": _("如：本人微信同意；未成年人须监护人同意")}))

    def __init__(self, user, sources, source, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["source"].choices = [(s, Source(s).label) for s in sources]
        self.fields["source"].initial = source
        if len(sources) == 1:
            self.fields["source"].widget = forms.HiddenInput()
        self.fields["category"].queryset = categories_for(user)
        if source == Source.SELF:
            for name in ("node", "subject_name", "subject_mobile", "is_minor", "consent_note"):
                del self.fields[name]
            self.fields["consent_to_publish"].label = _("同意在青联圈公开（会隐去姓名、电话等信息）")
        else:
            places = place_choices_for(user, source)
            self.fields["node"].queryset = places
            self.fields["node"].required = True
            self.fields["node"].base_depth = min((n.depth for n in places), default=0)
        if source != Source.COLLECTED and "collected_from" in self.fields:
            del self.fields["collected_from"]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {key: data[key] for key in (
            "source", "kind", "category", "title", "body", "node", "subject_name", "subject_mobile", "is_minor",
            "collected_from",
            "consent_to_publish", "consent_note") if key in data}


class ReviewForm(forms.Form):
    public_title = forms.CharField(label=_("公开标题"), max_length=80, required=False)
    public_body = forms.CharField(label=_("公开内容"), max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 6}))
    is_complex = forms.BooleanField(label=_("复杂诉求（办结时限更长）"), required=False)
    reason = forms.CharField(label=_("不通过原因"), max_length=300, required=False)
    into = forms.IntegerField(label=_("合并到"), required=False)


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("类别名称"), max_length=20, required=False)
    response_days = forms.IntegerField(label=_("首次响应时限（工作日）"), initial=1)
    resolve_days = forms.IntegerField(label=_("办结时限（工作日）"), initial=5)
    complex_resolve_days = forms.IntegerField(label=_("复杂诉求办结时限（工作日）"), initial=13)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)
