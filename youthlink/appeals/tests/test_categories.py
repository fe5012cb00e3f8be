import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from youthlink.appeals import services
from youthlink.appeals.models import Category
from youthlink.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_county_admin_adds_a_category_offered_in_the_county(world):
    category = services.category_create(actor=world.home.admin, county=world.home.county, name="茶叶 销售",
                                        response_days=1, resolve_days=3, complex_resolve_days=10)
    assert (category.key, category.name, category.county, category.resolve_days) == (
        "cha-ye-xiao-shou", "茶叶 销售", world.home.county, 3)
    again = services.category_create(actor=world.other.admin, county=world.other.county, name="茶叶 销售",
                                     response_days=1, resolve_days=3, complex_resolve_days=10)
    assert again.key == "cha-ye-xiao-shou"  # keys are per county
    assert AuditEvent.objects.filter(action=AuditAction.APPEAL_CATEGORY).count() == 2


@pytest.mark.parametrize("change, field", [
    ({"name": "茶"}, "name"), ({"name": "创业"}, "name"), ({"response_days": 0}, "response_days"),
    ({"resolve_days": "五"}, "resolve_days"), ({"complex_resolve_days": 2}, "complex_resolve_days"),
])
def test_bad_category_input_is_refused_and_saves_nothing(world, change, field):
    data = {"name": "茶叶销售", "response_days": 1, "resolve_days": 3, "complex_resolve_days": 10, **change}
    before = Category.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.category_create(actor=world.home.admin, county=world.home.county, **data)
    assert field in exc.value.message_dict
    assert Category.objects.count() == before


def test_only_the_countys_admin_manages_its_categories(world):
    for actor in (world.home.secretary, world.home.cadre, world.other.admin):
        with pytest.raises(PermissionDenied):
            services.category_create(actor=actor, county=world.home.county, name="茶叶销售", response_days=1,
                                     resolve_days=3, complex_resolve_days=10)
    builtin = Category.objects.get(county=None, key="health")
    with pytest.raises(PermissionDenied):
        services.category_update(actor=world.home.admin, category=builtin, response_days=1, resolve_days=3,
                                 complex_resolve_days=10, is_active=False)


def test_a_stopped_category_is_no_longer_offered_on_the_form(world):
    page = client_for(world.home.admin)
    page.post(f"/appeals/categories/{world.home.county.pk}/", {
        "name": "茶叶销售", "response_days": 1, "resolve_days": 3, "complex_resolve_days": 10, "is_active": "on"})
    tea = Category.objects.get(name="茶叶销售")
    assert "茶叶销售" in client_for(world.home.micro).get("/appeals/new/").content.decode()
    response = page.post(f"/appeals/categories/{world.home.county.pk}/", {
        "category": tea.pk, "name": tea.name, "response_days": 2, "resolve_days": 4, "complex_resolve_days": 10})
    assert response.status_code == 302
    tea.refresh_from_db()
    assert (tea.is_active, tea.response_days, tea.resolve_days) == (False, 2, 4)
    assert "茶叶销售" not in client_for(world.home.micro).get("/appeals/new/").content.decode()


def test_the_page_shows_errors_in_chinese(world):
    page = client_for(world.home.admin).post(f"/appeals/categories/{world.home.county.pk}/", {
        "name": "茶叶销售", "response_days": 3, "resolve_days": 2, "complex_resolve_days": 10}).content.decode()
    assert "办结时限不能短于首次响应时限" in page
    assert not Category.objects.filter(name="茶叶销售").exists()


def test_the_api_adds_a_category(world):
    response = client_for(world.home.admin).post(f"/api/appeals/categories/{world.home.county.pk}",
                                                 json.dumps({"name": "茶叶销售", "resolve_days": 3}),
                                                 content_type="application/json")
    assert response.status_code == 201 and response.json()["key"] == "cha-ye-xiao-shou"
