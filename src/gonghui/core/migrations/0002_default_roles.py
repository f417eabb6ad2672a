from django.db import migrations


def add_roles(apps, schema_editor):
    from gonghui.core.roles import ensure_default_roles

    ensure_default_roles(apps.get_model("core", "Role"))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(add_roles, migrations.RunPython.noop)]
