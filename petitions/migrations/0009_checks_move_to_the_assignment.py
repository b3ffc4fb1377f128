"""四包 moves to the 包案: each petition's own checklist row becomes a row of the shared checklist of its 包案
(casework.AssignmentCheck, the same on every case page). A petition whose items were ticked before it had a 包案 keeps
them as a 办理过程 entry, so nothing is lost. Going back recreates nothing (the rows live on in the 包案's checklist)."""

from django.db import migrations

LABELS = {"investigate": "包调查研究", "coordinate": "包协调处理", "follow_up": "包督办落实", "stabilise": "包教育稳控"}


def move_checks(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Check = apps.get_model("petitions", "ResponsibilityCheck")
    Assignment = apps.get_model("casework", "ResponsibilityAssignment")
    AssignmentCheck = apps.get_model("casework", "AssignmentCheck")
    ProgressEntry = apps.get_model("petitions", "ProgressEntry")
    petition_type = ContentType.objects.filter(app_label="petitions", model="petition").first()
    checks = list(Check.objects.select_related("petition", "updated_by").order_by("petition_id", "pk"))
    if not checks or petition_type is None:
        return
    latest = {}
    for assignment_id, case_id in (Assignment.objects.filter(case_type=petition_type)
                                   .order_by("pk").values_list("pk", "case_id")):
        latest[case_id] = assignment_id
    taken = set(AssignmentCheck.objects.filter(assignment_id__in=latest.values())
                .values_list("assignment_id", "item"))
    moved, kept = [], []
    for check in checks:
        assignment_id = latest.get(check.petition_id)
        day = check.updated_at.date()
        if assignment_id is not None:
            if (assignment_id, check.item) not in taken:
                taken.add((assignment_id, check.item))
                moved.append(AssignmentCheck(assignment_id=assignment_id, item=check.item, done=check.done,
                                             done_on=day if check.done else None, note=check.note,
                                             updated_by_id=check.updated_by_id))
        elif check.done or check.note:
            state = "已完成" if check.done else "未完成"
            by = check.updated_by
            kept.append(ProgressEntry(
                petition_id=check.petition_id, round=check.petition.round, done_on=day,
                handler=(by.display_name or by.username) if by else "—",
                action=f"四包·{LABELS.get(check.item, check.item)}：{state}" + (f"：{check.note}" if check.note else ""),
                recorded_by_id=check.updated_by_id or check.petition.registered_by_id))
    AssignmentCheck.objects.bulk_create(moved)
    ProgressEntry.objects.bulk_create(kept)


class Migration(migrations.Migration):

    dependencies = [
        ('petitions', '0008_petition_correction_note'),
        ('casework', '0007_notification_reception_kinds'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.RunPython(move_checks, migrations.RunPython.noop),
        migrations.DeleteModel(
            name='HistoricalResponsibilityCheck',
        ),
        migrations.DeleteModel(
            name='ResponsibilityCheck',
        ),
    ]
