"""The share poster (分享海报): a PNG with the public text only and a QR code to the request."""
from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.test import Client
from PIL import Image, ImageDraw

from youthlink.appeals.models import Status
from youthlink.appeals.poster import (HEIGHT, WIDTH, NotShareable, poster_content, poster_for, qr_matrix, wrap,
                                      _font)

from .search_helpers import make_appeal

pytestmark = pytest.mark.django_db

TITLE = "单雄信家的生姜卖不出去"
BODY = "单雄信卧床多年，奶奶种的两亩生姜卖不出去，电话13800138000，希望帮忙联系收购商。"


@pytest.fixture
def appeal(world):
    return make_appeal(world.home, title=TITLE, body=BODY, person=world.home.person, subject_name="单雄信",
                       category_key="assistance")


def read_qr(png: bytes, qr) -> list[list[bool]]:
    """The modules drawn on the poster, read back from the centre pixel of each."""
    image = Image.open(io.BytesIO(png)).convert("L")
    half = qr.module // 2
    return [[image.getpixel((qr.left + c * qr.module + half, qr.top + r * qr.module + half)) < 128
             for c in range(qr.count)] for r in range(qr.count)]


def test_the_poster_is_a_phone_sized_png_with_the_qr_code_of_the_request(appeal):
    poster = poster_for(appeal)
    image = Image.open(io.BytesIO(poster.png))
    assert (image.format, image.size) == ("PNG", (WIDTH, HEIGHT))
    url = f"{settings.SITE_URL.rstrip('/')}/appeals/{appeal.pk}/"
    assert read_qr(poster.png, poster.qr) == qr_matrix(url)
    assert qr_matrix(url) != qr_matrix(f"{settings.SITE_URL.rstrip('/')}/appeals/{appeal.pk + 1}/")
    assert poster.qr.module >= 4  # big enough to scan off a phone screen


def test_the_poster_carries_the_public_text_only(world, appeal):
    content = poster_content(appeal)
    assert (content.title, content.summary) == (appeal.public_title, appeal.public_body)
    assert content.title == "单某某家的生姜卖不出去"
    for private in ("单雄信", "13800138000"):
        assert private not in content.title + content.summary + content.place


def test_what_is_drawn_is_the_redacted_text(appeal, monkeypatch):
    drawn = []
    real_text = ImageDraw.ImageDraw.text

    def recording_text(self, xy, text, *args, **kwargs):
        drawn.append(text)
        return real_text(self, xy, text, *args, **kwargs)

    monkeypatch.setattr(ImageDraw.ImageDraw, "text", recording_text)
    poster_for(appeal)
    everything = "".join(drawn)
    assert "单雄信" not in everything and "13800138000" not in everything and "雄信" not in everything
    assert "单某某家的生姜卖不出去" in everything
    assert "138****8000" in everything
    assert "青联圈" in everything and "帮扶救助" in everything


def test_a_minors_poster_names_the_township_never_the_village(world):
    home = world.home
    minor = make_appeal(home, title="初二学生想学编程", body=f"{home.village.name}的初二学生想学编程，没有电脑。",
                        is_minor=True, category_key="study")
    content = poster_content(minor)
    assert content.place == home.township.name
    assert home.village.name not in content.place + content.summary + content.title
    adult = make_appeal(home, title="想学编程", body="想学编程。", category_key="study")
    assert poster_content(adult).place == f"{home.township.name} · {home.village.name}"


@pytest.mark.parametrize("status", [Status.PENDING, Status.REJECTED])
def test_no_poster_before_or_without_publication(world, status):
    appeal = make_appeal(world.home, title=TITLE, body=BODY, status=status)
    with pytest.raises(NotShareable):
        poster_content(appeal)


def test_no_poster_for_a_request_kept_private_or_merged(world, appeal):
    private = make_appeal(world.home, title=TITLE, body=BODY, status=Status.PENDING)
    private.status = Status.OPEN
    private.save()
    with pytest.raises(NotShareable):
        poster_content(private)
    appeal.status = Status.MERGED
    with pytest.raises(NotShareable):
        poster_content(appeal)


def test_chinese_wraps_by_character_and_keeps_closing_punctuation():
    font = _font(32)
    text = "村里种的两亩生姜卖不出去，希望帮忙联系收购商或者电商平台。" * 3
    lines = wrap(text, font, 400, 20)
    assert "".join(lines) == text
    assert all(font.getlength(line) <= 400 + font.getlength("，") for line in lines)
    assert not any(line[0] in "，。" for line in lines)
    cut = wrap(text, font, 400, 2)
    assert len(cut) == 2 and cut[-1].endswith("…")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_poster_route_answers_whoever_sees_the_published_request(world, appeal):
    response = _client(world.home.youth_user).get(f"/appeals/{appeal.pk}/poster.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(response.content)).size == (WIDTH, HEIGHT)
    assert _client(world.other.admin).get(f"/appeals/{appeal.pk}/poster.png").status_code == 404
    assert Client().get(f"/appeals/{appeal.pk}/poster.png").status_code == 302


def test_the_poster_route_is_404_for_an_unpublished_request_even_for_staff(world):
    pending = make_appeal(world.home, title=TITLE, body=BODY, status=Status.PENDING)
    assert _client(world.home.admin).get(f"/appeals/{pending.pk}/poster.png").status_code == 404


def test_the_share_button_shows_on_published_requests_only(world, appeal):
    client = _client(world.home.youth_user)
    assert f"/appeals/{appeal.pk}/poster.png" in client.get(f"/appeals/{appeal.pk}/").content.decode()
    pending = make_appeal(world.home, title=TITLE, body=BODY, status=Status.PENDING)
    page = _client(world.home.admin).get(f"/appeals/{pending.pk}/").content.decode()
    assert "poster.png" not in page


def test_a_township_request_has_the_township_as_its_place(world):
    home = world.home
    appeal = make_appeal(home, title="镇上缺少青年活动场地", body="希望镇里开放青年之家。", node=home.township)
    assert poster_content(appeal).place == home.township.name
