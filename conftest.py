import pytest


@pytest.fixture
def world(db):
    from youthlink.core.testing import build_world
    return build_world()
