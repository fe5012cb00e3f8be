from django import forms
from django.utils.translation import gettext_lazy as _

from youthlink.people.models import Gender


class JoinForm(forms.Form):
    birth_date = forms.DateField(label=_("出生日期"), widget=forms.DateInput(attrs={"type": "date"}))
    guardian_name = forms.CharField(label=_("监护人姓名"), max_length=50, required=False)
    guardian_relation = forms.ChoiceField(
        label=_("监护人与本人关系"), required=False,
        choices=[("", "—"), ("父亲", _("父亲")), ("母亲", _("母亲")), ("祖父母", _("祖父母")),
                 ("外祖父母", _("外祖父母")), ("其他监护人", _("其他监护人"))])
    guardian_agree = forms.BooleanField(label=_("我是该未成年人的监护人，已阅读隐私告知并同意登记其信息"), required=False)
    name = forms.CharField(label=_("姓名"), max_length=50)
    gender = forms.ChoiceField(label=_("性别"), choices=Gender.choices, initial=Gender.UNKNOWN)
    mobile = forms.CharField(label=_("手机号"), max_length=30,
                             widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}))
    password = forms.CharField(label=_("设置密码"), min_length=8, strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                               help_text=_("至少8位，不能全是数字"))
    agree_privacy = forms.BooleanField(label=_("我已阅读并同意《隐私告知》"), required=False)

    def clean_password(self):
        from django.contrib.auth.password_validation import validate_password
        password = self.cleaned_data["password"]
        validate_password(password)
        return password


class LinkForm(forms.Form):
    kind = forms.ChoiceField(choices=[("social_org", "social_org"), ("local_talent", "local_talent"), ("youth", "youth")])
    social_org = forms.IntegerField(required=False)
    person = forms.IntegerField(required=False)
