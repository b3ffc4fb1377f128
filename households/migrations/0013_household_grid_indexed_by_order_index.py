"""A household's grid has no index of its own: the order index (grid, house number, id) and (grid, household head)
lead with it, and with a third PostgreSQL chose between it and the order index by a hair's cost, differently after each
ANALYZE (a search or tag filter then read every household's row instead of the order index alone)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('governance', '0006_version'),
        ('households', '0012_household_order_index_covers_search'),
    ]

    operations = [
        migrations.AlterField(
            model_name='household',
            name='grid',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='households', to='governance.grid', verbose_name='grid'),
        ),
    ]
