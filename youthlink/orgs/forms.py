from django import forms
from django.utils.translation import gettext_lazy as _


class SocialOrganisationForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=120)
    service_area = forms.CharField(label=_("服务领域"), max_length=60, required=False)
    contact_name = forms.CharField(label=_("联系人"), max_length=40, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
