from django.db import migrations


def load_catalogue(apps, schema_editor):
    from portal.training import reference

    reference.load(apps.get_model("training", "Course"))


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial")]

    operations = [migrations.RunPython(load_catalogue, migrations.RunPython.noop)]
