from django.db import migrations


def load(apps, schema_editor):
    from laeringsarena.competence.frameworks import ensure_shipped

    ensure_shipped(apps)


class Migration(migrations.Migration):
    dependencies = [("competence", "0002_profiles_campaigns")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
