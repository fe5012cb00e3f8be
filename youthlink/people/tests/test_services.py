import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction

from youthlink.audit.models import AuditAction, AuditEvent
from youthlink.core.testing import valid_id_number
from youthlink.people import services
from youthlink.people.models import PersonTag, YoungPerson

pytestmark = pytest.mark.django_db


def test_cadre_records_a_young_person_with_tags_and_derived_birth_date(world):
    number = valid_id_number(dt.date(2008, 6, 1), serial=123, male=False)
    person = services.person_create(actor=world.home.cadre, home_node=world.home.village, name=" 李小红 ",
                                    mobile="+86 139-0000-1111", id_number=number.lower(),
                                    tags=["student", ("federation", "science")])
    assert person.name == "李小红"
    assert person.mobile == "13900001111"
    assert person.mobile_tail == "1111"
    assert person.birth_date == dt.date(2008, 6, 1)
    assert person.gender == "F"
    assert sorted(PersonTag.objects.filter(person=person).values_list("tag", "sector")) == [
        ("federation", "science"), ("student", "")]
    assert AuditEvent.objects.filter(action=AuditAction.PERSON_CREATE, target_id=person.pk).count() == 1


def test_same_id_number_twice_is_refused(world):
    number = valid_id_number(dt.date(2000, 1, 1), serial=5)
    services.person_create(actor=world.home.cadre, home_node=world.home.village, name="甲", id_number=number)
    before = YoungPerson.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.person_create(actor=world.home.cadre, home_node=world.home.village, name="乙", id_number=number)
    assert exc.value.message_dict == {"id_number": ["该身份证号码已建档"]}
    assert YoungPerson.objects.count() == before


def test_birth_date_contradicting_the_id_number_is_refused(world):
    number = valid_id_number(dt.date(2000, 1, 1), serial=6)
    with pytest.raises(ValidationError) as exc:
        services.person_create(actor=world.home.cadre, home_node=world.home.village, name="甲",
                               id_number=number, birth_date=dt.date(2001, 1, 1))
    assert exc.value.message_dict == {"birth_date": ["出生日期与身份证号码不一致"]}


def test_micro_element_cannot_create_records_directly(world):
    before = YoungPerson.objects.count()
    with pytest.raises(PermissionDenied):
        services.person_create(actor=world.home.micro, home_node=world.home.village, name="甲")
    assert YoungPerson.objects.count() == before


def test_cadre_cannot_create_in_another_county(world):
    before = YoungPerson.objects.count()
    with pytest.raises(PermissionDenied):
        services.person_create(actor=world.home.cadre, home_node=world.other.village, name="甲")
    assert YoungPerson.objects.count() == before


def test_admin_reveals_id_number_with_a_reason_and_it_is_audited(world):
    person = world.home.person
    value = services.person_reveal(actor=world.home.admin, person=person, field="id_number", reason="核实低保申请材料")
    assert value == person.id_number
    event = AuditEvent.objects.get(action=AuditAction.REVEAL)
    assert (event.actor_id, event.target_id, event.field, event.reason, event.node_path) == (
        world.home.admin.pk, person.pk, "id_number", "核实低保申请材料", world.home.village.path)


def test_reveal_without_a_reason_is_refused_and_not_audited(world):
    with pytest.raises(ValidationError) as exc:
        services.person_reveal(actor=world.home.admin, person=world.home.person, field="mobile", reason="  看 ")
    assert exc.value.message_dict == {"reason": ["请写明查看事由（至少4个字）"]}
    assert AuditEvent.objects.filter(action=AuditAction.REVEAL).count() == 0


@pytest.mark.parametrize("who, field", [("cadre", "id_number"), ("cadre", "health_notes"), ("micro", "mobile"),
                                        ("centre_staff", "hardship_notes"), ("secretary", "id_number")])
def test_roles_without_the_right_cannot_reveal(world, who, field):
    with pytest.raises(PermissionDenied):
        services.person_reveal(actor=getattr(world.home, who), person=world.home.person, field=field, reason="电话回访核实")
    assert AuditEvent.objects.filter(action=AuditAction.REVEAL).count() == 0


def test_other_county_admin_cannot_reveal(world):
    with pytest.raises(PermissionDenied):
        services.person_reveal(actor=world.other.admin, person=world.home.person, field="mobile", reason="电话回访核实")


def test_audit_rows_cannot_be_updated_even_by_raw_sql(world):
    services.person_reveal(actor=world.home.admin, person=world.home.person, field="mobile", reason="电话回访核实")
    event = AuditEvent.objects.get(action=AuditAction.REVEAL)
    with pytest.raises(DatabaseError):
        with transaction.atomic():
            AuditEvent.objects.filter(pk=event.pk).update(reason="改过了")
    assert AuditEvent.objects.get(pk=event.pk).reason == "电话回访核实"


def test_update_records_changed_field_names_but_never_values(world):
    person = world.home.person
    services.person_update(actor=world.home.secretary, person=person, mobile="13922223333", hardship_notes="已脱贫")
    fresh = YoungPerson.objects.get(pk=person.pk)
    assert (fresh.mobile, fresh.mobile_tail, fresh.hardship_notes) == ("13922223333", "3333", "已脱贫")
    event = AuditEvent.objects.get(action=AuditAction.PERSON_UPDATE)
    assert event.data == {"fields": ["hardship_notes", "mobile"]}
    assert "13922223333" not in str(event.data) + event.reason


def test_bad_mobile_on_update_changes_nothing(world):
    person = world.home.person
    with pytest.raises(ValidationError):
        services.person_update(actor=world.home.secretary, person=person, mobile="12345", name="新名字")
    fresh = YoungPerson.objects.get(pk=person.pk)
    assert (fresh.name, fresh.mobile) == ("单雄信", "13800138000")
