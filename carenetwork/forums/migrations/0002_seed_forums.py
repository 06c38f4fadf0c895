"""Seed the four forums of the Havering model; council officers add leads and more forums."""

from django.db import migrations

FORUMS = [
    ("residential-nursing-care", "Residential and nursing care forum", ["residential-care", "nursing-care"],
     "Care home managers and the council's commissioners on residential and nursing care."),
    ("home-care", "Home care forum", ["home-care"],
     "Home care agencies and the council on domiciliary care: rates, rotas, hospital discharge."),
    ("learning-disability", "Learning disability services forum", ["learning-disability", "supported-living",
                                                                    "day-services"],
     "Supported living, day services and residential services for people with a learning disability."),
    ("voluntary-community", "Voluntary and community sector forum", ["voluntary-community"],
     "Voluntary and community groups that support adults and carers in the borough."),
]


def seed(apps, schema_editor):
    Forum = apps.get_model("forums", "Forum")
    Sector = apps.get_model("organisations", "Sector")
    for slug, name, sectors, description in FORUMS:
        forum, created = Forum.objects.get_or_create(slug=slug, defaults={"name": name, "description": description})
        if created:
            forum.sectors.set(Sector.objects.filter(slug__in=sectors))


class Migration(migrations.Migration):
    dependencies = [("forums", "0001_initial"), ("organisations", "0002_seed_taxonomies")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
