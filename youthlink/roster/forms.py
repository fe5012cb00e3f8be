from django import forms
from django.utils.translation import gettext_lazy as _


class RosterUploadForm(forms.Form):
    """The node is a plain id here: a node outside the viewer's area must answer 404, not a form
    error, so the view looks it up through the scoped selector."""

    node = forms.IntegerField(label=_("导入到"), error_messages={"required": _("请选择导入到哪个组织")})
    file = forms.FileField(label=_("名册文件（.xlsx）"), error_messages={"required": _("请选择名册文件"),
                                                                     "empty": _("文件是空的")})
