"""Every transition of the lifecycle: allowed from its states, refused from the others, one history row each."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from casework.cases import TransitionError
from casework.services import assignment_for
from disputes.models import Dispute
from tests.disputes.factories import DAY, FAILURE_PATH, PATH, advance, step

S = Dispute.Status
ALL = list(S.values)
# transition name → (target state, states it is allowed from)
ALLOWED = {
    S.ACCEPTED: (S.REGISTERED,),
    S.MEDIATING: (S.ACCEPTED, S.FAILED),
    S.SUCCEEDED: (S.MEDIATING,),
    S.FAILED: (S.MEDIATING,),
    S.REFERRED: (S.FAILED,),
    S.FOLLOWED_UP: (S.SUCCEEDED, S.REFERRED),
    S.CLOSED: (S.FOLLOWED_UP,),
}


def _dispute_in(state, dispute, by):
    failure = state in (S.FAILED, S.REFERRED)
    return advance(dispute, state, by, failure=failure)


@pytest.mark.parametrize(("target", "source"), [(t, s) for t, sources in ALLOWED.items() for s in sources])
def test_transition_is_allowed_from_its_states_and_writes_one_history_row(world, dispute_a, target, source):
    staff = world.users["staff"]
    dispute = _dispute_in(source, dispute_a, staff)
    before = dispute.history.count()
    step(dispute, target, staff)
    dispute.refresh_from_db()
    assert dispute.status == target
    assert dispute.history.count() == before + 1
    latest = dispute.history.first()
    assert latest.status == target
    assert latest.history_user == staff
    assert latest.history_change_reason


@pytest.mark.parametrize(("target", "source"), [(t, s) for t, sources in ALLOWED.items() for s in ALL
                                                if s not in sources])
def test_transition_is_refused_from_other_states_and_changes_nothing(world, dispute_a, target, source):
    staff = world.users["staff"]
    dispute = _dispute_in(source, dispute_a, staff)
    before = dispute.history.count()
    with pytest.raises(TransitionError) as info:
        step(dispute, target, staff)
    assert info.value.messages
    dispute.refresh_from_db()
    assert dispute.status == source
    assert dispute.history.count() == before


def test_the_whole_success_path_sets_the_outcome_fields_together(world, dispute_a):
    staff = world.users["staff"]
    advance(dispute_a, S.SUCCEEDED, staff)
    dispute_a.refresh_from_db()
    assert dispute_a.outcome == Dispute.Outcome.SUCCESS
    assert dispute_a.resolved_level == Dispute.Level.VILLAGE
    assert dispute_a.mediation_ended_on == DAY
    assert dispute_a.agreement_terms == "双方以原界桩为准。"
    assert dispute_a.handler == staff
    assert list(dispute_a.mediators.values_list("name", flat=True)) == ["李调解"]
    with translation.override("zh-hans"):
        assert dispute_a.result_label() == "调解成功 / 书面协议 / 已履行"


def test_a_failed_mediation_can_be_tried_again_after_escalation(world, dispute_a):
    staff = world.users["staff"]
    advance(dispute_a, S.FAILED, staff, failure=True)
    dispute_a.change_level(by=staff, to_level=Dispute.Level.TOWNSHIP, reason="村级调解不成", handler=staff)
    step(dispute_a, S.MEDIATING, staff)
    assert dispute_a.outcome == ""
    step(dispute_a, S.SUCCEEDED, staff)
    assert dispute_a.resolved_level == Dispute.Level.TOWNSHIP


def test_closing_needs_an_outcome(world, dispute_a):
    staff = world.users["staff"]
    advance(dispute_a, S.FOLLOWED_UP, staff)
    Dispute.objects.filter(pk=dispute_a.pk).update(agreement_terms="", outcome="")
    dispute_a.refresh_from_db()
    with pytest.raises(TransitionError, match="outcome|结果"):
        dispute_a.close(by=staff, outcome="resolved")
    dispute_a.refresh_from_db()
    assert dispute_a.status == S.FOLLOWED_UP


def test_closing_closes_the_responsibility_assignment(world, dispute_a):
    from disputes.services import dispute_assign

    staff = world.users["staff"]
    dispute_assign(dispute=dispute_a, by=staff, lead=world.users["supervisor"], responsible_unit="镇司法所",
                   deadline=dt.date(2026, 12, 1))
    assert assignment_for(dispute_a).is_open
    advance(dispute_a, S.CLOSED, staff)
    assert not assignment_for(dispute_a).is_open
    assert assignment_for(dispute_a).closed_at is not None


@pytest.mark.parametrize("kwargs", [
    {"agreement_form": "", "terms": "x", "fulfilment": ""},
    {"agreement_form": "written", "terms": "  ", "fulfilment": ""},
])
def test_success_needs_the_form_and_terms_of_the_agreement(world, dispute_a, kwargs):
    staff = world.users["staff"]
    advance(dispute_a, S.MEDIATING, staff)
    with pytest.raises(ValidationError):
        dispute_a.record_success(by=staff, on=DAY, **kwargs)
    dispute_a.refresh_from_db()
    assert dispute_a.status == S.MEDIATING


def test_mediation_needs_a_mediator_and_a_method(world, dispute_a):
    staff = world.users["staff"]
    dispute_a.accept(by=staff)
    with pytest.raises(ValidationError):
        dispute_a.start_mediation(by=staff, method="people", on=DAY)
    with pytest.raises(ValidationError):
        dispute_a.start_mediation(by=staff, method="shouting", on=DAY, mediator_names=["李"])
    dispute_a.start_mediation(by=staff, method="people", on=DAY, mediators=[world.users["village_cadre"]])
    assert dispute_a.mediators.get().user == world.users["village_cadre"]


def test_sessions_are_recorded_only_while_mediating(world, dispute_a):
    staff = world.users["staff"]
    with pytest.raises(TransitionError):
        dispute_a.add_session(by=staff, held_on=DAY, place="村委会", participants="双方", content="…")
    advance(dispute_a, S.MEDIATING, staff)
    session = dispute_a.add_session(by=staff, held_on=DAY, place="村委会", participants="双方", content="各自陈述")
    assert session.recorded_by == staff
    assert dispute_a.sessions.count() == 1


def test_fulfilment_is_recorded_after_an_agreement_with_a_history_row(world, dispute_a):
    staff = world.users["staff"]
    with pytest.raises(TransitionError):
        dispute_a.record_fulfilment(by=staff, fulfilment="fulfilled")
    advance(dispute_a, S.SUCCEEDED, staff)
    before = dispute_a.history.count()
    dispute_a.record_fulfilment(by=staff, fulfilment="fulfilled", note="已付清补偿款")
    dispute_a.refresh_from_db()
    assert dispute_a.fulfilment == "fulfilled"
    assert dispute_a.history.count() == before + 1


def test_a_handover_names_the_department(world, dispute_a):
    staff = world.users["staff"]
    advance(dispute_a, S.FAILED, staff, failure=True)
    with pytest.raises(ValidationError):
        dispute_a.refer(by=staff, route="handover", to="")
    dispute_a.refer(by=staff, route="handover", to="县人社局")
    assert dispute_a.status == S.REFERRED


def test_paths_cover_every_state():
    # 待审批销号 is the detour of a 较大/重大 dispute between 已回访 and 已结案 (advance takes it when needed).
    assert set(PATH) | set(FAILURE_PATH) | {S.CLOSE_REQUESTED} == set(S.values)


def test_an_agreement_not_carried_out_in_full_is_closed_only_with_a_word_why(world, dispute_a):
    staff = world.users["staff"]
    advance(dispute_a, S.FOLLOWED_UP, staff)
    dispute_a.record_fulfilment(by=staff, fulfilment="partial", note="尚欠5000元")
    with pytest.raises(TransitionError) as refused:
        dispute_a.close(by=staff, outcome="resolved")
    assert "closing note" in str(refused.value.message) or "结案说明" in str(refused.value.message)
    dispute_a.close(by=staff, outcome="resolved", note="余款双方约定年底前付清，已转司法确认")
    assert dispute_a.status == S.CLOSED
