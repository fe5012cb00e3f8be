def build(context, fake):
    pass
from youthlink.core.registry import register_demo_builder
register_demo_builder("visits", build, order=40)
