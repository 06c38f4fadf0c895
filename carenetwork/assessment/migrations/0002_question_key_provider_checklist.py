# Questions get a key that stays the same from version to version (so the trend follows a question through
# rewording); rounds may belong to a provider (its own tool 2 check); tool 2 is seeded in the toolkit's words.

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F

from carenetwork.assessment import toolkit


def keys_from_order(apps, schema_editor):
    """Every question so far is in version 1 of its set, where its place is its key."""
    apps.get_model("assessment", "Question").objects.update(key=F("order"))


class Migration(migrations.Migration):

    dependencies = [
        ('assessment', '0001_initial'),
        ('organisations', '0005_location_local_authority'),
    ]

    operations = [
        migrations.AddField(
            model_name='question',
            name='key',
            field=models.PositiveSmallIntegerField(default=0, verbose_name='key'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='round',
            name='organisation',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.organisation', verbose_name='provider'),
        ),
        migrations.AlterField(
            model_name='questionset',
            name='tool',
            field=models.CharField(choices=[('tool-1', "Tool 1: understanding providers' business"), ('tool-2', "Tool 2: providers' checklist on the market position statement"), ('tool-4', 'Tool 4: engagement self-assessment'), ('tool-5', 'Tool 5: checklist for SME procurement')], max_length=8, verbose_name='tool'),
        ),
        migrations.AddConstraint(
            model_name='round',
            constraint=models.CheckConstraint(condition=models.Q(('organisation__isnull', True), ('status', 'closed'), _connector='OR'), name='assessment_provider_round_closed'),
        ),
        migrations.AddConstraint(
            model_name='round',
            constraint=models.UniqueConstraint(condition=models.Q(('organisation__isnull', False)), fields=('organisation', 'question_set', 'date'), name='assessment_provider_round_once_a_day'),
        ),
        # Keys before their constraint; the seed (which inserts rows) after every change to the tables, as
        # PostgreSQL will not alter a table with inserted rows' checks still pending in the transaction.
        migrations.RunPython(keys_from_order, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='question',
            constraint=models.UniqueConstraint(fields=('question_set', 'key'), name='assessment_question_key'),
        ),
        migrations.RunPython(toolkit.seed, migrations.RunPython.noop),
    ]
