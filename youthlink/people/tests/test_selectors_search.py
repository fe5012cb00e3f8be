import pytest
from django.contrib.auth.models import AnonymousUser

from youthlink.core.testing import make_person
from youthlink.people.selectors import search_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(world):
    village = world.home.village
    return {name: make_person(village, name, mobile=mobile) for name, mobile in [
        ("张三丰", "13711112222"), ("张珊", "13711113333"), ("曾小贤", "13600001234"), ("解晓东", "13600005678"),
        ("区家明", "13600009999"), ("欧阳锋", "13600008888"), ("王五", "15912348000"),
    ]}


def names(qs):
    return sorted(p.name for p in qs)


@pytest.mark.parametrize("typed", ["zsf", "zhangsanfeng", "ZSF", "zhang san feng", "张三丰", "三丰"])
def test_pinyin_initials_full_pinyin_and_characters_find_zhang_sanfeng(world, named, typed):
    assert names(search_people(world.home.admin, typed)) == ["张三丰"]


def test_pinyin_prefix_finds_everyone_it_starts(world, named):
    assert names(search_people(world.home.admin, "zhangs")) == ["张三丰", "张珊"]


@pytest.mark.parametrize("typed, expected", [
    ("zengxiaoxian", "曾小贤"), ("zxx", "曾小贤"), ("cengxiaoxian", "曾小贤"),
    ("xiexiaodong", "解晓东"), ("jiexiaodong", "解晓东"),
    ("oujiaming", "区家明"), ("qujiaming", "区家明"),
    ("shanxiongxin", "单雄信"), ("danxiongxin", "单雄信"), ("sxx", "单雄信"),
    ("ouyangfeng", "欧阳锋"), ("oyf", "欧阳锋"),
])
def test_polyphonic_surnames_found_by_surname_and_everyday_reading(world, named, typed, expected):
    assert names(search_people(world.home.admin, typed)) == [expected]


def test_last_four_digits_of_mobile(world, named):
    assert names(search_people(world.home.admin, "8000")) == ["单雄信", "王五"]


def test_full_mobile_uses_the_keyed_hash(world, named):
    assert names(search_people(world.home.admin, "+86 137-1111-2222")) == ["张三丰"]


def test_search_never_crosses_into_another_county(world, named):
    assert names(search_people(world.other.admin, "zsf")) == []
    assert names(search_people(world.other.admin, "sxx")) == ["单雄信"]  # the other county's own


def test_young_person_finds_only_themself(world, named):
    assert names(search_people(world.home.youth_user, "")) == ["泰顺青年"]


def test_who_sees_which_records(world):
    from youthlink.accounts.models import Role
    from youthlink.core.testing import make_staff
    from youthlink.people.selectors import people_for
    home, other = world.home, world.other
    # a young person sees only themself
    assert list(people_for(home.youth_user)) == [home.youth]
    # staff see their subtree, not the other county
    seen = set(people_for(home.secretary))
    assert home.person in seen and home.youth in seen and other.person not in seen
    # a cadre who is also a young person on record elsewhere still finds their own record
    cadre = make_staff("双重身份", home.township, Role.CADRE)
    own = make_person(other.village, "双重身份", user=cadre)
    seen = set(people_for(cadre))
    assert own in seen and home.person in seen and other.person not in seen
    assert list(people_for(AnonymousUser())) == []
