"""更正: a registered petition is put right — who, what, when — with a reason kept in the history; the dates the
statutory clock runs from only by a supervisor, and the reminders follow."""

import datetime as dt

from django.urls import reverse

from casework.services import assignment_for
from petitions.models import Petition
from petitions.services import petition_accept
from tests.petitions.factories import assign, id_number

TODAY = dt.date(2026, 11, 20)


def _post(client, petition, **data):
    person = petition.petitioners.get()
    body = {
        "channel": petition.channel, "referred_by": petition.referred_by, "subject": petition.subject,
        "head_count": petition.head_count, "content": petition.content, "demands": petition.demands,
        f"p{person.pk}-name": person.name, f"p{person.pk}-id_number": "", f"p{person.pk}-phone": "",
        "reason": "登记时录入有误",
    }
    body.update({k.replace("P-", f"p{person.pk}-"): v for k, v in data.items()})
    return client.post(reverse("petitions:correct", args=[petition.pk]), body)


def test_staff_correct_who_and_what_and_the_history_says_so(world, clients, petition_a):
    staff = clients["staff"]
    page = staff.get(reverse("petitions:detail", args=[petition_a.pk])).content.decode()
    assert 'data-testid="correct"' in page
    form = staff.get(reverse("petitions:correct", args=[petition_a.pk])).content.decode()
    assert 'name="received_on"' not in form  # the statutory clock is not theirs to move
    new_id = id_number()
    response = _post(staff, petition_a, subject=Petition.Subject.SOCIAL_SECURITY, content="反映养老保险待遇问题",
                     **{"P-name": "孙七七", "P-id_number": new_id})
    assert response.status_code == 302
    petition_a.refresh_from_db()
    person = petition_a.petitioners.get()
    assert petition_a.subject == Petition.Subject.SOCIAL_SECURITY and petition_a.content == "反映养老保险待遇问题"
    assert person.name == "孙七七" and person.id_number == new_id
    history = staff.get(reverse("petitions:detail", args=[petition_a.pk])).content.decode()
    history = history.split('data-testid="history"')[1]
    assert "登记时录入有误" in history and "信访人 外来人 → 孙七七" in history and "已更正孙七七的身份证号" in history
    assert new_id not in history


def test_a_correction_needs_a_reason_and_keeps_what_was_typed(world, clients, petition_a):
    response = _post(clients["staff"], petition_a, content="新的内容", reason="")
    assert response.status_code == 200
    body = response.content.decode()
    assert "新的内容" in body
    petition_a.refresh_from_db()
    assert petition_a.content != "新的内容"


def test_staff_cannot_move_the_statutory_clock(world, clients, petition_a):
    received = petition_a.received_on
    response = _post(clients["staff"], petition_a, received_on="2026-11-01", demands="补足补偿款并公开标准")
    assert response.status_code == 302  # the date is not a field of their form: the rest is corrected
    petition_a.refresh_from_db()
    assert petition_a.received_on == received and petition_a.demands == "补足补偿款并公开标准"


def test_a_supervisor_corrects_the_dates_and_the_deadlines_follow(world, clients, petition_a):
    staff, supervisor = world.users["staff"], world.users["supervisor"]
    petition_accept(petition=petition_a, by=staff, on=petition_a.received_on)
    assign(petition_a, by=staff, lead=supervisor)
    petition_a.refresh_from_db()
    received = petition_a.received_on - dt.timedelta(days=3)
    response = _post(clients["supervisor"], petition_a, received_on=received.isoformat(),
                     accepted_on=received.isoformat(), reason="收件日期登记错误，以信封邮戳为准")
    assert response.status_code == 302
    petition_a.refresh_from_db()
    assert petition_a.received_on == received and petition_a.accepted_on == received
    assert petition_a.acceptance_due_on == received + dt.timedelta(days=15)
    assert petition_a.handling_due_on == received + dt.timedelta(days=60)
    assert petition_a.due_on == petition_a.handling_due_on
    assert assignment_for(petition_a).deadline == petition_a.due_on
    assert petition_a.history.first().history_user == supervisor


def test_acceptance_cannot_be_corrected_to_before_receipt(world, clients, petition_a):
    petition_accept(petition=petition_a, by=world.users["staff"], on=petition_a.received_on)
    before = (petition_a.received_on - dt.timedelta(days=1)).isoformat()
    response = _post(clients["supervisor"], petition_a, received_on=petition_a.received_on.isoformat(),
                     accepted_on=before)
    assert response.status_code == 200 and "受理日期不能早于收件日期" in response.content.decode()


def test_who_may_correct(world, clients, petition_a):
    url = reverse("petitions:correct", args=[petition_a.pk])
    assert clients["village_cadre_b"].get(url).status_code == 404
    assert clients["outsider"].get(url).status_code == 404
    assert clients["staff"].put(url).status_code == 405
    assert clients["staff"].get(url).status_code == 200
