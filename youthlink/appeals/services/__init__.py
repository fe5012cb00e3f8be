"""Writes of the requests feature (听结办). Each transition is one function, called by the pages and
the API alike: intake and review in `intake`, handling (escalation, referral, resolution, rating,
the deadline jobs) in `handling`."""
from .categories import category_create, category_update  # noqa: F401
from .handling import (appeal_confirm, appeal_escalate, appeal_refer, appeal_resolve, appeal_respond,  # noqa: F401
                       appeals_close_unconfirmed, appeals_escalate_overdue)
from .intake import (appeal_assign, appeal_claim, appeal_comment, appeal_keep_private, appeal_merge,  # noqa: F401
                     appeal_publish, appeal_reject, appeal_submit, preview_public_text)
