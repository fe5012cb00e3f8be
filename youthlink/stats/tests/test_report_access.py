"""The report and the checks of a node in the query string: the viewer's subtree only; another
county's node answers exactly like a node that does not exist."""
from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ROUTES = ("/stats/report/", "/stats/report/checks/")
CSRF = re.compile(rb"\b[A-Za-z0-9]{64}\b")  # a fresh masked token on every page


def _get(user, url, node, **extra):
    client = Client()
    client.force_login(user)
    return client.get(url, {"node": node, "period": "2026", **extra})


@pytest.mark.parametrize("url", ROUTES)
@pytest.mark.parametrize("extra", [{}, {"format": "pdf"}])
def test_another_countys_node_is_not_found_like_a_missing_one(world, url, extra):
    admin = world.home.admin
    other = _get(admin, url, world.other.county.pk, **extra)
    missing = _get(admin, url, 999999, **extra)
    assert other.status_code == missing.status_code == 404
    assert CSRF.sub(b"<csrf>", other.content).replace(f"node={world.other.county.pk}&".encode(), b"<id>") == \
        CSRF.sub(b"<csrf>", missing.content).replace(b"node=999999&", b"<id>")


@pytest.mark.parametrize("url", ROUTES)
def test_a_secretary_reads_their_township_but_not_the_county_above(world, url):
    secretary = world.home.secretary
    assert _get(secretary, url, world.home.township.pk).status_code == 200
    assert _get(secretary, url, world.home.village.pk).status_code == 200
    assert _get(secretary, url, world.home.county.pk).status_code == 404


@pytest.mark.parametrize("url", ROUTES)
def test_without_a_node_the_viewer_reads_their_own_area(world, url):
    client = Client()
    client.force_login(world.other.admin)
    response = client.get(url)
    assert response.status_code == 200 and response.context["node"] == world.other.county


def test_a_cadre_is_refused_even_for_their_own_township(world):
    assert _get(world.home.cadre, ROUTES[0], world.home.township.pk).status_code == 403
    assert _get(world.home.youth_user, ROUTES[0], world.home.township.pk).status_code == 404
