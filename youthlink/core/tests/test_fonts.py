from youthlink.core.fonts import FONT_CANDIDATES, cjk_font_path


def test_the_installed_cjk_font_is_found(settings):
    settings.CJK_FONT = ""
    assert cjk_font_path() == FONT_CANDIDATES[0]  # fonts-wqy-zenhei, installed by make install


def test_a_configured_font_comes_first_and_a_missing_one_is_skipped(settings, tmp_path):
    font = tmp_path / "custom.ttf"
    font.write_bytes(b"\0")
    settings.CJK_FONT = str(font)
    assert cjk_font_path() == str(font)
    settings.CJK_FONT = str(tmp_path / "missing.ttf")
    assert cjk_font_path() == FONT_CANDIDATES[0]
