"""A return's date is reminded by the one deadline scan (casework/reminders.py): the village cadres before it, red after,
and nothing once the return is in."""

import datetime as dt

from casework import reminders, rounds
from casework.models import Notification
from tests.casework.reminder_fixtures import inbox_stages
from tests.rounds.factories import make_round

# Early December 2026 has no holidays: Friday 4th, weekend 5-6, Wednesday 9th.
WED = dt.date(2026, 12, 9)


def test_the_scan_reminds_the_village_before_the_date_and_flags_it_red_after(world):
    campaign = make_round(world, returns_due=WED)
    cadre_a, cadre_b = world.users["village_cadre"], world.users["village_cadre_b"]
    rounds.return_submit(ret=campaign.returns.get(village=world.village_b), by=cadre_b, checked_count=30,
                         zero_report=True)
    reminders.scan(today=dt.date(2026, 12, 4))
    reminders.scan(today=dt.date(2026, 12, 10))
    reminders.scan(today=dt.date(2026, 12, 10))  # twice: harmless
    assert inbox_stages(cadre_a) == ["due_3", "overdue"]
    assert inbox_stages(cadre_b) == []  # their return is in
    assert inbox_stages(world.users["staff"]) == ["due_3", "overdue"]  # the round's author leads it


def test_a_reminder_opens_the_return(world, clients):
    campaign = make_round(world, returns_due=WED)
    reminders.scan(today=dt.date(2026, 12, 10))
    # (The return handed to them when the round was made is a notice of its own: the reminder is the scan's row.)
    note = Notification.objects.inbox_of(world.users["village_cadre"]).get(reminder__isnull=False)
    assert "桃源村" in note.reminder.assignment.case_label
    response = clients["village_cadre"].get(f"/inbox/{note.pk}/")
    assert response.status_code == 302
    assert response["Location"] == campaign.returns.get(village=world.village_a).get_absolute_url()
