# A petition's number is as long as every case's (casework.cases.Case): 24 characters, as a dispute's.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('petitions', '0003_assignment_grid'),
    ]

    operations = [
        migrations.AlterField(
            model_name='historicalpetition',
            name='number',
            field=models.CharField(editable=False, max_length=24, verbose_name='number'),
        ),
        migrations.AlterField(
            model_name='petition',
            name='number',
            field=models.CharField(editable=False, max_length=24, verbose_name='number'),
        ),
    ]
