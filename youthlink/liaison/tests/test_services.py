import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from youthlink.accounts.models import Role, User
from youthlink.core.testing import make_person, make_staff
from youthlink.liaison import services
from youthlink.liaison.models import Binding, CadreLink, LinkKind
from youthlink.liaison.selectors import binding_rate, cadre_rows, link_summary
from youthlink.people.models import Consent, ConsentKind, YoungPerson

pytestmark = pytest.mark.django_db

ADULT = dt.date(2003, 4, 5)


def register(invite, **kw):
    data = dict(name="陈晨", mobile="13512345678", password="Qingnian-2026", birth_date=ADULT, gender="F",
                agree_privacy=True)
    data.update(kw)
    return services.youth_register_via_invite(invite=invite, **data)


def test_scanning_the_invite_registers_consents_and_binds(world):
    invite = services.invite_get_or_create(cadre=world.home.cadre)
    person = register(invite)
    assert person.home_node == world.home.township
    assert person.user.check_password("Qingnian-2026")
    assert list(Consent.objects.filter(person=person).values_list("kind", flat=True)) == [ConsentKind.PRIVACY_NOTICE]
    assert list(Binding.objects.filter(person=person).values_list("cadre_id", "source")) == [(world.home.cadre.pk, "qr")]


def test_under_14_needs_the_guardian_first(world):
    invite = services.invite_get_or_create(cadre=world.home.cadre)
    child_birth = dt.date.today().replace(year=dt.date.today().year - 10)
    users_before, people_before = User.objects.count(), YoungPerson.objects.count()
    with pytest.raises(ValidationError) as exc:
        register(invite, birth_date=child_birth)
    assert exc.value.message_dict == {"guardian_name": ["未满14周岁，须由监护人填写姓名、与本人关系并勾选同意"]}
    assert (User.objects.count(), YoungPerson.objects.count()) == (users_before, people_before)
    person = register(invite, birth_date=child_birth, guardian_name="陈大明", guardian_relation="父亲", guardian_agree=True)
    consents = list(Consent.objects.filter(person=person).order_by("id").values_list("kind", "guardian_name", "guardian_relation"))
    assert consents == [(ConsentKind.GUARDIAN, "陈大明", "父亲"), (ConsentKind.PRIVACY_NOTICE, "", "")]


def test_no_consent_no_registration(world):
    invite = services.invite_get_or_create(cadre=world.home.cadre)
    with pytest.raises(ValidationError) as exc:
        register(invite, agree_privacy=False)
    assert exc.value.message_dict == {"agree_privacy": ["请阅读并同意隐私告知"]}
    assert not User.objects.filter(name="陈晨").exists()


def test_registered_mobile_cannot_register_again(world):
    invite = services.invite_get_or_create(cadre=world.home.cadre)
    register(invite)
    with pytest.raises(ValidationError) as exc:
        register(invite, name="陈晨")
    assert exc.value.message_dict == {"mobile": ["该手机号已登记，请直接登录或联系您的团干部"]}
    assert YoungPerson.objects.filter(name="陈晨").count() == 1


def test_roster_entry_with_same_mobile_and_name_is_taken_over_not_duplicated(world):
    existing = make_person(world.home.village, "陈晨", mobile="13512345678")
    invite = services.invite_get_or_create(cadre=world.home.cadre)
    person = register(invite)
    assert person.pk == existing.pk
    assert YoungPerson.objects.filter(name="陈晨").count() == 1


def test_rotated_invite_token_changes(world):
    old = services.invite_get_or_create(cadre=world.home.cadre).token
    assert services.invite_rotate(cadre=world.home.cadre).token != old


def test_binding_rate_counts_cadres_with_at_least_one_friend(world):
    township = world.home.township
    second = make_staff("第二个团干部", township, Role.CADRE)
    make_staff("第三个团干部", world.home.village, Role.CADRE)
    assert (binding_rate(world.home.county).cadres, binding_rate(world.home.county).bound_cadres) == (3, 0)
    services.binding_create(actor=world.home.cadre, person=world.home.person)
    services.binding_create(actor=world.home.cadre, person=world.home.youth)  # two friends, still one cadre
    services.binding_create(actor=second, person=world.home.person)
    rate = binding_rate(world.home.county)
    assert (rate.cadres, rate.bound_cadres, rate.percent) == (3, 2, "66.7%")
    assert binding_rate(world.home.village).cadres == 1
    assert binding_rate(world.other.county).bound_cadres == 0


def test_three_links_and_the_list_of_cadres_not_linked_yet(world):
    h = world.home
    talent = make_person(h.village, "能人老王", tags=["local_talent"])
    services.link_add(actor=h.cadre, cadre=h.cadre, node=h.township, kind=LinkKind.SOCIAL_ORG, social_org=h.social_org)
    services.link_add(actor=h.cadre, cadre=h.cadre, node=h.township, kind=LinkKind.LOCAL_TALENT, person=talent)
    services.link_add(actor=h.secretary, cadre=h.cadre, node=h.township, kind=LinkKind.YOUTH, person=h.person)
    services.link_add(actor=h.cadre, cadre=h.cadre, node=h.township, kind=LinkKind.YOUTH, person=h.youth)
    summary = link_summary(h.cadre)
    assert (summary.social_org.social_org, summary.local_talent.person, len(summary.youth)) == (h.social_org, talent, 2)
    assert summary.missing == []
    lazy = make_staff("没联系的团干部", h.township, Role.CADRE)
    rows = {r.membership.user_id: r for r in cadre_rows(h.county)}
    assert (rows[h.cadre.pk].social_org, rows[h.cadre.pk].local_talent, rows[h.cadre.pk].youth) == (1, 1, 2)
    assert [str(m) for m in rows[lazy.pk].missing] == ["社会组织", "本土能人", "青年"]


def test_second_social_org_replaces_the_first(world):
    from youthlink.orgs.services import social_organisation_create
    h = world.home
    other_org = social_organisation_create(node=h.township, name="爱心妈妈团")
    services.link_add(actor=h.cadre, cadre=h.cadre, node=h.township, kind=LinkKind.SOCIAL_ORG, social_org=h.social_org)
    services.link_add(actor=h.cadre, cadre=h.cadre, node=h.township, kind=LinkKind.SOCIAL_ORG, social_org=other_org)
    assert list(CadreLink.objects.filter(cadre=h.cadre).values_list("social_org__name", flat=True)) == ["爱心妈妈团"]


def test_local_talent_must_be_tagged(world):
    h = world.home
    with pytest.raises(ValidationError) as exc:
        services.link_add(actor=h.cadre, cadre=h.cadre, node=h.township, kind=LinkKind.LOCAL_TALENT, person=h.youth)
    assert exc.value.message_dict == {"person": ["所选人员未标记为“本土能人”"]}
    assert CadreLink.objects.count() == 0


def test_links_cannot_reach_into_another_county(world):
    h = world.home
    with pytest.raises(ValidationError):
        services.link_add(actor=h.cadre, cadre=h.cadre, node=h.township, kind=LinkKind.YOUTH, person=world.other.person)
    with pytest.raises(PermissionDenied):
        services.link_add(actor=world.other.secretary, cadre=h.cadre, node=h.township, kind=LinkKind.YOUTH,
                          person=world.other.person)
    assert CadreLink.objects.count() == 0
