"""What ratings contributes: menu entries (young people, cadres, county admins), the young
person's home card, the ratings card on a cadre's profile page, and the demo builder."""
from django.utils.translation import gettext_lazy as _

from youthlink.accounts.models import Role
from youthlink.core.registry import Source, register_figure, register_home_section, register_menu_item, register_profile_section

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


# --- dashboard figures (youthlink.stats) ----------------------------------------------------------

def _ratings():
    from .models import CadreRating
    return CadreRating.objects.select_related("cadre", "person__home_node")


def _answers():
    from .models import SurveyAnswer
    return SurveyAnswer.objects.select_related("response__survey", "response__invitee__person__home_node")


register_figure("ratings.satisfaction", _("青年满意度"), kind="mean", unit=_("分"), order=48,
                help=_("青年给团干部的评分和满意度测评各题得分（1–5分）的平均值，按青年所属地统计"), sources=(
    Source(queryset=_ratings, node="person__home_node", date="created_at", fields=("score",),
           value=lambda row: row["score"], title=_("青年对团干部的评价"),
           label=lambda r: f"{r.created_at:%Y-%m-%d} {r.cadre.name or r.cadre.username} · {r.score}"),
    Source(queryset=_answers, node="response__invitee__person__home_node", date="response__submitted_at",
           fields=("score",), value=lambda row: row["score"], title=_("满意度测评答卷"),
           label=lambda a: f"{a.response.submitted_at:%Y-%m-%d} {a.response.survey.title} · {a.score}"),
))
