"""Every hand-over tells somebody at once, once, with a link (#29 item 1): a 包案 assigned, a 督办, an escalation or a
hand-down, a 销号 to approve (and the 待我审批 list), the decision, a demand raised in my village."""

import datetime as dt

import pytest
from django.urls import reverse

from casework.models import Notification
from casework.rectification import rectification_decide_closeout, rectification_request_closeout
from disputes import services as dispute_services
from disputes.models import Dispute
from households.services import demand_raise
from petitions import services as petition_services
from petitions.models import CloseOut, Petition
from tests.disputes.factories import DisputeFactory, PartyFactory
from tests.factories import HouseholdFactory, VisitFactory
from tests.hazards.factories import HazardFactory
from tests.hazards.factories import advance as hazard_advance
from tests.petitions.factories import advance as petition_advance
from tests.petitions.factories import assign as petition_assign
from tests.petitions.factories import register

K = Notification.Kind


def inbox(user, kind=None):
    rows = Notification.objects.inbox_of(user)
    return list(rows.filter(kind=kind) if kind is not None else rows.exclude(kind=K.REMINDER))


def _dispute(world, **kw):
    dispute = DisputeFactory(grid=world.grid_a1, title="宅基地边界纠纷", **kw)
    PartyFactory(dispute=dispute)
    return dispute


def _assign(world, dispute, lead="township_cadre", team=("village_cadre",)):
    return dispute_services.dispute_assign(
        dispute=dispute, by=world.users["staff"], lead=world.users[lead], responsible_unit="镇司法所",
        deadline=dt.date(2026, 11, 30), team=[world.users[t] for t in team])


def test_the_lead_and_the_team_are_told_once_when_a_case_is_assigned_to_them(world):
    dispute = _dispute(world)
    _assign(world, dispute)
    _assign(world, dispute)  # the same 包案 saved again: nobody is told twice
    lead, member = world.users["township_cadre"], world.users["village_cadre"]
    for user in (lead, member):
        [notice] = inbox(user, K.ASSIGNED)
        assert notice.url == dispute.get_absolute_url()
        assert "宅基地边界纠纷" in notice.subject and "镇司法所" in notice.detail
        assert notice.read_at is None
    assert inbox(world.users["staff"]) == []  # who assigned it is not told of their own act
    _assign(world, dispute, lead="supervisor")
    assert len(inbox(world.users["supervisor"], K.ASSIGNED)) == 1  # the new lead is
    assert len(inbox(lead, K.ASSIGNED)) == 1


def test_a_red_card_reaches_the_lead_at_once_and_once(world):
    dispute = _dispute(world)
    _assign(world, dispute)
    for _ in range(2):
        dispute_services.dispute_supervise(dispute=dispute, by=world.users["supervisor"], level="red",
                                           comment="限期化解")
    [notice] = inbox(world.users["township_cadre"], K.SUPERVISED)
    assert "限期化解" in notice.detail and "红牌" in notice.detail
    assert notice.url == dispute.get_absolute_url()
    dispute_services.dispute_supervise(dispute=dispute, by=world.users["supervisor"], level="yellow",
                                       comment="改为黄牌")
    assert len(inbox(world.users["township_cadre"], K.SUPERVISED)) == 2


def test_an_escalation_reaches_the_township_and_a_hand_down_the_village(world):
    dispute = _dispute(world)
    _assign(world, dispute, team=())
    dispute_services.dispute_change_level(dispute=dispute, by=world.users["village_cadre"],
                                          to_level=Dispute.Level.TOWNSHIP, reason="村级调解不成")
    for who in ("staff", "supervisor", "township_cadre"):
        [notice] = inbox(world.users[who], K.ESCALATED)
        assert "村级调解不成" in notice.detail
    assert inbox(world.users["village_cadre"]) == []
    dispute_services.dispute_change_level(dispute=dispute, by=world.users["staff"],
                                          to_level=Dispute.Level.VILLAGE, reason="交村里继续调解")
    assert len(inbox(world.users["village_cadre"], K.HANDED_DOWN)) == 1
    assert inbox(world.users["village_cadre_b"]) == []


def test_a_petition_close_out_reaches_its_approvers_and_the_decision_the_requester(world, clients):
    staff, supervisor = world.users["staff"], world.users["supervisor"]
    petition = register(by=staff, village=world.village_a)
    petition_assign(petition, by=staff, lead=world.users["township_cadre"])
    petition = petition_advance(petition, Petition.Status.REPLIED, staff=staff, supervisor=supervisor)
    petition_services.petition_closeout_request(petition=petition, by=staff, outcome=CloseOut.Outcome.RESOLVED)
    for who in ("supervisor", "township_cadre"):
        [notice] = inbox(world.users[who], K.CLOSEOUT_REQUESTED)
        assert notice.url == petition.get_absolute_url()
    assert inbox(staff, K.CLOSEOUT_REQUESTED) == []
    body = clients["supervisor"].get(reverse("inbox:approvals")).content.decode()
    assert petition.number in body and petition.get_absolute_url() in body
    assert petition.number not in clients["staff"].get(reverse("inbox:approvals")).content.decode()
    assert petition.number not in clients["village_cadre"].get(reverse("inbox:approvals")).content.decode()

    petition_services.petition_closeout_decide(petition=petition, by=supervisor, approve=False, comment="补充材料")
    [notice] = inbox(staff, K.CLOSEOUT_REFUSED)
    assert "补充材料" in notice.detail
    assert petition.number not in clients["supervisor"].get(reverse("inbox:approvals")).content.decode()


def test_a_hazard_close_out_reaches_township_staff_and_supervisors(world, clients):
    worker, staff = world.users["grid_worker"], world.users["staff"]
    hazard = hazard_advance(HazardFactory(grid=world.grid_a1), "closeout", worker, checker=staff)
    rectification_request_closeout(case=hazard, by=worker)
    for who in ("staff", "supervisor"):
        assert len(inbox(world.users[who], K.CLOSEOUT_REQUESTED)) == 1, who
        assert hazard.number in clients[who].get(reverse("inbox:approvals")).content.decode()
    assert inbox(world.users["outsider"]) == []
    rectification_decide_closeout(case=hazard, by=staff, approve=True)
    [notice] = inbox(worker, K.CLOSEOUT_APPROVED)
    assert notice.url == hazard.get_absolute_url()


def test_a_demand_raised_in_my_village_reaches_my_village_cadres(world):
    household = HouseholdFactory(grid=world.grid_a1)
    visit = VisitFactory(grid=world.grid_a1, households=[household])
    demand = demand_raise(visit=visit, by=world.users["grid_worker"], content="村道路灯损坏", household=household)
    [notice] = inbox(world.users["village_cadre"], K.DEMAND_RAISED)
    assert notice.subject == "村道路灯损坏"
    assert f"village={world.village_a.pk}" in notice.url
    assert inbox(world.users["village_cadre_b"]) == [] and inbox(world.users["grid_worker"]) == []
    assert demand.pk


def test_the_notice_is_in_the_inbox_and_opening_it_opens_the_case(world, clients):
    dispute = _dispute(world)
    _assign(world, dispute)
    client = clients["township_cadre"]
    body = client.get(reverse("inbox:list")).content.decode()
    assert "宅基地边界纠纷" in body and 'data-testid="inbox-kind"' in body
    assert client.get(reverse("inbox:badge")).content.decode().count("1") >= 1
    [notice] = inbox(world.users["township_cadre"], K.ASSIGNED)
    response = client.get(reverse("inbox:open", args=[notice.pk]))
    assert response.status_code == 302 and response.url == dispute.get_absolute_url()
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert clients["village_cadre_b"].get(reverse("inbox:open", args=[notice.pk])).status_code == 404


@pytest.mark.django_db
def test_a_notice_goes_by_email_to_whoever_has_an_address(world, mailoutbox, django_capture_on_commit_callbacks,
                                                          settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    lead = world.users["township_cadre"]
    lead.email = "lead@example.cn"
    lead.save(update_fields=["email"])
    dispute = _dispute(world)
    with django_capture_on_commit_callbacks(execute=True):
        _assign(world, dispute)
    row = Notification.objects.get(recipient=lead, channel=Notification.Channel.EMAIL, kind=K.ASSIGNED)
    row.refresh_from_db()
    assert row.status == Notification.Status.SENT
    [mail] = [m for m in mailoutbox if "lead@example.cn" in m.to]
    assert "宅基地边界纠纷" in mail.subject and dispute.get_absolute_url() in mail.body
