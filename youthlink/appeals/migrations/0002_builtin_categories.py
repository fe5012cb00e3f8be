from django.db import migrations

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


def create(apps, schema_editor):
    Category = apps.get_model("appeals", "Category")
    for position, (key, name, sectors, tags) in enumerate(BUILTIN, start=1):
        Category.objects.update_or_create(
            county=None, key=key,
            defaults={"name": name, "sectors": sectors, "partner_tags": tags, "position": position * 10})


def remove(apps, schema_editor):
    apps.get_model("appeals", "Category").objects.filter(county=None, key__in=[b[0] for b in BUILTIN]).delete()


class Migration(migrations.Migration):
    dependencies = [("appeals", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
