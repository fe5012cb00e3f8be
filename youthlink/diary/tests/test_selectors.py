import datetime as dt

import pytest
from django.http import Http404

from youthlink.accounts.models import Role
from youthlink.core.testing import make_staff
from youthlink.diary import selectors, services
from youthlink.diary.models import CheckIn, CheckInStatus, EntryStatus, Grade

from .helpers import check_in, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen(frozen):
    return frozen


def entry_on(cadre, node, day: dt.date, *, text="走访"):
    checkin = CheckIn.objects.create(cadre=cadre, node=node, checked_at=dt.datetime.combine(
        day, dt.time(9), tzinfo=selectors.LOCAL_TZ), local_date=day, status=CheckInStatus.UNLOCATED, radius_m=500)
    return services.diary_entry_submit(actor=cadre, checkin=checkin, work_log=text)


def test_the_queue_is_oldest_first_and_only_of_the_viewers_subtree(world, frozen):
    home, other = world.home, world.other
    second_cadre = make_staff("周干部", home.township, Role.CADRE)
    first = submitted(home)
    frozen.shift(dt.timedelta(hours=1))
    second = entry_on(second_cadre, home.village, dt.date(2026, 11, 18))  # an older day, submitted later
    submitted(other)
    draft = services.diary_draft_save(actor=second_cadre, checkin=CheckIn.objects.create(
        cadre=second_cadre, node=home.village, checked_at=selectors.local_now(), local_date=dt.date(2026, 11, 20),
        status=CheckInStatus.UNLOCATED, radius_m=500), work_log="草稿")
    assert list(selectors.review_queue(home.admin)) == [first, second]
    assert list(selectors.review_queue(home.secretary)) == [first, second]
    assert list(selectors.review_queue(other.admin)) == [other.cadre.diary_entries.get()]
    assert draft not in selectors.review_queue(home.admin)
    for viewer in (home.cadre, home.micro, home.centre_staff, home.youth_user):
        assert list(selectors.review_queue(viewer)) == []
    services.diary_entry_review(actor=home.admin, entry=first, grade=Grade.GOOD, comment="好")
    assert list(selectors.review_queue(home.secretary)) == [second]


def test_a_secretary_who_is_also_a_cadre_does_not_see_their_own_entry_in_the_queue(world):
    home = world.home
    from youthlink.accounts.services import membership_grant
    membership_grant(user=home.secretary, node=home.township, role=Role.CADRE)
    own = entry_on(home.secretary, home.village, dt.date(2026, 11, 19))
    assert list(selectors.review_queue(home.secretary)) == []
    assert list(selectors.review_queue(home.admin)) == [own]


def test_get_entry_for_answers_404_for_missing_and_forbidden_alike(world):
    home = world.home
    entry = submitted(home)
    for viewer in (home.admin, home.secretary, home.cadre):
        assert selectors.get_entry_for(viewer, entry.pk) == entry
    for viewer in (home.micro, home.centre_staff, home.youth_user, world.other.admin, world.other.cadre):
        with pytest.raises(Http404):
            selectors.get_entry_for(viewer, entry.pk)
    for pk in (999999, "abc", None):
        with pytest.raises(Http404):
            selectors.get_entry_for(home.admin, pk)


def test_drafts_are_the_cadres_alone(world):
    home = world.home
    draft = services.diary_draft_save(actor=home.cadre, checkin=check_in(home), work_log="草稿")
    assert selectors.get_entry_for(home.cadre, draft.pk) == draft
    with pytest.raises(Http404):
        selectors.get_entry_for(home.admin, draft.pk)
    assert list(selectors.entry_list(home.admin)) == []
    assert list(selectors.entry_list(home.cadre)) == [draft]


def test_the_cadre_diary_of_the_profile_counts_grades(world):
    home = world.home
    grades = [Grade.EXCELLENT, Grade.GOOD, Grade.GOOD, None]
    for day, grade in zip(range(14, 18), grades):
        entry = entry_on(home.cadre, home.village, dt.date(2026, 11, day))
        if grade:
            services.diary_entry_review(actor=home.admin, entry=entry, grade=grade, comment="意见")
    services.diary_draft_save(actor=home.cadre, checkin=check_in(home), work_log="草稿")
    seen_by_admin = selectors.cadre_diary(home.admin, home.cadre)
    assert [(g.grade, g.label, g.count) for g in seen_by_admin.grades] == [
        ("excellent", "优秀", 1), ("good", "良好", 2), ("fair", "一般", 0), ("improve", "需改进", 0)]
    assert (seen_by_admin.total, seen_by_admin.reviewed, len(seen_by_admin.entries)) == (4, 3, 4)
    assert [e.local_date.day for e in seen_by_admin.entries] == [17, 16, 15, 14]
    seen_by_cadre = selectors.cadre_diary(home.cadre, home.cadre)
    assert [e.status for e in seen_by_cadre.entries][:1] == [EntryStatus.DRAFT]  # their draft of today too
    assert (seen_by_cadre.total, seen_by_cadre.reviewed) == (4, 3)


def test_period_summary_of_a_month(world):
    home = world.home
    october = entry_on(home.cadre, home.village, dt.date(2026, 10, 30))
    first = entry_on(home.cadre, home.village, dt.date(2026, 11, 2))
    second = entry_on(home.cadre, home.village, dt.date(2026, 11, 3))
    services.diary_entry_review(actor=home.admin, entry=first, grade=Grade.EXCELLENT, comment="好")
    services.diary_comment_add(actor=home.cadre, entry=first, body="谢谢")
    services.diary_entry_review(actor=home.admin, entry=october, grade=Grade.FAIR, comment="一般")
    check_in(home)  # 20 November, no diary yet
    summary = selectors.period_summary(home.cadre, selectors.Month(2026, 11))
    assert [e.pk for e in summary.entries] == [first.pk, second.pk]
    assert (summary.checkins, summary.submitted, summary.reviewed, summary.comments) == (3, 2, 1, 2)
    assert [(g.grade, g.count) for g in summary.grades] == [("excellent", 1), ("good", 0), ("fair", 0), ("improve", 0)]


def test_get_cadre_for_is_the_cadre_and_the_committees_over_them(world):
    home = world.home
    for viewer in (home.cadre, home.secretary, home.admin):
        assert selectors.get_cadre_for(viewer, home.cadre.pk) == (home.cadre, home.township)
    for viewer in (home.micro, home.centre_staff, world.other.admin, world.other.cadre):
        with pytest.raises(Http404):
            selectors.get_cadre_for(viewer, home.cadre.pk)
    with pytest.raises(Http404):
        selectors.get_cadre_for(home.admin, home.secretary.pk)  # not a cadre


def test_month_parsing():
    assert selectors.Month.parse("2026-11") == selectors.Month(2026, 11)
    february = selectors.Month(2026, 2)
    assert (february.first, february.last) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    for bad in ("2026-13", "26-11", "", None, "2026/11", "1999-01"):
        assert selectors.Month.parse(bad) is None
