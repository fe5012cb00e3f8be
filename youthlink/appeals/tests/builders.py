"""Requests built through the services, in the shape the tests need."""
from youthlink.appeals import services
from youthlink.appeals.models import Category, Source


def category(key: str = "entrepreneurship") -> Category:
    return Category.objects.get(county=None, key=key)


def collected(world, *, title="生姜滞销求销路", body="村里单雄信家种的两亩生姜卖不出去，电话13800138000，希望帮忙联系销路",
              subject_name="单雄信", consent=True, key="entrepreneurship", **kw):
    """What the home micro-element collected in their village from their WeChat moments."""
    home = world.home
    data = dict(actor=home.micro, source=Source.COLLECTED, category=category(key), title=title, body=body,
                node=home.village, subject_name=subject_name, collected_from="moments", consent_to_publish=consent,
                consent_note="本人微信同意" if consent else "")
    data.update(kw)
    return services.appeal_submit(**data)


def published(world, **kw):
    appeal = collected(world, **kw)
    title, body = services.preview_public_text(appeal)
    return services.appeal_publish(actor=world.home.secretary, appeal=appeal, public_title=title, public_body=body)


def claimed(world, **kw):
    appeal = published(world, **kw)
    return services.appeal_claim(actor=world.home.cadre, appeal=appeal)
