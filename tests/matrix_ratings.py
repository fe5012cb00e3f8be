"""Permission-matrix rows of ratings and satisfaction surveys (评价与满意度测评, youthlink/ratings),
merged into tests/matrix_expectations.py. Columns: anonymous | admin, secretary, cadre, micro,
centre_staff, youth_user of the HOME county | the OTHER county.

Objects: the home cadre has linked the home young person (youth_user, 三联), and the home county
admin launched a survey afterwards, so that young person is its only invitee.

Who: only a young person rates, and only a cadre they have a relation with (everyone else, staff
included, gets 404 as for no cadre). The rated cadre reads their own ratings; the committees over
them (the county admin, the township secretary) read them too; nobody else (404). Surveys are the
county admin's (other staff 403 on the pages without an id, 404 on a survey). The answer link is
shared on purpose (like the 青年之友 QR code, see PUBLIC): whoever opens it signed in and is not
in its scope gets a 403 that says why, not a 404, and nothing is saved."""
from __future__ import annotations

from .matrix_expectations import LOGIN, R200, SAME

ALL_405 = (LOGIN, 405, 405, 405, 405, 405, 405, 405)
QUESTIONS = ["团干部联系您是否及时", "您对团干部工作的总体满意度"]

PUBLIC = {"ratings:answer", "api:survey_form", "api:answer_survey"}

# fmt: off
#                                                anon   admin  secr.  cadre  micro  centre youth   other county
MATRIX = {
    # a young person's "rate my cadre": their own list (the other county's young person sees theirs)
    ("ratings:mine", "GET"):                    (LOGIN, 404,   404,   404,   404,   404,   200,    SAME),
    ("ratings:mine", "POST"):                   ALL_405,
    ("ratings:rate", "GET"):                    (LOGIN, 404,   404,   404,   404,   404,   200,    404),
    ("ratings:rate", "POST"):                   (LOGIN, 404,   404,   404,   404,   404,   302,    404),
    # the cadre's own ratings, and a cadre's ratings for the committees over them
    ("ratings:received", "GET"):                (LOGIN, 403,   403,   200,   403,   403,   404,    SAME),
    ("ratings:received", "POST"):               ALL_405,
    ("ratings:cadre", "GET"):                   (LOGIN, 200,   200,   200,   404,   404,   404,    404),
    ("ratings:cadre", "POST"):                  ALL_405,
    # satisfaction surveys: the county admin's; the other county's admin cannot pick the home county
    ("ratings:surveys", "GET"):                 (LOGIN, 200,   403,   403,   403,   403,   404,    SAME),
    ("ratings:surveys", "POST"):                ALL_405,
    ("ratings:survey_create", "GET"):           (LOGIN, 200,   403,   403,   403,   403,   404,    SAME),
    ("ratings:survey_create", "POST"):          (LOGIN, 302,   403,   403,   403,   403,   404,
                                                 (R200, 403,   403,   403,   403,   404)),
    ("ratings:survey", "GET"):                  (LOGIN, 200,   404,   404,   404,   404,   404,    404),
    ("ratings:survey", "POST"):                 ALL_405,
    ("ratings:survey_qr", "GET"):               (LOGIN, 200,   404,   404,   404,   404,   404,    404),
    ("ratings:survey_qr", "POST"):              ALL_405,
    # the shared answer link (PUBLIC): the invited young person answers; anyone else: 403 with the reason
    ("ratings:answer", "GET"):                  (LOGIN, 403,   403,   403,   403,   403,   200,    403),
    ("ratings:answer", "POST"):                 (LOGIN, 403,   403,   403,   403,   403,   302,    403),

    ("api:my_rateable_cadres", "GET"):          (401,   404,   404,   404,   404,   404,   200,    SAME),
    ("api:rate_cadre", "POST"):                 (401,   404,   404,   404,   404,   404,   201,    404),
    ("api:my_ratings", "GET"):                  (401,   403,   403,   200,   403,   403,   404,    SAME),
    ("api:cadre_ratings", "GET"):               (401,   200,   200,   200,   404,   404,   404,    404),
    ("api:list_surveys", "GET"):                (401,   200,   403,   403,   403,   403,   404,    SAME),
    # the secretary's area does not hold the county node: 404 as for a missing county
    ("api:create_survey", "POST"):              (401,   201,   404,   404,   404,   404,   404,    404),
    ("api:my_open_surveys", "GET"):             (401,   404,   404,   404,   404,   404,   200,    SAME),
    ("api:get_survey", "GET"):                  (401,   200,   404,   404,   404,   404,   404,    404),
    ("api:survey_results", "GET"):              (401,   200,   404,   404,   404,   404,   404,    404),
    ("api:survey_form", "GET"):                 (401,   403,   403,   403,   403,   403,   200,    403),
    ("api:answer_survey", "POST"):              (401,   403,   403,   403,   403,   403,   201,    403),
}
# fmt: on


def _link(world) -> int:
    """The home cadre links the home young person (三联), once per world. A link, not a 青年之友
    binding: the young person's own binding through the cadre's QR code is another route's row."""
    link = getattr(world, "ratings_matrix_link", None)
    if link is None:
        from youthlink.liaison.models import LinkKind
        from youthlink.liaison.services import link_add
        home = world.home
        link = link_add(actor=home.cadre, cadre=home.cadre, node=home.township, kind=LinkKind.YOUTH, person=home.youth)
        world.ratings_matrix_link = link
    return link.pk


def _survey(world):
    survey = getattr(world, "ratings_matrix_survey", None)
    if survey is None:
        import datetime as dt

        from youthlink.ratings.periods import local_today
        from youthlink.ratings.services import survey_create
        _link(world)
        today = local_today()
        survey = survey_create(actor=world.home.admin, county=world.home.county, title="青年满意度测评",
                               starts_on=today - dt.timedelta(days=1), ends_on=today + dt.timedelta(days=13),
                               questions=QUESTIONS)
        world.ratings_matrix_survey = survey
    return survey


OBJECTS = {
    "ratings_link": _link,
    "ratings_survey": lambda world: _survey(world).pk,
    "ratings_survey_token": lambda world: _survey(world).token,
    "ratings_county": lambda world: world.home.county.pk,
}

ROUTE_PARAMS = {
    ("ratings:rate", "pk"): "cadre",
    ("ratings:cadre", "pk"): "cadre",
    ("ratings:survey", "pk"): "ratings_survey",
    ("ratings:survey_qr", "pk"): "ratings_survey",
    ("ratings:answer", "token"): "ratings_survey_token",
    ("api:rate_cadre", "cadre_id"): "cadre",
    ("api:cadre_ratings", "cadre_id"): "cadre",
    ("api:get_survey", "survey_id"): "ratings_survey",
    ("api:survey_results", "survey_id"): "ratings_survey",
    ("api:survey_form", "token"): "ratings_survey_token",
    ("api:answer_survey", "token"): "ratings_survey_token",
}


def _dates() -> dict:
    import datetime as dt

    from youthlink.ratings.periods import local_today
    today = local_today()
    return {"starts_on": f"{today:%Y-%m-%d}", "ends_on": f"{today + dt.timedelta(days=14):%Y-%m-%d}"}


def _question_ids(ids) -> list[int]:
    from youthlink.ratings.models import SurveyQuestion
    return list(SurveyQuestion.objects.filter(survey_id=ids.ratings_survey).order_by("position").values_list("pk", flat=True))


PAYLOADS = {
    ("ratings:rate", "POST"): lambda ids: {"score": 5, "comment": "每次有困难都能及时联系上"},
    ("api:rate_cadre", "POST"): lambda ids: {"score": 4, "comment": "上门走访很用心"},
    ("ratings:survey_create", "POST"): lambda ids: {
        "county": ids.ratings_county, "title": "第四季度青年满意度测评", "intro": "", **_dates(),
        "questions": "\n".join(QUESTIONS)},
    ("api:create_survey", "POST"): lambda ids: {
        "county_id": ids.ratings_county, "title": "第四季度青年满意度测评", **_dates(), "questions": QUESTIONS},
    ("ratings:answer", "POST"): lambda ids: {
        **{f"q{pk}": 4 for pk in _question_ids(ids)}, "comment": "希望多组织技能培训"},
    ("api:answer_survey", "POST"): lambda ids: {
        "scores": {str(pk): 5 for pk in _question_ids(ids)}, "comment": "希望多组织技能培训"},
}

_RATE = {"ratings.CadreRating", "audit.AuditEvent"}
_SURVEY = {"ratings.Survey", "ratings.SurveyQuestion", "ratings.SurveyInvitee", "ratings.SurveyInviteeCadre",
           "audit.AuditEvent"}
_ANSWER = {"ratings.SurveyResponse", "ratings.SurveyAnswer", "audit.AuditEvent"}
WRITES = {
    ("ratings:rate", "POST"): _RATE,
    ("api:rate_cadre", "POST"): _RATE,
    ("ratings:survey_create", "POST"): _SURVEY,
    ("api:create_survey", "POST"): _SURVEY,
    ("ratings:answer", "POST"): _ANSWER,
    ("api:answer_survey", "POST"): _ANSWER,
}
# The invitees with an account are notified after commit (not inside the matrix's transaction).
MAY_CHANGE = {
    ("ratings:survey_create", "POST"): {"notifications.Notification"},
    ("api:create_survey", "POST"): {"notifications.Notification"},
}
