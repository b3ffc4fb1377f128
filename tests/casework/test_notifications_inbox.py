"""The inbox pages: the bell, the list, opening and marking read, preferences. Owner only: 404 for anyone else."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework.models import Notification, NotificationPreference
from tests.casework.reminder_fixtures import notify
from tests.inbox.scoping import objects_in


@pytest.fixture
def item(world):
    return notify(world, world.users["township_cadre"])


def test_the_inbox_lists_only_the_users_own_reminders(world, clients, item):
    notify(world, world.users["staff"], village=world.village_b)
    body = clients["township_cadre"].get(reverse("inbox:list")).content.decode()
    assert item.reminder.assignment.case_label in body
    assert body.count('data-testid="inbox-item"') == 1
    assert "逾期预警" in body and "已逾期" in body
    assert clients["supervisor"].get(reverse("inbox:list")).content.decode().count('data-testid="inbox-item"') == 0


def test_the_unread_filter_hides_what_was_read(world, clients, item):
    notify(world, world.users["township_cadre"]).mark_read()
    client = clients["township_cadre"]
    assert client.get(reverse("inbox:list")).content.decode().count('data-testid="inbox-item"') == 2
    assert client.get(reverse("inbox:list") + "?show=unread").content.decode().count('data-testid="inbox-item"') == 1


@pytest.mark.parametrize("persona", ["staff", "supervisor", "village_cadre", "outsider", "grid_worker"])
def test_someone_elses_notification_answers_404_on_every_url(world, clients, item, persona):
    client = clients[persona]
    assert client.get(reverse("inbox:open", args=[item.pk])).status_code == 404
    assert client.post(reverse("inbox:read", args=[item.pk])).status_code == 404
    failed = notify(world, world.users["township_cadre"], channel="email", status="failed",
                    assignment=item.reminder.assignment)
    assert client.post(reverse("inbox:retry", args=[failed.pk])).status_code == 404
    item.refresh_from_db()
    assert item.read_at is None


def test_a_missing_notification_is_404_like_someone_elses(clients):
    assert clients["township_cadre"].get(reverse("inbox:open", args=[999999])).status_code == 404


def test_actions_refuse_the_wrong_method_with_405(clients, item):
    client = clients["township_cadre"]
    assert client.get(reverse("inbox:read", args=[item.pk])).status_code == 405
    assert client.get(reverse("inbox:read-all")).status_code == 405
    assert client.get(reverse("inbox:retry", args=[item.pk])).status_code == 405
    assert client.post(reverse("inbox:open", args=[item.pk])).status_code == 405
    assert client.post(reverse("inbox:badge")).status_code == 405


def test_opening_a_notification_marks_it_read_and_goes_to_the_case(clients, item):
    response = clients["township_cadre"].get(reverse("inbox:open", args=[item.pk]))
    assert response.status_code == 302
    assert response["Location"] == item.reminder.assignment.case_url
    item.refresh_from_db()
    assert item.read_at is not None


def test_marking_read_with_htmx_returns_the_row_and_tells_the_bell(clients, item):
    response = clients["township_cadre"].post(reverse("inbox:read", args=[item.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Trigger"] == "inbox-changed"
    assert 'data-testid="inbox-mark-read"' not in response.content.decode()
    item.refresh_from_db()
    first_read = item.read_at
    clients["township_cadre"].post(reverse("inbox:read", args=[item.pk]))
    item.refresh_from_db()
    assert item.read_at == first_read


def test_mark_all_as_read_touches_only_the_users_own(world, clients, item):
    other = notify(world, world.users["staff"])
    response = clients["township_cadre"].post(reverse("inbox:read-all"))
    assert response.status_code == 302
    assert not Notification.objects.inbox_of(world.users["township_cadre"]).unread().exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_the_bell_shows_the_unread_count_in_one_query(world, clients, item, django_assert_num_queries):
    notify(world, world.users["township_cadre"])
    client = clients["township_cadre"]
    client.get(reverse("inbox:badge"))  # the session and user are loaded by every request: count them once
    with CaptureQueriesContext(connection) as queries:
        body = client.get(reverse("inbox:badge")).content.decode()
    assert 'data-testid="inbox-unread">2<' in body
    assert sum("governance_notification" in q["sql"] for q in queries.captured_queries) == 1
    assert 'data-testid="inbox-unread"' not in clients["supervisor"].get(reverse("inbox:badge")).content.decode()


def test_pages_render_the_bell_without_querying_notifications(clients, item):
    with CaptureQueriesContext(connection) as queries:
        body = clients["township_cadre"].get(reverse("home")).content.decode()
    assert 'data-testid="inbox-bell"' in body and 'hx-get="/inbox/badge/"' in body
    assert not any("governance_notification" in q["sql"] for q in queries.captured_queries)


def test_the_inbox_needs_the_same_queries_for_ten_and_a_hundred_notifications(world, clients):
    cadre = world.users["township_cadre"]
    counts = []
    for n in (10, 100):
        for _ in range(n - Notification.objects.filter(recipient=cadre).count()):
            notify(world, cadre)
        with CaptureQueriesContext(connection) as queries:
            assert clients["township_cadre"].get(reverse("inbox:list")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_preferences_save_the_channels_and_the_email_address(world, clients, settings):
    settings.NOTIFY_WEBHOOK_HOSTS = ["qyapi.weixin.qq.com"]
    url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1"
    response = clients["grid_worker"].post(reverse("inbox:preferences"), {
        "email_address": "gw@example.cn", "email": "", "webhook": "on", "webhook_url": url,
    })
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=world.users["grid_worker"])
    assert (preference.email, preference.webhook, preference.webhook_url) == (False, True, url)
    world.users["grid_worker"].refresh_from_db()
    assert world.users["grid_worker"].email == "gw@example.cn"


def test_a_webhook_to_a_host_not_allowed_is_refused_and_the_input_kept(world, clients, settings):
    settings.NOTIFY_WEBHOOK_HOSTS = ["qyapi.weixin.qq.com"]
    response = clients["grid_worker"].post(reverse("inbox:preferences"), {
        "email_address": "", "webhook": "on", "webhook_url": "http://10.0.0.5/hook",
    })
    assert response.status_code == 200
    body = response.content.decode()
    assert "只能推送到以下主机" in body and 'value="http://10.0.0.5/hook"' in body
    assert not NotificationPreference.objects.exists()


def test_switching_the_webhook_on_needs_an_address(clients):
    response = clients["grid_worker"].post(reverse("inbox:preferences"), {"webhook": "on", "webhook_url": ""})
    assert response.status_code == 200
    assert "请填写 Webhook 地址" in response.content.decode()


def test_the_preferences_page_lists_failed_deliveries_and_retries_them(world, clients, item):
    failed = notify(world, world.users["township_cadre"], channel="email", status="failed",
                    assignment=item.reminder.assignment)
    client = clients["township_cadre"]
    assert 'data-testid="delivery-problems"' in client.get(reverse("inbox:preferences")).content.decode()
    assert client.post(reverse("inbox:retry", args=[failed.pk])).status_code == 302
    failed.refresh_from_db()
    assert failed.status == "pending" and failed.attempts == 0


def test_the_scoping_contract_objects_belong_to_township_staff(world, clients):
    kwargs = objects_in(world, world.village_b)
    assert clients["staff"].get(reverse("inbox:open", kwargs=kwargs["inbox:open"])).status_code == 302
    assert clients["village_cadre"].get(reverse("inbox:open", kwargs=kwargs["inbox:open"])).status_code == 404
    assert clients["outsider"].post(reverse("inbox:read", kwargs=kwargs["inbox:read"])).status_code == 404


def test_a_notification_of_a_case_with_a_moved_deadline_says_so(world, clients, item):
    assignment = item.reminder.assignment
    assignment.deadline = timezone.localdate() + dt.timedelta(days=20)
    assignment.save(update_fields=["deadline"])
    body = clients["township_cadre"].get(reverse("inbox:list")).content.decode()
    assert "现办结时限" in body
