"""{% load appeal_handling %}{% handling_actions appeal user as h %}: what the handling panel shows this
viewer — which actions they may take, and (for those who read the request in full) the handling
records and referrals. Three queries at most (records, their photos, referrals)."""
from django import template

from .. import permissions, selectors
from ..handling_forms import RespondForm

register = template.Library()


@register.simple_tag
def handling_actions(appeal, user) -> dict:
    full = permissions.reads_in_full(user, appeal)
    return {
        "full": full,
        "can_escalate": permissions.can_escalate(user, appeal),
        "can_refer": permissions.can_refer(user, appeal),
        "can_respond": permissions.can_respond(user, appeal),
        "can_resolve": permissions.can_resolve(user, appeal),
        "can_confirm": permissions.can_confirm(user, appeal),
        "updates": list(selectors.handling_updates_for(appeal)) if full else [],
        "referrals": list(selectors.referrals_for(appeal)) if full else [],
        "respond_form": RespondForm(),
    }
