# The 包案 assignment, reminders and notifications, made in governance, now casework's: state only, the tables keep their names.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('governance', '0009_calendaryear'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables are there already, under the names they were made with: only Django's idea of them moves.
            state_operations=[
                migrations.CreateModel(
                    name='NotificationPreference',
                    fields=[
                        ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='notification_preference', serialize=False, to=settings.AUTH_USER_MODEL, verbose_name='user')),
                        ('email', models.BooleanField(default=True, verbose_name='by email')),
                        ('webhook', models.BooleanField(default=False, verbose_name='by webhook')),
                        ('webhook_url', models.URLField(blank=True, max_length=500, verbose_name='webhook URL')),
                    ],
                    options={
                        'verbose_name': 'notification preference',
                        'verbose_name_plural': 'notification preferences',
                        'db_table': 'governance_notificationpreference',
                    },
                ),
                migrations.CreateModel(
                    name='ResponsibilityAssignment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                        ('case_id', models.PositiveBigIntegerField()),
                        ('case_label', models.CharField(max_length=200, verbose_name='case')),
                        ('case_url', models.CharField(blank=True, max_length=200)),
                        ('responsible_unit', models.CharField(max_length=100, verbose_name='responsible unit')),
                        ('deadline', models.DateField(verbose_name='deadline')),
                        ('is_open', models.BooleanField(default=True, verbose_name='open')),
                        ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='closed at')),
                        ('supervision_level', models.CharField(blank=True, choices=[('', 'Not supervised'), ('yellow', 'Yellow card'), ('red', 'Red card')], default='', max_length=8, verbose_name='supervision')),
                        ('supervision_comment', models.TextField(blank=True, verbose_name='supervision comment')),
                        ('supervised_at', models.DateTimeField(blank=True, null=True, verbose_name='supervised at')),
                        ('case_type', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='contenttypes.contenttype')),
                        ('grid', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='governance.grid', verbose_name='grid')),
                        ('lead', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='led_assignments', to=settings.AUTH_USER_MODEL, verbose_name='lead official')),
                        ('supervised_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='supervised by')),
                        ('team', models.ManyToManyField(blank=True, db_table='governance_responsibilityassignment_team', related_name='team_assignments', to=settings.AUTH_USER_MODEL, verbose_name='team')),
                        ('township', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='governance.township', verbose_name='township')),
                        ('village', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='governance.village', verbose_name='village')),
                    ],
                    options={
                        'verbose_name': 'responsibility assignment',
                        'verbose_name_plural': 'responsibility assignments',
                        'db_table': 'governance_responsibilityassignment',
                        'ordering': ['deadline'],
                    },
                ),
                migrations.CreateModel(
                    name='Reminder',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('stage', models.CharField(max_length=16, verbose_name='stage')),
                        ('deadline', models.DateField(verbose_name='deadline')),
                        ('created_at', models.DateTimeField(verbose_name='created at')),
                        ('notified_at', models.DateTimeField(blank=True, editable=False, null=True)),
                        ('assignment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to='casework.responsibilityassignment', verbose_name='responsibility assignment')),
                    ],
                    options={
                        'verbose_name': 'reminder',
                        'verbose_name_plural': 'reminders',
                        'db_table': 'governance_reminder',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='Notification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('channel', models.CharField(choices=[('inbox', 'In-app inbox'), ('email', 'Email'), ('webhook', 'Webhook')], max_length=8, verbose_name='delivery channel')),
                        ('status', models.CharField(choices=[('pending', 'Waiting'), ('sending', 'Sending'), ('sent', 'Delivered'), ('failed', 'Not delivered'), ('cancelled', 'Cancelled')], default='pending', max_length=10, verbose_name='status')),
                        ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='attempts')),
                        ('last_error', models.TextField(blank=True, verbose_name='last error')),
                        ('address', models.CharField(blank=True, max_length=500, verbose_name='sent to')),
                        ('created_at', models.DateTimeField(verbose_name='created at')),
                        ('next_attempt_at', models.DateTimeField(verbose_name='next attempt at')),
                        ('claimed_at', models.DateTimeField(blank=True, editable=False, null=True)),
                        ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='delivered at')),
                        ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='read at')),
                        ('recipient', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL, verbose_name='recipient')),
                        ('reminder', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to='casework.reminder', verbose_name='reminder')),
                    ],
                    options={
                        'verbose_name': 'notification',
                        'verbose_name_plural': 'notifications',
                        'db_table': 'governance_notification',
                        'ordering': ['-created_at', '-id'],
                        'indexes': [models.Index(condition=models.Q(('channel', 'inbox')), fields=['recipient', '-created_at'], name='governance_notification_inbox'), models.Index(condition=models.Q(('channel', 'inbox'), ('read_at__isnull', True)), fields=['recipient'], name='governance_notification_unread'), models.Index(condition=models.Q(('status', 'pending')), fields=['next_attempt_at'], name='governance_notification_due')],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('recipient__isnull', False)), fields=('reminder', 'recipient', 'channel'), name='governance_notification_once'), models.UniqueConstraint(condition=models.Q(('recipient__isnull', True)), fields=('reminder', 'channel'), name='governance_notification_once_township')],
                    },
                ),
                migrations.AddIndex(
                    model_name='responsibilityassignment',
                    index=models.Index(condition=models.Q(('is_open', True)), fields=['deadline'], name='governance_assignment_open_due'),
                ),
                migrations.AddConstraint(
                    model_name='responsibilityassignment',
                    constraint=models.UniqueConstraint(fields=('case_type', 'case_id'), name='governance_assignment_one_per_case'),
                ),
                migrations.AddIndex(
                    model_name='reminder',
                    index=models.Index(condition=models.Q(('notified_at__isnull', True)), fields=['id'], name='governance_reminder_fresh'),
                ),
                migrations.AddConstraint(
                    model_name='reminder',
                    constraint=models.UniqueConstraint(fields=('assignment', 'stage', 'deadline'), name='governance_reminder_once_per_stage'),
                ),
            ],
            database_operations=[],
        ),
    ]
