import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from youthlink.orgs.models import Node, NodeKind
from youthlink.orgs.selectors import subtree
from youthlink.orgs.services import node_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def county_tree():
    city = node_create(name="温州市", kind=NodeKind.CITY, admin_code="330300000000")
    county = node_create(name="泰顺县", kind=NodeKind.COUNTY, parent=city, admin_code="330329000000")
    neighbour = node_create(name="文成县", kind=NodeKind.COUNTY, parent=city)
    node_create(name="邻县镇", kind=NodeKind.TOWNSHIP, parent=neighbour)
    for t in range(20):
        township = node_create(name=f"镇{t}", kind=NodeKind.TOWNSHIP, parent=county)
        for v in range(20):
            node_create(name=f"镇{t}村{v}", kind=NodeKind.VILLAGE, parent=township)
    return county


def test_a_county_lists_its_420_descendants_in_one_query(county_tree):
    with CaptureQueriesContext(connection) as ctx:
        nodes = list(subtree(county_tree))
    assert len(ctx.captured_queries) == 1
    assert len(nodes) == 421
    assert {n.kind for n in nodes} == {"county", "township", "village"}
    assert all(n.path.startswith(county_tree.path) for n in nodes)


def test_subtree_query_can_use_the_path_index(county_tree):
    sql, params = subtree(county_tree).query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # On a small table PostgreSQL prefers a sequential scan; forbid it to see that the index serves.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            plan = " ".join(str(row) for row in cursor.fetchall())
            assert "Index" in plan and "path" in plan
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(row) for row in cursor.fetchall())
            assert "USING INDEX" in plan and "path" in plan


def test_kinds_must_fit_the_administrative_shape(county_tree):
    village = Node.objects.filter(kind=NodeKind.VILLAGE).first()
    with pytest.raises(ValidationError) as exc:
        node_create(name="错误的县", kind=NodeKind.COUNTY, parent=village)
    assert "不能设在" in exc.value.messages[0]


def test_admin_code_must_be_twelve_digits(county_tree):
    with pytest.raises(ValidationError) as exc:
        node_create(name="坏代码镇", kind=NodeKind.TOWNSHIP, parent=county_tree, admin_code="3303")
    assert exc.value.message_dict["admin_code"] == ["区划代码应为12位数字"]
    assert not Node.objects.filter(name="坏代码镇").exists()


def test_secretary_adds_a_social_organisation_and_a_cadre_cannot(client, world):
    from youthlink.orgs.models import SocialOrganisation
    client.force_login(world.home.cadre)
    url = f"/nodes/{world.home.township.pk}/social-orgs/new/"
    assert client.post(url, {"name": "青年创业联盟"}).status_code == 403
    client.force_login(world.home.secretary)
    assert client.post(url, {"name": "青年创业联盟", "service_area": "创业"}).status_code == 302
    assert list(SocialOrganisation.objects.filter(name="青年创业联盟").values_list("node_id", "service_area")) == [
        (world.home.township.pk, "创业")]
    client.force_login(world.other.secretary)
    assert client.post(url, {"name": "越界组织"}).status_code == 404
    assert not SocialOrganisation.objects.filter(name="越界组织").exists()


def test_paths_are_digits_only_and_a_sibling_with_a_longer_id_stays_outside():
    city = node_create(name="市", kind=NodeKind.CITY)
    a = node_create(name="甲县", kind=NodeKind.COUNTY, parent=city)
    b = node_create(name="乙县", kind=NodeKind.COUNTY, parent=city)
    inside = node_create(name="甲镇", kind=NodeKind.TOWNSHIP, parent=a)
    assert a.path.isdigit() and len(inside.path) == 27
    assert inside.ancestor_ids() == [city.pk, a.pk, inside.pk]
    assert set(Node.objects.filter(a.subtree_q()).values_list("pk", flat=True)) == {a.pk, inside.pk}
    assert b.pk not in set(Node.objects.filter(a.subtree_q()).values_list("pk", flat=True))
