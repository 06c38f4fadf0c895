from django.db import migrations


def build(apps, schema_editor):
    """Work out the sub-markets' figures for the locations and returns already there."""
    from carenetwork.market.figures import market_figures_recount

    Location = apps.get_model("organisations", "Location")
    if Location.objects.exists():
        market_figures_recount(repair=True)


class Migration(migrations.Migration):
    dependencies = [("market", "0003_sub_market_figures")]

    operations = [migrations.RunPython(build, migrations.RunPython.noop)]
