import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded rosters are stored while their job runs: keep them out of the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
