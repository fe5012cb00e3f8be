"""The contact card (联系卡): the printable page and the PDF show the helper in full and the young
person masked, never the ID number or the health and hardship notes. The PDF is rendered with
poppler (pdftoppm, pdftotext: Debian's poppler-utils) to prove the Chinese really draws."""
import shutil
import subprocess

import pytest
from django.test import Client
from PIL import Image

from youthlink.pairing.pdf import FONT_NAME, card_font

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def secrets_of(person) -> list[str]:
    return [person.id_number, person.mobile, person.health_notes, person.hardship_notes, person.masked("id_number")]


def poppler(tool: str) -> str:
    path = shutil.which(tool)
    assert path, f"{tool} is missing: apt-get install poppler-utils"
    return path


def test_the_card_font_is_an_embedded_truetype_cjk_font():
    assert card_font() == FONT_NAME  # fonts-wqy-zenhei is installed; the STSong-Light fallback draws nothing in poppler


def test_the_card_pdf_renders_the_chinese_names_and_hides_what_is_sensitive(world, pairing, tmp_path):
    home = world.home
    response = client_for(home.cadre).get(f"/pairing/{pairing.pk}/card.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "inline; filename*=utf-8''%E7%BB%93%E5%AF%B9%E8%81%94%E7%B3%BB%E5%8D%A1-%E5%8D%95%E9%9B%84%E4%BF%A1.pdf")
    pdf = tmp_path / "card.pdf"
    pdf.write_bytes(response.content)
    assert response.content.startswith(b"%PDF-")
    assert b"WenQuanYiZenHei" in response.content  # the font travels with the file

    subprocess.run([poppler("pdftoppm"), "-png", "-r", "60", str(pdf), str(tmp_path / "page")], check=True,
                   capture_output=True, timeout=60)
    pages = sorted(tmp_path.glob("page*.png"))
    assert [p.name for p in pages] == ["page-1.png"]
    with Image.open(pages[0]) as image:
        grey = image.convert("L")
        assert grey.size == (350, 497)  # A5 (148 × 210 mm) at 60 dpi
        assert sum(grey.histogram()[:128]) > 20000  # the red header, the QR code and the text: not blank
        # The left column under the header holds only text (names, phone, age, address): it is drawn.
        assert sum(grey.crop((0, 80, 200, 300)).histogram()[:128]) > 800

    text = subprocess.run([poppler("pdftotext"), "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True,
                          timeout=60).stdout.decode()
    for expected in ("结对帮扶联系卡", "泰顺团干部", "团干部 · 泰顺镇", home.cadre.mobile, "单雄信", "泰顺镇泰顺村",
                     "138****8000", "住院：3天内走访", "重要考试：7天内走访", "有问必答 · 有需必应 · 有难必帮"):
        assert expected in text, expected
    assert f"{home.person.age}岁" in text
    for secret in secrets_of(home.person):
        assert secret not in text


def test_the_printable_card_page_shows_the_same_and_a_qr_code_to_the_pairing(world, pairing):
    home = world.home
    response = client_for(home.secretary).get(f"/pairing/{pairing.pk}/card/")
    assert response.status_code == 200
    card = response.context["card"]
    assert (card.helper_name, card.helper_role, card.helper_unit, card.helper_phone, card.person_name,
            card.person_age, card.person_place, card.person_mobile, card.url) == (
        "泰顺团干部", "团干部", "泰顺镇", home.cadre.mobile, "单雄信", f"{home.person.age}岁", "泰顺镇泰顺村",
        "138****8000", f"http://testserver/pairing/{pairing.pk}/")
    html = response.content.decode()
    assert f'href="tel:{home.cadre.mobile}"' in html
    assert html.count("<svg") == 1 and "<path" in html
    for secret in secrets_of(home.person):
        assert secret not in html


def test_a_county_that_switched_an_event_type_off_does_not_print_it(world, pairing):
    from youthlink.pairing.services import must_visit_rules_set
    must_visit_rules_set(actor=world.home.admin, county=world.home.county,
                         rules={"holiday": {"deadline_days": 7, "enabled": False}})
    response = client_for(world.home.cadre).get(f"/pairing/{pairing.pk}/card/")
    assert [label for label, _days in response.context["card"].rules] == [
        "住院", "家庭丧事", "重大困难", "重要考试", "思想波动"]


@pytest.mark.parametrize("persona", ["home.micro", "home.centre_staff", "home.youth_user", "other.admin",
                                     "other.cadre"])
def test_the_card_is_not_found_for_anyone_else(world, pairing, persona):
    county, role = persona.split(".")
    client = client_for(getattr(getattr(world, county), role))
    for url in (f"/pairing/{pairing.pk}/card/", f"/pairing/{pairing.pk}/card.pdf", f"/api/pairing/{pairing.pk}/card.pdf"):
        assert client.get(url).status_code == 404, url


def test_the_paired_young_person_sees_their_own_card(world):
    from youthlink.pairing.services import pairing_create
    from youthlink.people.services import person_update
    youth = world.home.youth
    person_update(actor=world.home.admin, person=youth, tags=[("hardship", "")])
    own = pairing_create(actor=world.home.secretary, person=youth, helper=world.home.micro)
    response = client_for(world.home.youth_user).get(f"/pairing/{own.pk}/card/")
    assert (response.status_code, response.context["card"].helper_phone) == (200, world.home.micro.mobile)
