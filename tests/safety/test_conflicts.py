"""Two people open the same record and both save: the second save overwrites nothing of the first. It gets the
conflict page (409, in Chinese) with what changed since the form was opened and by whom, and the input kept,
merged with the other changes, in a form that saves it on top of what is saved now."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.services import assignment_for
from core.concurrency import save_versioned
from disputes.forms import DisputeUpdateForm
from disputes.models import Dispute
from governance.models import User
from households.models import Tag
from tests.disputes.factories import DisputeFactory, PartyFactory
from tests.factories import HouseholdFactory, UserFactory
from tests.households.factories import ResidentFactory
from tests.petitions.factories import register
from tests.safety.helpers import as_post, form_data, opened

TODAY = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


def _dispute(world) -> Dispute:
    dispute = DisputeFactory(grid=world.grid_a1, title="宅基地界址纠纷", description="两户因宅基地界址发生争执。")
    PartyFactory(dispute=dispute, name="张三")
    return dispute


def _edits(dispute: Dispute) -> int:
    return dispute.history.filter(history_change_reason="edit").count()


# --- Disputes -----------------------------------------------------------------------------------------------


def test_the_second_of_two_editors_of_a_dispute_gets_the_conflict_page_and_nothing_of_the_first_is_lost(
    world, clients
):
    dispute = _dispute(world)
    url = reverse("disputes:update", args=[dispute.pk])
    cadre, staff = clients["village_cadre"], clients["staff"]
    first, second = opened(cadre, url), opened(staff, url)

    first.update(title="王家与李家宅基地纠纷", risk="significant")
    assert cadre.post(url, first).status_code == 302
    second.update(title="李家与王家界桩纠纷", people_involved="5")
    response = staff.post(url, second)

    assert response.status_code == 409
    dispute.refresh_from_db()
    assert (dispute.title, dispute.risk, dispute.people_involved) == ("王家与李家宅基地纠纷", "significant", 2)
    assert _edits(dispute) == 1
    body = response.content.decode()
    assert "保存冲突" in body and "在您打开表单之后，其他人保存了这条记录" in body
    assert str(world.users["village_cadre"]) in body  # who saved since
    changes = {c.label: c for c in response.context["conflict"].changes}
    assert (changes["标题"].before, changes["标题"].theirs, changes["标题"].yours) == (
        "宅基地界址纠纷", "王家与李家宅基地纠纷", "李家与王家界桩纠纷")
    assert (changes["风险等级"].before, changes["风险等级"].theirs, changes["风险等级"].kept) == ("一般", "较大", "theirs")
    assert changes["标题"].kept == "yours"
    # The kept form: the second editor's input, the first editor's change where the second changed nothing,
    # and the version saved now.
    kept = response.context["form"].data
    assert (kept["title"], kept["risk"], kept["people_involved"]) == ("李家与王家界桩纠纷", "significant", "5")
    assert kept["version"] == str(dispute.version)
    assert 'value="李家与王家界桩纠纷"' in body

    # "Save my input" applies it on top of the first edit.
    assert staff.post(url, form_data(response.context["form"])).status_code == 302
    dispute.refresh_from_db()
    assert (dispute.title, dispute.risk, dispute.people_involved) == ("李家与王家界桩纠纷", "significant", 5)
    assert _edits(dispute) == 2


def test_take_theirs_reloads_the_form_with_what_is_saved_now(world, clients):
    dispute = _dispute(world)
    url = reverse("disputes:update", args=[dispute.pk])
    first, second = opened(clients["village_cadre"], url), opened(clients["staff"], url)
    clients["village_cadre"].post(url, {**first, "description": "界桩被移动约半米。"})
    response = clients["staff"].post(url, {**second, "description": "双方同意重新测量。"})
    assert response.status_code == 409
    assert f'href="{url}"' in response.content.decode()
    reloaded = opened(clients["staff"], url)
    assert reloaded["description"] == "界桩被移动约半米。"
    assert reloaded["version"] == str(Dispute.objects.get(pk=dispute.pk).version)


def test_a_double_submitted_edit_saves_once_without_a_conflict(world, clients):
    dispute = _dispute(world)
    url = reverse("disputes:update", args=[dispute.pk])
    data = {**opened(clients["staff"], url), "title": "排水沟纠纷"}
    assert clients["staff"].post(url, data).status_code == 302
    assert clients["staff"].post(url, data).status_code == 302
    assert _edits(dispute) == 1


def test_a_transition_after_the_form_was_opened_is_neither_a_conflict_nor_undone(world, clients):
    """Accepting the dispute changes no field of the edit form: the edit saves, and the status stays accepted,
    even when the acceptance lands between the request reading the dispute and saving it."""
    dispute = _dispute(world)
    staff = world.users["staff"]
    data = {**opened(clients["staff"], reverse("disputes:update", args=[dispute.pk])), "title": "排水沟纠纷"}
    form = DisputeUpdateForm(as_post(data), instance=Dispute.objects.get(pk=dispute.pk), user=staff)
    assert form.is_valid()
    Dispute.objects.get(pk=dispute.pk).accept(by=world.users["village_cadre"])

    save_versioned(form, form.save)

    dispute.refresh_from_db()
    assert (dispute.title, dispute.status, dispute.handler) == ("排水沟纠纷", "accepted", world.users["village_cadre"])
    assert dispute.version == 3


def test_a_form_posted_without_a_version_is_checked_against_the_record_as_the_request_read_it(world, clients):
    dispute = _dispute(world)
    url = reverse("disputes:update", args=[dispute.pk])
    data = opened(clients["staff"], url)
    del data["version"]
    assert clients["staff"].post(url, {**data, "title": "排水沟纠纷"}).status_code == 302
    assert Dispute.objects.get(pk=dispute.pk).title == "排水沟纠纷"


def test_the_fulfilment_form_is_guarded_by_the_version_too(world, clients):
    from tests.disputes.factories import advance

    dispute = advance(_dispute(world), Dispute.Status.SUCCEEDED, world.users["staff"])
    url = reverse("disputes:fulfilment", args=[dispute.pk])
    first, second = opened(clients["staff"], url), opened(clients["village_cadre"], url)
    assert clients["staff"].post(url, {**first, "fulfilment": "partial", "note": "已付一半"}).status_code == 302
    response = clients["village_cadre"].post(url, {**second, "fulfilment": "fulfilled", "note": "已全部履行"})
    assert response.status_code == 409
    dispute.refresh_from_db()
    assert (dispute.fulfilment, dispute.fulfilment_note) == ("partial", "已付一半")


# --- 包案: the shared assignment -----------------------------------------------------------------------------


@pytest.mark.today(TODAY, tick=False)
def test_two_first_assignments_of_a_dispute_do_not_overwrite_each_other(world, clients):
    dispute = _dispute(world)
    url = reverse("disputes:assignment", args=[dispute.pk])
    staff, supervisor = clients["staff"], clients["supervisor"]
    first, second = opened(staff, url), opened(supervisor, url)
    assert first["version"] == second["version"] == "0"
    first.update(lead=world.users["township_cadre"].pk, responsible_unit="镇司法所", deadline="2026-12-10")
    assert staff.post(url, first).status_code == 302
    second.update(lead=world.users["supervisor"].pk, responsible_unit="镇综治中心", deadline="2026-12-10")
    response = supervisor.post(url, second)

    assert response.status_code == 409
    assignment = assignment_for(dispute)
    assert (assignment.lead, assignment.responsible_unit) == (world.users["township_cadre"], "镇司法所")
    labels = {c.label: c for c in response.context["conflict"].changes}
    assert labels["责任单位"].theirs == "镇司法所" and labels["责任单位"].yours == "镇综治中心"
    assert "包案领导" in labels and "办结时限" not in labels  # the same deadline is no conflict

    assert supervisor.post(url, form_data(response.context["form"])).status_code == 302
    assignment.refresh_from_db()
    assert (assignment.lead, assignment.responsible_unit) == (world.users["supervisor"], "镇综治中心")


@pytest.mark.today(TODAY, tick=False)
def test_a_team_change_alone_is_a_new_version_of_the_assignment(world, clients):
    from disputes.services import dispute_assign

    dispute = _dispute(world)
    staff = world.users["staff"]
    dispute_assign(dispute=dispute, by=staff, lead=staff, responsible_unit="镇司法所", deadline=dt.date(2026, 12, 10))
    url = reverse("disputes:assignment", args=[dispute.pk])
    first, second = opened(clients["staff"], url), opened(clients["supervisor"], url)
    clients["staff"].post(url, {**first, "team": [str(world.users["village_cadre"].pk)]})
    response = clients["supervisor"].post(url, {**second, "team": [str(world.users["grid_worker"].pk)]})
    assert response.status_code == 409
    assert list(assignment_for(dispute).team.all()) == [world.users["village_cadre"]]


# --- Households and residents -------------------------------------------------------------------------------


def test_two_editors_of_a_household_conflict_and_tags_merge(world, clients):
    poor = Tag.objects.create(code="subsistence-x", name="低保户", applies_to_households=True)
    household = HouseholdFactory(grid=world.grid_a1, head_name="陈明", address="桃源村一组")
    url = reverse("households:update", args=[household.pk])
    first, second = opened(clients["staff"], url), opened(clients["village_cadre"], url)
    assert clients["staff"].post(url, {**first, "address": "桃源村二组", "tags": [str(poor.pk)]}).status_code == 302
    response = clients["village_cadre"].post(url, {**second, "address": "桃源村三组", "help_needed": "危房改造"})

    assert response.status_code == 409
    household.refresh_from_db()
    assert household.address == "桃源村二组" and household.help_needed == ""
    kept = response.context["form"].data
    assert kept["address"] == "桃源村三组" and kept.getlist("tags") == [str(poor.pk)]
    assert clients["village_cadre"].post(url, form_data(response.context["form"])).status_code == 302
    household.refresh_from_db()
    assert (household.address, household.help_needed) == ("桃源村三组", "危房改造")
    assert list(household.tags.all()) == [poor]


def test_a_resident_conflict_shows_someone_elses_numbers_masked_only(world, clients):
    resident = ResidentFactory(household=HouseholdFactory(grid=world.grid_a1), name="刘大伯", phone="13812345678")
    url = reverse("households:resident-update", args=[resident.pk])
    first, second = opened(clients["staff"], url), opened(clients["village_cadre"], url)
    assert clients["staff"].post(url, {**first, "phone": "13900002222"}).status_code == 302
    response = clients["village_cadre"].post(url, {**second, "phone": "13700003333", "notes": "常年在外"})

    assert response.status_code == 409
    body = response.content.decode()
    assert "139****2222" in body and "13900002222" not in body and resident.id_number not in body
    assert str(resident.birth_date.year) not in body.split('data-testid="conflict-changes"')[1].split("</table>")[0]
    resident.refresh_from_db()
    assert resident.phone == "13900002222"


def test_a_resident_edited_by_two_people_on_different_fields_saves_both(world, clients):
    """The blank ID number and phone mean "keep": nothing of the first edit is in the second form's way."""
    resident = ResidentFactory(household=HouseholdFactory(grid=world.grid_a1), name="刘大伯", phone="13812345678")
    url = reverse("households:resident-update", args=[resident.pk])
    first, second = opened(clients["staff"], url), opened(clients["village_cadre"], url)
    assert clients["staff"].post(url, {**first, "phone": "13900002222"}).status_code == 302
    assert clients["village_cadre"].post(url, {**second, "notes": "常年在外"}).status_code == 302
    resident.refresh_from_db()
    assert (resident.phone, resident.notes) == ("13900002222", "常年在外")


# --- Petitions ----------------------------------------------------------------------------------------------


def _second_staff(world, login_client):
    other = UserFactory(username="staff2", role=User.Role.TOWNSHIP_STAFF, township=world.township)
    return login_client(other)


def test_two_assignments_of_a_petition_opened_at_once_conflict(world, clients, login_client):
    petition = register(by=world.users["staff"], village=world.village_a)
    detail = reverse("petitions:detail", args=[petition.pk])
    url = reverse("petitions:assign", args=[petition.pk])
    other = _second_staff(world, login_client)
    first, second = opened(clients["staff"], detail, "assign_form"), opened(other, detail, "assign_form")
    deadline = petition.due_on.isoformat()
    first.update({"assign-lead": world.users["township_cadre"].pk, "assign-responsible_unit": "镇农业服务中心",
                  "assign-deadline": deadline})
    assert clients["staff"].post(url, first).status_code == 302
    second.update({"assign-lead": world.users["supervisor"].pk, "assign-responsible_unit": "镇国土所",
                   "assign-deadline": deadline})
    response = other.post(url, second)

    assert response.status_code == 409
    assert "保存冲突" in response.content.decode()
    assert assignment_for(petition).responsible_unit == "镇农业服务中心"
    assert other.post(url, form_data(response.context["form"])).status_code == 302
    assert assignment_for(petition).responsible_unit == "镇国土所"


def test_two_corrections_of_a_petition_reply_conflict(world, clients, login_client):
    from petitions import services

    petition = register(by=world.users["staff"], village=world.village_a)
    services.petition_accept(petition=petition, by=world.users["staff"], on=timezone.localdate())
    detail = reverse("petitions:detail", args=[petition.pk])
    url = reverse("petitions:reply", args=[petition.pk])
    other = _second_staff(world, login_client)
    first, second = opened(clients["staff"], detail, "reply_form"), opened(other, detail, "reply_form")
    assert clients["staff"].post(url, {**first, "reply-reply_text": "补偿款已补发。"}).status_code == 302
    response = other.post(url, {**second, "reply-reply_text": "已协调镇农业服务中心核实。"})
    assert response.status_code == 409
    petition.refresh_from_db()
    assert petition.reply_text == "补偿款已补发。"
