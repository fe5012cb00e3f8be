import pytest

from .robots import Robot


@pytest.fixture
def robot():
    """A local robot that accepts everything (WeCom's answer); set `robot.answers` to script it."""
    server = Robot().start()
    yield server
    server.stop()
