"""What ratings contributes: menu entries (young people, cadres, county admins), the young
person's home card, the ratings card on a cadre's profile page, and the demo builder."""
from django.utils.translation import gettext_lazy as _

from youthlink.accounts.models import Role
from youthlink.core.registry import register_home_section, register_menu_item, register_profile_section

from . import demo  # noqa: F401  (registers the demo builder)


def _home_youth(user):
    from .permissions import is_young_person
    from .selectors import open_surveys_for, rateable_cadres_for
    if not is_young_person(user):
        return None
    rows = rateable_cadres_for(user)
    surveys = open_surveys_for(user)
    if not rows and not surveys:
        return None
    return {"to_rate": sum(1 for r in rows if not r.rated), "surveys": surveys}


def _profile(viewer, cadre):
    """The rating summary and survey results on a cadre's profile, for the cadre and the committees
    over them (the same rule as the ratings page): never who rated."""
    from .permissions import can_read_ratings_of
    from .selectors import cadre_memberships, cadre_survey_results, rating_summary
    membership = cadre_memberships([cadre.pk]).get(cadre.pk)
    if membership is None or not can_read_ratings_of(viewer, cadre, membership.node):
        return None
    return {"cadre": cadre, "summary": rating_summary(cadre), "surveys": cadre_survey_results(cadre)}


register_menu_item("ratings.mine", _("评价团干部"), "ratings:mine", youth=True, order=40)
register_menu_item("ratings.received", _("我的评价"), "ratings:received", roles={Role.CADRE}, order=40)
register_menu_item("ratings.surveys", _("满意度测评"), "ratings:surveys", roles={Role.ADMIN}, order=41)
register_home_section("ratings.youth", "ratings/_home_youth.html", _home_youth, order=30)
register_profile_section("ratings.summary", "ratings/_profile.html", _profile, order=40)
