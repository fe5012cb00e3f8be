"""Helpers for the ratings tests: local moments, young people with accounts, relations, surveys."""
import datetime as dt
import itertools

from youthlink.accounts.models import Role
from youthlink.core.testing import make_staff, make_youth_user
from youthlink.liaison.models import LinkKind
from youthlink.liaison.services import binding_join_existing, invite_get_or_create, link_add
from youthlink.ratings.periods import LOCAL_TZ, local_today
from youthlink.ratings.services import survey_create

_names = itertools.count(1)
QUESTIONS = ["团干部联系您是否及时", "团干部帮助解决问题的效果", "您对团干部工作的总体满意度"]


def at(year, month, day, hour=12, minute=0) -> dt.datetime:
    """A moment in China's local time."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=LOCAL_TZ)


def youth(node, name: str | None = None):
    """A young person with an account: (user, person)."""
    return make_youth_user(node, name or f"青年{next(_names)}")


def bind(user, cadre):
    """The young person scans the cadre's QR code (青年之友), wherever either of them is."""
    binding_join_existing(user=user, invite=invite_get_or_create(cadre=cadre))


def link(county, cadre, person, node=None):
    """The county admin links the young person with the cadre (三联), at the cadre's node."""
    link_add(actor=county.admin, cadre=cadre, node=node or county.township, kind=LinkKind.YOUTH, person=person)


def bound(county, node=None, cadre=None):
    """A young person with an account, bound (青年之友) to the county's cadre (or the given one)."""
    user, person = youth(node or county.village)
    bind(user, cadre or county.cadre)
    return user, person


def linked(county, cadre=None, node=None):
    """A young person with an account, linked (三联) with the county's cadre (or the given one)."""
    user, person = youth(node or county.village)
    link(county, cadre or county.cadre, person)
    return user, person


def cadre(node, name: str | None = None):
    return make_staff(name or f"王干部{next(_names)}", node, Role.CADRE)


def survey(county, *, days_left: int = 14, started_days_ago: int = 1, questions=QUESTIONS, title="青年满意度测评"):
    today = local_today()
    return survey_create(actor=county.admin, county=county.county, title=title,
                         starts_on=today - dt.timedelta(days=started_days_ago),
                         ends_on=today + dt.timedelta(days=days_left), questions=questions)


def scores_for(survey_obj, *values) -> dict:
    questions = list(survey_obj.questions.all())
    values = values or (5,) * len(questions)
    return {q.pk: v for q, v in zip(questions, values)}
