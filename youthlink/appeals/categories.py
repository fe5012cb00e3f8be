"""The built-in categories of requests (服务领域), with the sectors and partner tags that steer the
matching of resource partners. Counties add their own next to these."""

# key, name, sectors (people.Sector), partner tags (people.Tag)
BUILTIN = [
    ("volunteering", "志愿服务", ["social"], ["local_talent"]),
    ("entrepreneurship", "创业", ["enterprise", "agriculture", "science", "finance"],
     ["mentor", "enterprise_assoc", "federation"]),
    ("employment", "就业", ["enterprise"], ["enterprise_assoc", "federation"]),
    ("dating", "婚恋交友", ["social"], []),
    ("health", "健康", ["health"], ["federation"]),
    ("psychology", "心理", ["health", "education", "social"], ["federation"]),
    ("assistance", "帮扶救助", ["social"], ["local_talent", "federation"]),
    ("study", "学业", ["education"], ["federation"]),
    ("other", "其他", [], []),
]


def ensure_builtin_categories(category_model, using: str = "default") -> None:
    """Create the built-in categories that are missing; never touches those that exist (a deployment
    may have renamed one or changed its deadlines)."""
    existing = set(category_model.objects.using(using).filter(county=None).values_list("key", flat=True))
    category_model.objects.using(using).bulk_create([
        category_model(county=None, key=key, name=name, sectors=sectors, partner_tags=tags, position=position * 10)
        for position, (key, name, sectors, tags) in enumerate(BUILTIN, start=1) if key not in existing])
