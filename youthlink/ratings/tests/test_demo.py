import re
from io import StringIO

import pytest
from django.core.management import call_command

from youthlink.accounts.models import User
from youthlink.core.crypto import keyed_hash
from youthlink.core.demo import FEATURED_MOBILES
from youthlink.ratings import selectors
from youthlink.ratings.models import CadreRating, Survey

pytestmark = pytest.mark.django_db


def test_the_demo_has_ratings_a_survey_with_answers_and_leaves_the_featured_young_person_work_to_do():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    youth = User.objects.get(mobile_hash=keyed_hash(FEATURED_MOBILES["youth"], purpose="mobile"))
    cadre = User.objects.get(mobile_hash=keyed_hash(FEATURED_MOBILES["cadre"], purpose="mobile"))
    survey = Survey.objects.get()
    results = selectors.survey_results(survey)
    summary = selectors.rating_summary(cadre)
    assert CadreRating.objects.filter(person__user=youth).count() == 0
    assert [r.cadre for r in selectors.rateable_cadres_for(youth) if not r.rated] == [cadre]
    assert selectors.open_surveys_for(youth) == [survey]
    assert 0 < results.total.responded < results.total.eligible == survey.eligible_count
    assert summary.count > 0 and summary.comments
    line = rf"^满意度测评答卷\s+{results.total.responded} / {results.total.eligible}$"
    assert re.search(line, out.getvalue(), re.M)
    assert re.search(rf"^青年评价团干部\s+{CadreRating.objects.count()}$", out.getvalue(), re.M)
