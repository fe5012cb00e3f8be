from django import forms
from django.utils.translation import gettext, gettext_lazy as _

from .models import MAX_DEADLINE_DAYS, MIN_DEADLINE_DAYS, EventType
from .selectors import helper_memberships_for, person_candidates_for


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person):
        age = gettext("，%(age)d岁") % {"age": person.age} if person.age is not None else ""
        paired = gettext("（已结对）") if getattr(person, "active_pairings", 0) else ""
        return f"{person.name}（{person.home_node.name}{age}）{paired}"


class PairingForm(forms.Form):
    # Neither error echoes the submitted id: a record elsewhere must look exactly like a missing one.
    person = PersonChoiceField(label=_("结对青年（困难青少年）"), queryset=None, empty_label=_("请选择"),
                               error_messages={"invalid_choice": _("请选择本辖区内的困难青少年")})
    helper = forms.TypedChoiceField(label=_("结对人（团干部或微元素）"), coerce=int,
                                    error_messages={"invalid_choice": _("请选择本县的团干部或微元素")})

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = person_candidates_for(viewer)
        seen, choices = set(), [("", _("请选择"))]
        for m in helper_memberships_for(viewer):
            if m.user_id in seen:
                continue
            seen.add(m.user_id)
            choices.append((m.user_id, f"{m.user.display_name} · {m.get_role_display()} · {m.node.name}"))
        self.fields["helper"].choices = choices


# app.css styles the other input types; until it lists datetime-local too, the same look inline.
DATETIME_STYLE = ("width:100%;font:inherit;padding:.6rem .65rem;border:1px solid #c9ced6;border-radius:8px;"
                  "background:#fff;min-height:44px")


class EventForm(forms.Form):
    event_type = forms.ChoiceField(label=_("事项"), choices=EventType.choices)
    occurred_at = forms.DateTimeField(label=_("发生时间"), required=False,
                                      widget=forms.DateTimeInput(attrs={"type": "datetime-local", "style": DATETIME_STYLE}),
                                      help_text=_("不填则为现在"))
    note = forms.CharField(label=_("情况说明"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, rules=(), **kwargs):
        super().__init__(*args, **kwargs)
        if rules:
            self.fields["event_type"].choices = [
                (r.event_type, _("%(label)s（%(days)d天内走访）") % {"label": r.label, "days": r.deadline_days})
                for r in rules if r.enabled]


class EndForm(forms.Form):
    reason = forms.CharField(label=_("解除原因"), required=False, max_length=200)


class RulesForm(forms.Form):
    """One number and one switch per event type: `<type>_days`, `<type>_enabled`."""

    def __init__(self, *args, rules=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for r in rules:
            days = forms.IntegerField(label=r.label, min_value=MIN_DEADLINE_DAYS, max_value=MAX_DEADLINE_DAYS,
                                      initial=r.deadline_days)
            enabled = forms.BooleanField(label=_("启用"), required=False, initial=r.enabled)
            self.fields[f"{r.event_type}_days"] = days
            self.fields[f"{r.event_type}_enabled"] = enabled
            self.rows.append((r, f"{r.event_type}_days", f"{r.event_type}_enabled"))

    def bound_rows(self):
        return [(rule, self[days], self[enabled]) for rule, days, enabled in self.rows]

    def rules(self) -> dict:
        return {rule.event_type: {"deadline_days": self.cleaned_data[days], "enabled": self.cleaned_data[enabled]}
                for rule, days, enabled in self.rows}
