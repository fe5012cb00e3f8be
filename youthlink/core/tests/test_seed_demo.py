import re
from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory, TestCase

from youthlink.accounts.models import Membership, Role, User
from youthlink.core.demo import DEMO_PASSWORD, FEATURED_MOBILES
from youthlink.core.identity import validate_id_number
from youthlink.liaison.models import Binding, CadreInvite, CadreLink
from youthlink.liaison.selectors import binding_rate
from youthlink.orgs.models import Node
from youthlink.people.models import ConsentKind, PersonTag, Tag, YoungPerson

EXPECTED_ROLES = {Role.ADMIN: 3, Role.SECRETARY: 11, Role.CADRE: 38, Role.MICRO: 22, Role.CENTRE_STAFF: 11}
EXPECTED_NODES = {"city": 1, "county": 2, "township": 11, "village": 45, "youth_centre": 11, "school": 2,
                  "enterprise": 2, "social_org": 2}
ROLE_OF_LOGIN = {"团市委管理员": Role.ADMIN, "团县委管理员": Role.ADMIN, "乡镇团委书记": Role.SECRETARY,
                 "团干部": Role.CADRE, "微元素": Role.MICRO, "青年之家工作人员": Role.CENTRE_STAFF}


def run_seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def login_table(output: str) -> dict[str, tuple[str, str, str]]:
    lines = output.split("登录账号", 1)[1].splitlines()[3:]
    rows = [re.split(r"\s{2,}", line.strip()) for line in lines if line.strip()]
    return {role: (login, password, node) for role, login, password, node in rows}


class SeedDemoTests(TestCase):
    """One demo for the whole class (setUpTestData); each test runs in its own savepoint."""

    @classmethod
    def setUpTestData(cls):
        cls.output = run_seed()

    def test_seed_demo_builds_the_promised_city_and_staff(self):
        assert dict(Counter(Node.objects.values_list("kind", flat=True))) == EXPECTED_NODES
        assert dict(Counter(Membership.objects.values_list("role", flat=True))) == EXPECTED_ROLES
        assert YoungPerson.objects.count() == 403
        assert YoungPerson.objects.exclude(user=None).count() == 3
        for label, count in [("团干部", 38), ("微元素", 22), ("青年", 403), ("组织节点", 76)]:
            assert re.search(rf"^{label}\s+{count}$", self.output, re.M), label

    def test_seed_demo_prints_one_login_per_role_and_each_authenticates(self):
        table = login_table(self.output)
        assert list(table) == [*ROLE_OF_LOGIN, "青年", "超级管理员（/admin/）"]
        request = RequestFactory().post("/accounts/login/")
        for role_label, (login, password, node_label) in table.items():
            assert password == DEMO_PASSWORD
            user = authenticate(request, username=login, password=password)
            assert user is not None, role_label
            if role_label in ROLE_OF_LOGIN:
                membership = user.memberships.get()
                assert membership.role == ROLE_OF_LOGIN[role_label]
                assert node_label.endswith(membership.node.name)
        assert table["团市委管理员"][2] == "丽水市"
        assert table["团县委管理员"][2] == "丽水市 / 云和县"
        assert authenticate(request, username="admin", password=DEMO_PASSWORD).is_superuser

    def test_demo_youth_account_is_bound_to_the_demo_cadre(self):
        youth = User.objects.get_by_mobile(FEATURED_MOBILES["youth"])
        cadre = User.objects.get_by_mobile(FEATURED_MOBILES["cadre"])
        person = youth.young_person
        assert list(person.bindings.values_list("cadre_id", "source")) == [(cadre.pk, "qr")]
        assert set(person.consents.values_list("kind", flat=True)) == {ConsentKind.PRIVACY_NOTICE}
        assert not youth.memberships.exists()

    def test_demo_leaves_some_cadres_unlinked_and_unbound(self):
        city = Node.objects.get(kind="city")
        rate = binding_rate(city)
        assert (rate.cadres, rate.bound_cadres) == (38, 34)
        cadres = set(Membership.objects.filter(role=Role.CADRE).values_list("user_id", flat=True))
        linked = set(CadreLink.objects.values_list("cadre_id", flat=True))
        assert len(cadres - linked) == 3
        talent_linked = set(CadreLink.objects.filter(kind="local_talent").values_list("cadre_id", flat=True))
        assert len(linked - talent_linked) == 2
        assert CadreInvite.objects.count() == 38
        assert Binding.objects.filter(source="qr").count() == 3

    def test_demo_sensitive_data_is_valid_and_consented(self):
        with_id = [p for p in YoungPerson.objects.exclude(id_hash=None)]
        assert 80 <= len(with_id) <= 200
        for person in with_id:
            assert validate_id_number(person.id_number) == person.id_number
            assert person.id_number[:6] in {"331125", "331127"}
            assert int(person.id_number[16]) % 2 == (1 if person.gender == "M" else 0)
        children = [p for p in YoungPerson.objects.all() if p.is_under_14]
        assert children
        for child in children:
            assert set(child.consents.values_list("kind", flat=True)) == {ConsentKind.GUARDIAN, ConsentKind.PRIVACY_NOTICE}
            assert child.mobile == ""
        hardship = YoungPerson.objects.filter(tags__tag=Tag.HARDSHIP)
        assert all(p.hardship_notes for p in hardship)
        assert any(p.health_notes for p in hardship)
        assert PersonTag.objects.filter(tag=Tag.FEDERATION, sector="").count() == 0
        for tag in Tag.values:
            assert PersonTag.objects.filter(tag=tag).exists(), tag

    def test_seed_demo_twice_only_prints_the_logins_again(self):
        counts = (Node.objects.count(), User.objects.count(), YoungPerson.objects.count(), Binding.objects.count())
        again = run_seed()
        assert "演示数据已存在" in again
        assert login_table(again) == login_table(self.output)
        assert (Node.objects.count(), User.objects.count(), YoungPerson.objects.count(), Binding.objects.count()) == counts


@pytest.mark.django_db
def test_seed_demo_refuses_a_database_whose_city_is_not_the_demo():
    from django.core.management.base import CommandError

    from youthlink.core.testing import build_world

    build_world()  # 丽水市 with the demo's admin code, but none of the demo's people
    with pytest.raises(CommandError):
        run_seed()
