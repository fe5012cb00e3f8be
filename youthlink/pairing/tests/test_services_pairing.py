"""结对: who may pair whom, and ending a pairing."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from youthlink.accounts.models import Role
from youthlink.audit.models import AuditEvent
from youthlink.core.testing import make_node, make_person, make_staff
from youthlink.notifications.models import Notification
from youthlink.orgs.models import NodeKind
from youthlink.pairing import services
from youthlink.pairing.models import EventType, MustVisitTask, Pairing, TaskStatus

pytestmark = pytest.mark.django_db


def counts():
    return Pairing.objects.count(), AuditEvent.objects.count(), Notification.objects.count()


def test_secretary_pairs_a_cadre_with_a_young_person_in_difficulty(world):
    home = world.home
    pairing = services.pairing_create(actor=home.secretary, person=home.person, helper=home.cadre)
    assert (pairing.helper, pairing.helper_role, pairing.helper_node, pairing.person, pairing.created_by,
            pairing.is_active, pairing.ended_at) == (home.cadre, Role.CADRE, home.township, home.person,
                                                      home.secretary, True, None)
    audit = AuditEvent.objects.get(action="pairing.create")
    assert (audit.actor_id, audit.target_type, audit.target_id, audit.node_path, audit.data) == (
        home.secretary.pk, "pairing.pairing", pairing.pk, home.village.path,
        {"helper_id": home.cadre.pk, "person_id": home.person.pk})
    assert list(Notification.objects.values_list("user_id", "kind", "title", "url")) == [
        (home.cadre.pk, "pairing.created", "您已与单雄信结对", f"/pairing/{pairing.pk}/")]


def test_county_admin_pairs_a_micro_element_of_the_village(world):
    home = world.home
    pairing = services.pairing_create(actor=home.admin, person=home.person, helper=home.micro)
    assert (pairing.helper_role, pairing.helper_node) == (Role.MICRO, home.village)


def test_a_cadre_of_another_township_cannot_help_as_they_could_not_log_the_visits(world):
    home = world.home
    other_township = make_node("罗阳镇", NodeKind.TOWNSHIP, home.county)
    far_cadre = make_staff("罗阳团干部", other_township, Role.CADRE)
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.pairing_create(actor=home.secretary, person=home.person, helper=far_cadre)
    assert exc.value.message_dict == {"helper": ["结对人须为单雄信所在地（泰顺村）的团干部或微元素"]}
    assert counts() == before


def test_a_young_person_may_have_several_helpers(world):
    home = world.home
    services.pairing_create(actor=home.secretary, person=home.person, helper=home.cadre)
    services.pairing_create(actor=home.secretary, person=home.person, helper=home.micro)
    assert sorted(Pairing.objects.values_list("helper_id", flat=True)) == sorted([home.cadre.pk, home.micro.pk])


@pytest.mark.parametrize("role", ["cadre", "micro", "centre_staff", "youth_user"])
def test_only_secretaries_and_admins_create_pairings(world, role):
    before = counts()
    with pytest.raises(PermissionDenied):
        services.pairing_create(actor=getattr(world.home, role), person=world.home.person, helper=world.home.micro)
    assert counts() == before


@pytest.mark.parametrize("role", ["admin", "secretary"])
def test_the_other_county_cannot_pair_a_home_young_person(world, role):
    before = counts()
    with pytest.raises(PermissionDenied):
        services.pairing_create(actor=getattr(world.other, role), person=world.home.person, helper=world.home.cadre)
    assert counts() == before


def test_a_secretary_cannot_pair_a_young_person_outside_their_township(world):
    home = world.home
    other_township = make_node("罗阳镇", NodeKind.TOWNSHIP, home.county)
    outsider = make_person(other_township, "罗小军", tags=["hardship"])
    before = counts()
    with pytest.raises(PermissionDenied):
        services.pairing_create(actor=home.secretary, person=outsider, helper=home.cadre)
    assert counts() == before


def test_a_helper_from_another_county_is_refused(world):
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.pairing_create(actor=world.home.admin, person=world.home.person, helper=world.other.cadre)
    assert exc.value.message_dict == {"helper": ["结对人须为单雄信所在地（泰顺村）的团干部或微元素"]}
    assert counts() == before


@pytest.mark.parametrize("role", ["secretary", "admin", "centre_staff", "youth_user"])
def test_a_helper_must_be_a_cadre_or_a_micro_element(world, role):
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.pairing_create(actor=world.home.admin, person=world.home.person, helper=getattr(world.home, role))
    assert exc.value.message_dict == {"helper": ["结对人须为单雄信所在地（泰顺村）的团干部或微元素"]}
    assert counts() == before


def test_a_deactivated_helper_is_refused(world):
    world.home.cadre.is_active = False
    world.home.cadre.save(update_fields=["is_active"])
    with pytest.raises(ValidationError) as exc:
        services.pairing_create(actor=world.home.secretary, person=world.home.person, helper=world.home.cadre)
    assert exc.value.message_dict == {"helper": ["结对人须为单雄信所在地（泰顺村）的团干部或微元素"]}


def test_only_young_people_in_difficulty_are_paired(world):
    ordinary = make_person(world.home.village, "王小明", tags=["student"])
    with pytest.raises(ValidationError) as exc:
        services.pairing_create(actor=world.home.secretary, person=ordinary, helper=world.home.cadre)
    assert exc.value.message_dict == {"person": ["只能与困难青少年结对：请先在青年档案中标记“困难青少年”"]}
    assert Pairing.objects.count() == 0


def test_the_same_pair_twice_is_refused_with_a_clear_message(world, pairing):
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.pairing_create(actor=world.home.admin, person=world.home.person, helper=world.home.cadre)
    assert exc.value.message_dict == {"helper": ["泰顺团干部已与单雄信结对，不能重复结对"]}
    assert counts() == before


def test_the_secretary_ends_a_pairing_and_its_open_tasks_are_cancelled(world, pairing):
    home = world.home
    services.must_visit_event_record(actor=home.cadre, person=home.person, event_type=EventType.HOSPITALISED)
    ended = services.pairing_end(actor=home.secretary, pairing=pairing, reason="青年外出务工")
    pairing.refresh_from_db()
    assert (pairing.is_active, pairing.ended_by, pairing.end_reason, pairing.ended_at is not None) == (
        False, home.secretary, "青年外出务工", True)
    assert ended.ended_at == pairing.ended_at
    assert list(MustVisitTask.objects.values_list("status", "closed_at")) == [(TaskStatus.CANCELLED, pairing.ended_at)]
    audit = AuditEvent.objects.get(action="pairing.end")
    assert (audit.actor_id, audit.target_id, audit.reason, audit.data) == (
        home.secretary.pk, pairing.pk, "青年外出务工", {"cancelled_tasks": 1})
    assert Notification.objects.filter(user=home.cadre, kind="pairing.ended").values_list("title", flat=True).get() \
        == "与单雄信的结对已解除"


def test_an_ended_pairing_cannot_be_ended_again_but_the_pair_may_pair_again(world, pairing):
    services.pairing_end(actor=world.home.secretary, pairing=pairing)
    with pytest.raises(ValidationError) as exc:
        services.pairing_end(actor=world.home.admin, pairing=pairing)
    assert exc.value.messages == ["该结对已解除"]
    again = services.pairing_create(actor=world.home.secretary, person=world.home.person, helper=world.home.cadre)
    assert list(Pairing.objects.order_by("id").values_list("pk", "is_active")) == [(pairing.pk, False), (again.pk, True)]


@pytest.mark.parametrize("role", ["cadre", "micro", "centre_staff"])
def test_helpers_and_others_cannot_end_a_pairing(world, pairing, role):
    before = counts()
    with pytest.raises(PermissionDenied):
        services.pairing_end(actor=getattr(world.home, role), pairing=pairing)
    pairing.refresh_from_db()
    assert (pairing.is_active, counts()) == (True, before)


def test_the_other_county_admin_cannot_end_a_home_pairing(world, pairing):
    with pytest.raises(PermissionDenied):
        services.pairing_end(actor=world.other.admin, pairing=pairing)
    assert Pairing.objects.get().is_active is True
