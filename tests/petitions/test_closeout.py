"""Reply, satisfaction and close-out (销号): requested by the handler, approved by someone else, with the 到位
outcome; reopening starts a new round. Nothing is deleted."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from casework.services import assignment_for
from petitions import services
from petitions.models import CloseOut, Petition

from .factories import advance, assign

pytestmark = pytest.mark.today(dt.datetime(2026, 3, 2, 3, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def replied(world, petition_a):
    assign(petition_a, by=world.users["staff"], lead=world.users["supervisor"])
    return advance(petition_a, Petition.Status.REPLIED, staff=world.users["staff"], supervisor=world.users["supervisor"])


def test_close_out_is_refused_before_the_reply(world, petition_a):
    with pytest.raises(ValidationError):
        petition_a.request_closeout(by=world.users["staff"], outcome=CloseOut.Outcome.RESOLVED)
    assert not petition_a.closeouts.exists()


def test_close_out_is_refused_without_the_satisfaction(world, petition_a):
    advance(petition_a, Petition.Status.HANDLING, staff=world.users["staff"], supervisor=world.users["supervisor"])
    petition_a.record_reply(by=world.users["staff"], text="已答复", on=dt.date(2026, 3, 2))
    with pytest.raises(ValidationError, match="满意度"):
        petition_a.request_closeout(by=world.users["staff"], outcome=CloseOut.Outcome.RESOLVED)


def test_close_out_is_refused_without_an_outcome(world, replied):
    with pytest.raises(ValidationError, match="到位"):
        replied.request_closeout(by=world.users["staff"], outcome="")
    replied.refresh_from_db()
    assert replied.status == Petition.Status.REPLIED


def test_a_dissatisfied_petitioner_needs_a_reason_for_closing_anyway(world, replied):
    replied.record_satisfaction(by=world.users["staff"], level=Petition.Satisfaction.DISSATISFIED)
    with pytest.raises(ValidationError, match="不满意"):
        replied.request_closeout(by=world.users["staff"], outcome=CloseOut.Outcome.EDUCATED)
    closeout = replied.request_closeout(
        by=world.users["staff"], outcome=CloseOut.Outcome.EDUCATED, reason="诉求超出政策范围，已多次解释",
    )
    assert closeout.dissatisfied_reason == "诉求超出政策范围，已多次解释"
    assert closeout.satisfaction == Petition.Satisfaction.DISSATISFIED


def test_a_request_alone_does_not_close_the_petition(world, replied):
    replied.request_closeout(by=world.users["staff"], outcome=CloseOut.Outcome.RESOLVED)
    replied.refresh_from_db()
    assert replied.status == Petition.Status.CLOSE_REQUESTED
    assert not replied.is_closed
    assert assignment_for(replied).is_open


def test_the_requester_cannot_approve_their_own_close_out(world, replied):
    replied.request_closeout(by=world.users["supervisor"], outcome=CloseOut.Outcome.RESOLVED)
    with pytest.raises(ValidationError, match="申请人以外"):
        services.petition_closeout_decide(petition=replied, by=world.users["supervisor"], approve=True)
    replied.refresh_from_db()
    assert replied.status == Petition.Status.CLOSE_REQUESTED


def test_approval_closes_the_petition_and_its_assignment(world, replied):
    replied.request_closeout(by=world.users["staff"], outcome=CloseOut.Outcome.RESOLVED)
    services.petition_closeout_decide(petition=replied, by=world.users["supervisor"], approve=True, comment="同意销号")
    replied.refresh_from_db()
    assert replied.status == Petition.Status.CLOSED and replied.closed_at is not None
    closeout = replied.closeouts.get()
    assert (closeout.decision, closeout.decided_by, closeout.outcome) == (
        CloseOut.Decision.APPROVED, world.users["supervisor"], CloseOut.Outcome.RESOLVED)
    assert not assignment_for(replied).is_open
    assert replied.history.first().history_user == world.users["supervisor"]


def test_sending_back_needs_a_comment_and_returns_the_petition_to_replied(world, replied):
    replied.request_closeout(by=world.users["staff"], outcome=CloseOut.Outcome.RESOLVED)
    with pytest.raises(ValidationError):
        services.petition_closeout_decide(petition=replied, by=world.users["supervisor"], approve=False)
    services.petition_closeout_decide(petition=replied, by=world.users["supervisor"], approve=False, comment="补充回访记录")
    replied.refresh_from_db()
    assert replied.status == Petition.Status.REPLIED
    assert replied.closeouts.get().decision == CloseOut.Decision.REJECTED
    replied.request_closeout(by=world.users["staff"], outcome=CloseOut.Outcome.RESOLVED)
    assert replied.closeouts.count() == 2


def test_a_decision_without_a_pending_request_is_refused(world, replied):
    with pytest.raises(ValidationError):
        services.petition_closeout_decide(petition=replied, by=world.users["supervisor"], approve=True)


def test_reopening_starts_a_new_round_and_keeps_the_old_one(world, replied):
    staff, supervisor = world.users["staff"], world.users["supervisor"]
    replied.request_closeout(by=staff, outcome=CloseOut.Outcome.RESOLVED)
    services.petition_closeout_decide(petition=replied, by=supervisor, approve=True)
    with time_machine.travel(dt.datetime(2026, 4, 1, 3, tzinfo=dt.UTC), tick=False):
        services.petition_reopen(petition=replied, by=staff, reason="信访人反映补偿款仍未到账")
        replied.refresh_from_db()
        assert (replied.status, replied.round) == (Petition.Status.HANDLING, 2)
        assert replied.reply_text == "" and replied.satisfaction == ""
        assert replied.handling_due_on == dt.date(2026, 5, 31) == replied.due_on
        assignment = assignment_for(replied)
        assert assignment.is_open and assignment.deadline == dt.date(2026, 5, 31)
        old = replied.closeouts.get()
        assert old.round == 1 and old.reply_text.startswith("经核实")
        assert replied.progress.get().kind == "reopened"
        assert Petition.objects.filter(pk=replied.pk).exists()


def test_only_a_closed_petition_can_be_reopened_and_a_reason_is_needed(world, replied):
    with pytest.raises(ValidationError):
        replied.reopen(by=world.users["staff"], reason="再次反映")
    closed = advance(replied, Petition.Status.CLOSED, staff=world.users["staff"], supervisor=world.users["supervisor"])
    with pytest.raises(ValidationError):
        closed.reopen(by=world.users["staff"], reason=" ")


def test_a_closed_petition_takes_no_progress_entries(world, replied):
    closed = advance(replied, Petition.Status.CLOSED, staff=world.users["staff"], supervisor=world.users["supervisor"])
    with pytest.raises(ValidationError):
        services.petition_progress_add(petition=closed, by=world.users["staff"], done_on=dt.date(2026, 3, 2),
                                       handler="张三", action="回访")


# --- Through the pages -----------------------------------------------------------------------------


def _url(name, petition):
    return reverse(f"petitions:{name}", args=[petition.pk])


def test_close_out_through_the_pages(world, clients, replied):
    response = clients["staff"].post(_url("closeout-request", replied), {"closeout-outcome": "resolved"})
    assert response.status_code == 302
    response = clients["staff"].post(_url("closeout-decide", replied), {"decision": "approved"})
    assert response.status_code == 403  # township staff work cases; approving is for a supervisor or the lead
    replied.refresh_from_db()
    assert replied.status == Petition.Status.CLOSE_REQUESTED
    assert clients["supervisor"].post(_url("closeout-decide", replied), {"decision": "approved"}).status_code == 302
    replied.refresh_from_db()
    assert replied.is_closed
    page = clients["staff"].get(_url("detail", replied)).content.decode()
    assert "诉求合理的解决到位" in page or "Reasonable demand resolved" in page


def test_a_supervisor_who_asked_for_close_out_cannot_approve_it_on_the_page(world, clients, replied):
    clients["supervisor"].post(_url("closeout-request", replied), {"closeout-outcome": "resolved"})
    response = clients["supervisor"].post(_url("closeout-decide", replied), {"decision": "approved"})
    assert response.status_code == 400
    replied.refresh_from_db()
    assert replied.status == Petition.Status.CLOSE_REQUESTED


def test_a_refused_close_out_request_keeps_what_was_typed(world, clients, replied):
    replied.record_satisfaction(by=world.users["staff"], level=Petition.Satisfaction.DISSATISFIED)
    response = clients["staff"].post(_url("closeout-request", replied), {
        "closeout-outcome": "educated", "closeout-note": "多次上门解释"})
    assert response.status_code == 400
    assert "多次上门解释" in response.content.decode()
    assert not replied.closeouts.exists()


def test_a_village_cadre_cannot_approve_a_close_out(world, clients, replied):
    replied.request_closeout(by=world.users["staff"], outcome=CloseOut.Outcome.RESOLVED)
    assert clients["village_cadre"].post(_url("closeout-decide", replied), {"decision": "approved"}).status_code == 403


def test_the_lead_official_may_approve_a_close_out(world, clients, petition_a):
    lead = world.users["township_cadre"]
    assign(petition_a, by=world.users["staff"], lead=lead)
    advance(petition_a, Petition.Status.CLOSE_REQUESTED, staff=world.users["staff"], supervisor=world.users["supervisor"])
    assert clients["township_cadre"].post(_url("closeout-decide", petition_a), {"decision": "approved"}).status_code == 302
    petition_a.refresh_from_db()
    assert petition_a.is_closed


def test_reopening_through_the_page_is_for_township_staff(world, clients, replied):
    closed = advance(replied, Petition.Status.CLOSED, staff=world.users["staff"], supervisor=world.users["supervisor"])
    assert clients["village_cadre"].post(_url("reopen", closed), {"reopen-reason": "再次反映"}).status_code == 403
    assert clients["staff"].post(_url("reopen", closed), {"reopen-reason": "再次反映"}).status_code == 302
    closed.refresh_from_db()
    assert closed.round == 2
