from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ChannelKind
from .selectors import channel_node_choices


class NodeField(forms.ModelChoiceField):
    def label_from_instance(self, node):
        return "\u3000" * max(0, node.depth - self.base_depth) + node.name


class ChannelForm(forms.Form):
    """Parses input only; the service checks it (URL scheme, addresses, secret) with Chinese errors."""

    node = NodeField(label=_("组织"), queryset=None, empty_label=None)
    kind = forms.ChoiceField(label=_("渠道类型"), choices=ChannelKind.choices)
    name = forms.CharField(label=_("名称"), max_length=200, required=False,
                           widget=forms.TextInput(attrs={"placeholder": _("例如：县团委干部群")}))
    url = forms.CharField(label=_("Webhook 地址"), max_length=2000, required=False,
                          widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "off"}))
    secret = forms.CharField(label=_("签名密钥（钉钉加签、飞书签名校验、通用 Webhook，可不填）"), max_length=2000,
                             required=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    clear_secret = forms.BooleanField(label=_("清除已保存的签名密钥"), required=False)
    addresses = forms.CharField(label=_("收件邮箱（每行一个，或用逗号分隔）"), required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))
    include_descendants = forms.BooleanField(label=_("也接收下级组织的消息"), required=False, initial=True)
    enabled = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, viewer, *args, channel=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.channel = channel
        if channel is None:
            nodes = channel_node_choices(viewer)
            self.fields["node"].queryset = nodes
            self.fields["node"].base_depth = min((n.depth for n in nodes[:1]), default=0)
            del self.fields["clear_secret"]
        else:
            del self.fields["node"], self.fields["kind"]
            self.fields["url"].widget.attrs["placeholder"] = (
                _("已保存：%(url)s（不修改请留空）") % {"url": channel.masked_url} if channel.url else "")
            if channel.secret:
                self.fields["secret"].widget.attrs["placeholder"] = _("已设置（不修改请留空）")
            else:
                del self.fields["clear_secret"]

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["addresses"] = [data["addresses"]] if data.get("addresses") else []
        if self.channel is not None:
            data["clear_secret"] = data.get("clear_secret", False)
        return data
