import django.db.models.deletion
from django.db import migrations, models


def install_triggers(apps, schema_editor):
    from huiying.dashboard import tally_sql

    vendor = schema_editor.connection.vendor
    apps.get_model("dashboard", "TallyHorizon").objects.create(id=1, day=tally_sql.FOLDED)
    with schema_editor.connection.cursor() as cursor:
        for sql in tally_sql.drop_sql(vendor) + tally_sql.install_sql(vendor) + tally_sql.rebuild_sql(vendor):
            cursor.execute(sql)


def drop_triggers(apps, schema_editor):
    from huiying.dashboard import tally_sql

    with schema_editor.connection.cursor() as cursor:
        for sql in tally_sql.drop_sql(schema_editor.connection.vendor):
            cursor.execute(sql)


class Migration(migrations.Migration):
    """The tally's new shape (marginals with the response class and a fold horizon) and the
    rating tally. The tally is derived data: dropped, created anew and recounted."""

    dependencies = [
        ('dashboard', '0001_initial'),
        ('network', '0001_initial'),
        ('supervision', '0001_initial'),  # the supervisors' ratings carry triggers too
    ]

    operations = [
        # The old triggers name the old key: out first, back (new) at the end, then a recount.
        migrations.RunPython(drop_triggers, migrations.RunPython.noop),
        migrations.DeleteModel(name='ConcernTally'),
        migrations.CreateModel(
            name='ConcernTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField()),
                ('dim', models.CharField(choices=[('child', 'Child'), ('function', 'Function'), ('track', 'Track'), ('channel', 'Channel')], max_length=8)),
                ('value', models.CharField(max_length=16)),
                ('cls', models.CharField(choices=[('resolved', 'Resolved'), ('pending', 'Pending'), ('other', 'Other')], max_length=8)),
                ('due', models.DateField()),
                ('resp', models.SmallIntegerField(choices=[(0, 'Late'), (1, 'On Time'), (2, 'Pending'), (3, 'While Due')], default=2)),
                ('n', models.IntegerField(default=0)),
                ('scope', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='network.unit')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('scope', 'month', 'dim', 'value', 'cls', 'due', 'resp'), name='concern_tally_key')],
                'indexes': [models.Index(fields=['due'], name='concern_tally_due')],
            },
        ),
        migrations.CreateModel(
            name='TallyHorizon',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
            ],
        ),
        migrations.CreateModel(
            name='RatingTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField()),
                ('v_satisfied', models.IntegerField(default=0)),
                ('v_basic', models.IntegerField(default=0)),
                ('v_dissatisfied', models.IntegerField(default=0)),
                ('s_satisfied', models.IntegerField(default=0)),
                ('s_basic', models.IntegerField(default=0)),
                ('s_dissatisfied', models.IntegerField(default=0)),
                ('rated', models.IntegerField(default=0)),
                ('child', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='network.unit')),
                ('scope', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='network.unit')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('scope', 'child', 'month'), name='rating_tally_key')],
            },
        ),
        migrations.RunPython(install_triggers, drop_triggers),
    ]
