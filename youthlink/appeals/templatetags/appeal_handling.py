"""{% load appeal_handling %}{% handling_actions appeal user as h %}: what the handling panel shows this
viewer — which actions they may take, and (for those who read the request in full) the handling
records (and, for staff, the referrals with their reasons). Three queries at most (records, their
photos, referrals)."""
from django import template

from youthlink.accounts.access import best_role_at

from .. import permissions, selectors
from ..handling_forms import RespondForm

register = template.Library()


@register.simple_tag
def handling_actions(appeal, user) -> dict:
    full = permissions.reads_in_full(user, appeal)
    # the referrals with the reasons they were picked (scores, distances) are the handling side's
    staff = full and (permissions.may_handle(user, appeal)
                      or best_role_at(user, appeal.node) in permissions.READ_ROLES)
    return {
        "full": full,
        "can_escalate": permissions.can_escalate(user, appeal),
        "can_refer": permissions.can_refer(user, appeal),
        "can_respond": permissions.can_respond(user, appeal),
        "can_resolve": permissions.can_resolve(user, appeal),
        "can_confirm": permissions.can_confirm(user, appeal),
        "updates": list(selectors.handling_updates_for(appeal)) if full else [],
        "referrals": list(selectors.referrals_for(appeal)) if staff else [],
        "respond_form": RespondForm(),
    }
