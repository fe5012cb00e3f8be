from django.db import migrations

from youthlink.appeals.categories import BUILTIN, ensure_builtin_categories


def create(apps, schema_editor):
    ensure_builtin_categories(apps.get_model("appeals", "Category"), using=schema_editor.connection.alias)


def remove(apps, schema_editor):
    apps.get_model("appeals", "Category").objects.filter(county=None, key__in=[b[0] for b in BUILTIN]).delete()


class Migration(migrations.Migration):
    dependencies = [("appeals", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
