"""Disputes close like petitions: the 到位 outcome is recorded, and a 较大/重大 dispute's close-out is asked for by
one person and approved (or sent back) by another, with its history; 一般 disputes still close in one step."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from casework.services import assignment_for
from disputes.models import Dispute
from disputes.services import dispute_assign, dispute_close, dispute_decide_closeout
from tests.disputes.factories import advance

S = Dispute.Status
TODAY = "2026-11-20"


@pytest.fixture
def serious(world, dispute_a):
    dispute_a.risk = Dispute.Risk.MAJOR
    dispute_a.save(update_fields=["risk"])
    staff = world.users["staff"]
    dispute_assign(dispute=dispute_a, by=staff, lead=world.users["supervisor"], responsible_unit="镇司法所",
                   deadline=dispute_a.registered_on.replace(day=30))
    return advance(dispute_a, S.FOLLOWED_UP, staff)


def test_an_ordinary_dispute_closes_in_one_step_with_its_outcome(world, dispute_a):
    staff = world.users["staff"]
    advance(dispute_a, S.FOLLOWED_UP, staff)
    dispute_close(dispute=dispute_a, by=staff, outcome=Dispute.ClosingOutcome.EDUCATED)
    dispute_a.refresh_from_db()
    assert dispute_a.status == S.CLOSED
    assert dispute_a.closing_outcome == "educated"
    assert dispute_a.closeouts.count() == 0
    assert dispute_a.history.first().history_change_reason == "close"


def test_closing_without_an_outcome_is_refused(world, dispute_a):
    staff = world.users["staff"]
    advance(dispute_a, S.FOLLOWED_UP, staff)
    with pytest.raises(ValidationError, match="到位"):
        dispute_a.close(by=staff, outcome="")
    dispute_a.refresh_from_db()
    assert dispute_a.status == S.FOLLOWED_UP


def test_a_serious_dispute_waits_for_approval_and_keeps_its_clock(world, serious):
    staff = world.users["staff"]
    dispute_close(dispute=serious, by=staff, outcome=Dispute.ClosingOutcome.STABILISED, note="稳控到位")
    serious.refresh_from_db()
    assert serious.status == S.CLOSE_REQUESTED and not serious.is_closed
    assert serious.closing_outcome == ""
    assert assignment_for(serious).is_open
    closeout = serious.pending_closeout()
    assert closeout.requested_by == staff and closeout.outcome == "stabilised"
    with pytest.raises(ValidationError, match="follow-up|已回访"):
        serious.close(by=staff, outcome="resolved")


def test_the_requester_cannot_approve_their_own_close_out(world, serious):
    staff = world.users["staff"]
    dispute_close(dispute=serious, by=staff, outcome="resolved")
    with pytest.raises(ValidationError, match="someone other|申请人以外"):
        dispute_decide_closeout(dispute=serious, by=staff, approve=True)
    assert not serious.can_decide_closeout(staff)
    assert serious.can_decide_closeout(world.users["supervisor"])
    assert not serious.can_decide_closeout(world.users["village_cadre"])


def test_approval_closes_the_dispute_with_the_requested_outcome(world, serious):
    staff, supervisor = world.users["staff"], world.users["supervisor"]
    dispute_close(dispute=serious, by=staff, outcome="legal", note="已移送派出所")
    dispute_decide_closeout(dispute=serious, by=supervisor, approve=True, comment="同意")
    serious.refresh_from_db()
    assert serious.status == S.CLOSED
    assert serious.closing_outcome == "legal" and serious.closing_note == "已移送派出所"
    assert not assignment_for(serious).is_open
    closeout = serious.closeouts.get()
    assert closeout.decision == "approved" and closeout.decided_by == supervisor
    reasons = list(serious.history.values_list("history_change_reason", flat=True)[:2])
    assert reasons == ["closeout_approved", "request_closeout"]


def test_a_refused_close_out_goes_back_with_a_reason_and_can_be_asked_again(world, serious):
    staff, supervisor = world.users["staff"], world.users["supervisor"]
    dispute_close(dispute=serious, by=staff, outcome="resolved")
    with pytest.raises(ValidationError, match="why|理由"):
        dispute_decide_closeout(dispute=serious, by=supervisor, approve=False, comment="")
    dispute_decide_closeout(dispute=serious, by=supervisor, approve=False, comment="协议尚未履行完毕")
    serious.refresh_from_db()
    assert serious.status == S.FOLLOWED_UP
    dispute_close(dispute=serious, by=staff, outcome="educated")
    assert [c.decision for c in serious.closeouts.order_by("pk")] == ["rejected", "pending"]
    assert [c.round for c in serious.closeouts.order_by("pk")] == [1, 2]


def test_only_township_staff_or_supervisors_decide(world, serious):
    dispute_close(dispute=serious, by=world.users["supervisor"], outcome="resolved")
    with pytest.raises(ValidationError):
        dispute_decide_closeout(dispute=serious, by=world.users["village_cadre"], approve=True)


@pytest.mark.today(TODAY)
def test_the_pages_ask_approve_and_show_the_history(world, clients, serious):
    pk = serious.pk
    page = clients["staff"].get(reverse("disputes:detail", args=[pk])).content.decode()
    assert 'data-testid="action-request-close"' in page and 'data-testid="action-close"' not in page
    form = clients["staff"].get(reverse("disputes:request-close", args=[pk])).content.decode()
    assert "合理诉求解决到位" in form and "触犯法律处置到位" in form
    r = clients["staff"].post(reverse("disputes:request-close", args=[pk]), {"outcome": "resolved", "note": ""})
    assert r.status_code == 302
    staff_page = clients["staff"].get(reverse("disputes:detail", args=[pk])).content.decode()
    assert "action-closeout-decide" not in staff_page and "待审批销号" in staff_page
    supervisor_page = clients["supervisor"].get(reverse("disputes:detail", args=[pk])).content.decode()
    assert "action-closeout-decide" in supervisor_page
    listed = clients["supervisor"].get(reverse("disputes:list"), {"status": "close_requested"}).content.decode()
    assert serious.number in listed
    r = clients["supervisor"].post(reverse("disputes:closeout-decide", args=[pk]),
                                   {"decision": "refuse", "comment": ""})
    assert r.status_code == 200 and "invalid-feedback" in r.content.decode()
    r = clients["supervisor"].post(reverse("disputes:closeout-decide", args=[pk]),
                                   {"decision": "approve", "comment": "同意"})
    assert r.status_code == 302
    page = clients["staff"].get(reverse("disputes:detail", args=[pk])).content.decode()
    assert 'data-testid="closing-outcome">合理诉求解决到位' in page
    assert "已批准" in page and "结案审批记录" in page


@pytest.mark.today(TODAY)
def test_the_decision_page_answers_403_to_a_village_cadre_and_404_outside(world, clients, serious):
    dispute_close(dispute=serious, by=world.users["staff"], outcome="resolved")
    url = reverse("disputes:closeout-decide", args=[serious.pk])
    assert clients["village_cadre"].get(url).status_code == 403
    assert clients["outsider"].get(url).status_code == 404
    assert clients["supervisor"].put(url).status_code == 405


@pytest.mark.today(TODAY)
def test_the_ledger_shows_the_outcome_and_a_waiting_close_out(world, clients, serious, dispute_b):
    dispute_close(dispute=serious, by=world.users["staff"], outcome="resolved")
    advance(dispute_b, S.CLOSED, world.users["staff"])
    ws = load_workbook(io.BytesIO(clients["staff"].get(reverse("disputes:export"), {"format": "xlsx"}).content)).active
    header = [ws.cell(3, c).value for c in range(1, ws.max_column + 1)]
    column = header.index("结案情况") + 1
    rows = {ws.cell(r, 2).value: ws.cell(r, column).value for r in range(5, 7)}
    assert rows[serious.number] == "待审批销号"
    assert rows[dispute_b.number] == "合理诉求解决到位"
