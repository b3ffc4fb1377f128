"""Scoping-matrix contract for the inbox (URL namespace "inbox", views in casework/views.py).

The inbox is owner-only, stricter than a township scope: the objects belong to township staff (who must not get
404 in the matrix), so the village cadre of A and the other township's staff get 404, as the matrix expects."""

from casework.models import Notification
from tests.casework.reminder_fixtures import notify

LIST_URLS: list[str] = []


def objects_in(world, village) -> dict[str, dict]:
    staff = world.users["staff"]
    item = notify(world, staff, village=village)
    failed = notify(world, staff, channel=Notification.Channel.EMAIL, status=Notification.Status.FAILED,
                    assignment=item.reminder.assignment)
    return {
        "inbox:open": {"pk": item.pk},
        "inbox:read": {"pk": item.pk},
        "inbox:retry": {"pk": failed.pk},
    }
