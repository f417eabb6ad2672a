from django.db import migrations


def add_types(apps, schema_editor):
    from gonghui.activities.services import ensure_national_types

    ensure_national_types(apps.get_model("activities", "ActivityType"))


class Migration(migrations.Migration):
    dependencies = [("activities", "0002_initial")]
    operations = [migrations.RunPython(add_types, migrations.RunPython.noop)]
