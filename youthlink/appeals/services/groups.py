"""Posting requests to the committees' group robots and e-mail lists (outbound channels), as the
township secretary posts a need to the county cadres' group in 听结办. What leaves the platform is the
public title of a published request, or only its category for one handled privately, and a link."""
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from youthlink.notifications.services import channel_post

from .common import detail_url


def post_to_groups(*, appeal, node, title: str, dedupe_key: str) -> int:
    """`title` is a msgid with a `%(title)s` placeholder (marked with gettext_noop by the caller),
    written in the site's language whoever triggered it."""
    with translation.override(settings.LANGUAGE_CODE):
        label = (appeal.public_title if appeal.is_public
                 else _("一件%(category)s类诉求（不公开办理）") % {"category": appeal.category.name})
        return channel_post(node=node, title=_(title) % {"title": label},
                            body=f"{appeal.category.name} · {appeal.get_level_display()}",
                            url=detail_url(appeal), dedupe_key=dedupe_key,
                            kind="appeals")
