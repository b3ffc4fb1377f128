"""不予受理: a petition awaiting acceptance may be declined, with a reason, by those who accept. It leaves the clock
and the open ledger, its 包案 stops being chased, and the 不予受理告知书 prints in Chinese."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from casework.services import assignment_for
from petitions import figures, services
from petitions.models import Petition

from .factories import assign, outsider, register

D = dt.date

pytestmark = pytest.mark.today(dt.datetime(2026, 3, 2, 3, tzinfo=dt.UTC), tick=False)

REASON = "该事项已通过行政复议途径处理，依法不属于信访受理范围"


def _registered(world, **kwargs):
    return register(by=world.users["staff"], village=world.village_a, received_on=D(2026, 1, 20),
                    petitioners=[outsider("孙七")], channel=Petition.Channel.LETTER, **kwargs)


def test_declining_sets_the_fields_together_and_leaves_one_history_row(world):
    petition = _registered(world)
    rows = petition.history.count()
    services.petition_decline(petition=petition, by=world.users["staff"], on=D(2026, 1, 25), reason=f"  {REASON} ")
    petition.refresh_from_db()
    assert petition.status == Petition.Status.NOT_ACCEPTED
    assert (petition.declined_on, petition.declined_by, petition.decline_reason) == (
        D(2026, 1, 25), world.users["staff"], REASON)
    assert petition.history.count() == rows + 1
    latest = petition.history.first()
    assert latest.status == Petition.Status.NOT_ACCEPTED and latest.decline_reason == REASON
    assert petition.accepted_on is None


def test_only_a_petition_awaiting_acceptance_can_be_declined(world):
    petition = _registered(world)
    services.petition_accept(petition=petition, by=world.users["staff"], on=D(2026, 1, 22))
    with pytest.raises(ValidationError):
        petition.decline(by=world.users["staff"], on=D(2026, 1, 25), reason=REASON)
    petition.refresh_from_db()
    assert petition.status == Petition.Status.HANDLING and petition.declined_on is None

    declined = _registered(world)
    declined.decline(by=world.users["staff"], on=D(2026, 1, 25), reason=REASON)
    for step in (lambda: declined.decline(by=world.users["staff"], on=D(2026, 1, 26), reason=REASON),
                 lambda: declined.accept(by=world.users["staff"], on=D(2026, 1, 26))):
        with pytest.raises(ValidationError):
            step()


@pytest.mark.parametrize("day, reason", [
    (D(2026, 1, 19), REASON),  # before receipt
    (D(2026, 3, 3), REASON),  # after today
    (D(2026, 1, 25), "   "),  # no reason
])
def test_a_decline_needs_a_reason_and_a_date_between_receipt_and_today(world, day, reason):
    petition = _registered(world)
    rows = petition.history.count()
    with pytest.raises(ValidationError):
        petition.decline(by=world.users["staff"], on=day, reason=reason)
    petition.refresh_from_db()
    assert petition.status == Petition.Status.REGISTERED and petition.history.count() == rows


def test_the_assignment_of_a_declined_petition_is_closed(world):
    petition = _registered(world)
    assign(petition, by=world.users["staff"], lead=world.users["supervisor"])
    assert assignment_for(petition).is_open
    services.petition_decline(petition=petition, by=world.users["staff"], on=D(2026, 1, 25), reason=REASON)
    assert not assignment_for(petition).is_open


def test_a_declined_petition_is_neither_open_nor_overdue(world, clients):
    # Received 2026-01-20: acceptance was due 2026-02-04, so left registered it would be overdue today (2026-03-02).
    declined, waiting = _registered(world), _registered(world)
    services.petition_decline(petition=declined, by=world.users["staff"], on=D(2026, 2, 1), reason=REASON)
    declined.refresh_from_db()
    assert not declined.is_overdue and waiting.is_overdue
    assert list(Petition.objects.open()) == [waiting]
    assert list(Petition.objects.overdue()) == [waiting]

    row = figures.summary(world.users["staff"])
    assert (row["total"], row["open"], row["overdue"], row["late"]) == (2, 1, 1, 1)
    assert figures.dashboard_summary(world.users["staff"])["open"] == 1

    def listed(**params):
        body = clients["staff"].get(reverse("petitions:list"), params).content.decode()
        return [p.number for p in (declined, waiting) if p.number in body]

    assert listed(open="yes") == [waiting.number]
    assert listed(overdue="yes") == [waiting.number]
    assert listed(open="no") == [declined.number]
    assert listed(overdue="no") == [declined.number]


def test_declining_through_the_page_and_printing_the_notice(world, clients):
    petition = _registered(world)
    client = clients["staff"]
    page = client.get(petition.get_absolute_url()).content.decode()
    assert 'data-testid="decline-form"' in page
    notice = reverse("petitions:notice-decline", args=[petition.pk])
    assert client.get(notice)["Location"] == petition.get_absolute_url()  # not declined yet

    url = reverse("petitions:decline", args=[petition.pk])
    response = client.post(url, {"decline-declined_on": "2026-01-25", "decline-reason": ""})
    assert response.status_code == 400
    response = client.post(url, {"decline-declined_on": "2026-01-10", "decline-reason": "不属于本机关职责"})
    assert response.status_code == 400 and "不属于本机关职责" in response.content.decode()
    petition.refresh_from_db()
    assert petition.status == Petition.Status.REGISTERED

    response = client.post(url, {"decline-declined_on": "2026-01-25", "decline-reason": REASON})
    assert response.status_code == 302
    page = client.get(petition.get_absolute_url()).content.decode()
    assert 'data-testid="decline-form"' not in page and 'data-testid="accept-form"' not in page
    assert 'data-testid="progress-form"' not in page and 'data-testid="notice-decline"' in page

    body = client.get(notice).content.decode()
    for text in ("青石镇人民政府", "信访事项不予受理告知书", "孙七：", "2026年1月20日", "来信", "2026年1月25日",
                 "不予受理", REASON, "送达回执", petition.number):
        assert text in body, text


def test_the_decline_notice_is_chinese_under_the_english_ui(world, clients):
    petition = _registered(world)
    services.petition_decline(petition=petition, by=world.users["staff"], on=D(2026, 1, 25), reason=REASON)
    client = clients["village_cadre"]
    client.cookies["django_language"] = "en"
    body = client.get(reverse("petitions:notice-decline", args=[petition.pk]), HTTP_ACCEPT_LANGUAGE="en")
    body = body.content.decode()
    assert "Print" in body and "信访事项不予受理告知书" in body and "来信" in body and "Letter" not in body
    assert "2026年1月25日" in body


def test_the_ledger_says_the_petition_was_not_accepted(world, clients):
    petition = _registered(world)
    services.petition_decline(petition=petition, by=world.users["staff"], on=D(2026, 1, 25), reason=REASON)
    client = clients["staff"]
    client.cookies["django_language"] = "en"
    response = client.get(reverse("petitions:export"), {"format": "xlsx"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert f"2026年1月25日不予受理：{REASON}" in cells
