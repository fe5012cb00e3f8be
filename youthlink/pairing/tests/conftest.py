import pytest


@pytest.fixture
def pairing(world):
    """The home cadre paired with the home hardship young person by the home secretary."""
    from youthlink.pairing.services import pairing_create
    return pairing_create(actor=world.home.secretary, person=world.home.person, helper=world.home.cadre)
