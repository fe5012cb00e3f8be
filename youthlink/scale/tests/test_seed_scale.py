"""seed_scale at a hundredth of the county preset, on whichever database the suite runs against: the
rows it writes are what the services would have written (derived fields, links, integrity), the
dashboards agree with the records, the product works on top of them, and a second run refuses."""
import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F
from django.test import Client

from youthlink.accounts.models import Membership, Role, User
from youthlink.appeals.models import Appeal, Status
from youthlink.appeals.search import search_appeals
from youthlink.core import crypto
from youthlink.core.demo import DEMO_PASSWORD
from youthlink.core.testing import make_person
from youthlink.diary.models import DiaryEntry
from youthlink.orgs.models import Node, NodeKind
from youthlink.people.models import YoungPerson
from youthlink.people.selectors import search_people
from youthlink.people.services import mobile_hash
from youthlink.scale.generator import LIANDU
from youthlink.stats import engine
from youthlink.stats.periods import parse as parse_period
from youthlink.visits.models import Visit
from youthlink.visits.periods import is_evening, local

pytestmark = pytest.mark.django_db

FACTOR = 0.01


@pytest.fixture
def county():
    out = io.StringIO()
    call_command("seed_scale", preset="county", factor=FACTOR, stdout=out)
    node = Node.objects.get(admin_code=LIANDU.code)
    node.output = out.getvalue()
    return node


def subtree(node, prefix=""):
    return node.subtree_q(prefix)


def test_rows_are_what_the_services_would_write(county):
    assert county.parent.admin_code == "331100000000" and county.kind == NodeKind.COUNTY
    people = YoungPerson.objects.filter(subtree(county, "home_node__"))
    assert people.count() == round(LIANDU.youth * FACTOR)
    assert Visit.objects.filter(subtree(county, "place__")).count() == round(LIANDU.youth * FACTOR * 4)
    assert Appeal.objects.filter(subtree(county, "node__")).count() == round(LIANDU.youth * FACTOR)
    assert DiaryEntry.objects.filter(subtree(county, "node__")).count() == round(LIANDU.youth * FACTOR / 10)
    assert Membership.objects.filter(subtree(county, "node__"), role=Role.CADRE).count() == round(LIANDU.youth * FACTOR / 100)

    connection.check_constraints()  # every foreign key points at a row
    # Every node's materialized path is its parent's plus its own id.
    for node in Node.objects.filter(subtree(county)).select_related("parent"):
        assert node.path == Node.make_path(node.parent.path, node.pk) and node.depth == node.parent.depth + 1

    person = people.exclude(mobile="").order_by("pk").first()
    assert person.mobile.isdigit() and len(person.mobile) == 11  # decrypted by the field
    assert person.mobile_hash == mobile_hash(person.mobile) and person.mobile_tail == person.mobile[-4:]
    with_id = people.exclude(id_hash=None).first()
    assert crypto.keyed_hash(with_id.id_number, purpose="id_number") == with_id.id_hash
    assert with_id.id_number[:6] == LIANDU.code[:6]

    assert not Appeal.objects.exclude(node_path=F("node__path")).exists()
    for visit in Visit.objects.filter(subtree(county, "place__")).order_by("pk")[:300]:
        assert visit.local_date == local(visit.visited_at).date()
        assert visit.is_evening == is_evening(visit.visited_at)
    assert not Appeal.objects.filter(status=Status.SOLVED, closed_at=None).exists()
    assert not Appeal.objects.filter(resolved_at__lt=F("created_at")).exists()
    now = dt.datetime.now(dt.timezone.utc)
    assert not Visit.objects.filter(visited_at__gt=now).exists()
    assert not Appeal.objects.filter(created_at__gt=now).exists()


def test_dashboards_agree_with_the_records(county):
    period = parse_period(str(dt.date.today().year))
    nodes = [county, county.parent, *county.children.filter(kind=NodeKind.TOWNSHIP)[:2]]
    cells = engine.cell_values(nodes, period)
    live = engine.live_values(nodes, period)
    assert {n: {k: v.value for k, v in f.items()} for n, f in cells.items()} == \
        {n: {k: v.value for k, v in f.items()} for n, f in live.items()}
    assert cells[county.pk]["visits.visits"].value > 0
    assert cells[county.pk]["appeals.solved"].value > 0


def test_the_product_works_on_top(county):
    # The logins it prints sign in with the demo's password and see their county.
    mobile = next(line.split(": ")[1] for line in county.output.splitlines() if "团县委管理员:" in line)
    admin = User.objects.get(mobile_hash=mobile_hash(mobile))
    client = Client()
    response = client.post("/accounts/login/", {"username": mobile, "password": DEMO_PASSWORD})
    assert response.status_code == 302 and int(client.session["_auth_user_id"]) == admin.pk
    page = client.get(f"/stats/?node={county.pk}")
    assert page.status_code == 200 and "莲都区" in page.content.decode()

    # Search finds generated people and requests (the FTS5 triggers / tsvector columns indexed them).
    person = YoungPerson.objects.filter(subtree(county, "home_node__")).order_by("pk").first()
    assert person in search_people(admin, person.name)
    assert search_appeals(admin, "创业").appeals

    # New records get ids after the generated ones (PostgreSQL's sequences were moved on).
    village = Node.objects.filter(subtree(county), kind=NodeKind.VILLAGE).first()
    new = make_person(village, "新青年")
    assert new.pk > person.pk


def test_a_second_run_refuses(county):
    with pytest.raises(CommandError, match="已经生成过"):
        call_command("seed_scale", preset="county", factor=FACTOR, stdout=io.StringIO())


def test_bad_factor_is_refused():
    with pytest.raises(CommandError, match="0 到 1"):
        call_command("seed_scale", preset="county", factor=3, stdout=io.StringIO())
