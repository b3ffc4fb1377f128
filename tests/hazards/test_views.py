"""The hazard pages as users meet them: reporting (from a visit too), the list and its filters, the actions with
their messages, photos kept privately with their caption, the notice; query counts that do not grow with rows."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casework.services import assignment_for
from hazards.models import Hazard, HazardField
from tests.factories import HouseholdFactory, VisitFactory
from tests.hazards.factories import HazardFactory, advance
from tests.households.factories import jpeg_bytes

S = Hazard.Status


def _report(client, world, **extra):
    data = {"village": world.village_a.pk, "grid": world.grid_a1.pk, "field": HazardField.objects.get(code="gas").pk,
            "grade": "general", "source": "patrol", "found_on": "2026-11-19", "description": "液化气罐放在灶台下",
            "party_kind": "household", "party_name": "王建国", "party_phone": "13812345678", "handling": "deadline",
            **extra}
    return client.post(reverse("hazards:create"), data)


def test_a_grid_worker_reports_a_hazard_with_photos(world, clients):
    photo = SimpleUploadedFile("a.jpg", jpeg_bytes(size=(400, 300)), content_type="image/jpeg")
    response = _report(clients["grid_worker"], world, photos=[photo])
    hazard = Hazard.objects.get()
    assert response.status_code == 302 and response.url == hazard.get_absolute_url()
    assert hazard.number == "YH-2026-0001" and hazard.status == S.PENDING
    stored = hazard.photos.get()
    assert stored.caption.startswith("2026-11-20 10:00") and "桃源村" in stored.caption
    page = clients["grid_worker"].get(hazard.get_absolute_url()).content.decode()
    assert "138****5678" in page and "13812345678" not in page
    image = clients["village_cadre"].get(reverse("hazards:photo", args=[hazard.pk, stored.pk]))
    assert image.status_code == 200 and image["Cache-Control"].startswith("private")
    assert clients["village_cadre_b"].get(reverse("hazards:photo", args=[hazard.pk, stored.pk])).status_code == 404


def test_bad_input_keeps_what_was_typed(world, clients):
    response = _report(clients["grid_worker"], world, description="", party_phone="12")
    assert response.status_code == 200
    body = response.content.decode()
    assert "王建国" in body and Hazard.objects.count() == 0
    not_a_photo = SimpleUploadedFile("a.jpg", b"not an image", content_type="image/jpeg")
    response = _report(clients["grid_worker"], world, photos=[not_a_photo])
    assert response.status_code == 200 and Hazard.objects.count() == 0


def test_a_household_head_reports_from_a_visit_and_follows_it(world, clients):
    household = HouseholdFactory(grid=world.grid_a1, household_head=world.head_a1)
    visit = VisitFactory(grid=world.grid_a1, households=[household])
    head = clients["household_head"]
    page = head.get(reverse("households:visit-detail", args=[visit.pk])).content.decode()
    assert f'{reverse("hazards:create")}?visit={visit.pk}' in page
    form = head.get(reverse("hazards:create"), {"visit": visit.pk})
    assert form.status_code == 200
    data = {"village": world.village_a.pk, "grid": world.grid_a1.pk, "household": household.pk,
            "field": HazardField.objects.get(code="fire").pk, "grade": "general", "found_on": "2026-11-20",
            "description": "电动车在楼道充电", "party_kind": "household", "party_name": "马林", "handling": "immediate"}
    response = head.post(reverse("hazards:create") + f"?visit={visit.pk}", data)
    hazard = Hazard.objects.get()
    assert response.status_code == 302
    assert (hazard.visit, hazard.source, hazard.reporting_head) == (visit, Hazard.Source.HOUSEHOLD_HEAD, world.head_a1)
    listing = head.get(reverse("hazards:list"), {"reported_by_me": "on"}).content.decode()
    assert hazard.number in listing
    assert head.get(hazard.get_absolute_url()).status_code == 200
    assert head.get(reverse("hazards:verify", args=[hazard.pk])).status_code == 403


def test_the_actions_walk_a_hazard_and_refuse_the_rectifier_as_checker(world, clients, today):
    hazard = HazardFactory(grid=world.grid_a1)
    staff, worker = clients["staff"], clients["grid_worker"]
    response = staff.post(reverse("hazards:verify", args=[hazard.pk]), {
        "grade": "general", "handling": "deadline", "requirement": "移出液化气罐", "deadline": "2026-11-27",
        "lead": world.users["supervisor"].pk, "responsible_unit": "镇安办"})
    assert response.status_code == 302
    hazard.refresh_from_db()
    assert hazard.status == S.RECTIFYING and assignment_for(hazard).deadline == dt.date(2026, 11, 27)
    notice = staff.get(reverse("hazards:notice", args=[hazard.pk])).content.decode()
    assert "安全隐患限期整改通知书" in notice and "2026年11月27日" in notice
    worker.post(reverse("hazards:complete", args=[hazard.pk]), {"done_on": "2026-11-20", "measures": "已移出"})
    hazard.refresh_from_db()
    assert hazard.status == S.RECHECK
    # The rectifier is not offered the re-check, and is refused it.
    assert reverse("hazards:recheck", args=[hazard.pk]) not in worker.get(hazard.get_absolute_url()).content.decode()
    assert reverse("hazards:recheck", args=[hazard.pk]) in staff.get(hazard.get_absolute_url()).content.decode()
    refused = worker.post(reverse("hazards:recheck", args=[hazard.pk]), {"on": "2026-11-20", "passed": "yes"})
    assert refused.status_code == 403
    hazard.refresh_from_db()
    assert hazard.status == S.RECHECK
    no_deadline = staff.post(reverse("hazards:recheck", args=[hazard.pk]), {"on": "2026-11-20", "passed": "no"})
    assert no_deadline.status_code == 200
    staff.post(reverse("hazards:recheck", args=[hazard.pk]), {"on": "2026-11-20", "passed": "yes"})
    hazard.refresh_from_db()
    assert hazard.status == S.CLOSEOUT


def test_an_action_out_of_its_state_says_so(world, clients):
    hazard = HazardFactory(grid=world.grid_a1)
    response = clients["staff"].get(reverse("hazards:complete", args=[hazard.pk]), follow=True)
    assert response.redirect_chain and hazard.number in response.content.decode()


def _rows(world, n):
    staff = world.users["staff"]
    for i in range(n):
        hazard = HazardFactory(grid=world.grid_a1 if i % 2 else world.grid_a2)
        if i % 3 == 0:
            advance(hazard, S.RECTIFYING, staff, lead=world.users["supervisor"])


@pytest.mark.parametrize("n", [5, 40])
def test_the_list_query_count_does_not_grow_with_rows(world, clients, django_assert_max_num_queries, n):
    _rows(world, n)
    client = clients["village_cadre"]
    client.get(reverse("hazards:list"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("hazards:list"), {"per_page": 100})
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="hazard-row"') == n


def test_pages_without_arguments_refuse_other_methods(world, clients):
    for name in ("hazards:list", "hazards:export", "hazards:supervision-sheet", "hazards:grid-options",
                 "hazards:household-options"):
        assert clients["staff"].post(reverse(name)).status_code == 405, name


def test_a_grid_worker_corrects_an_open_hazards_facts_with_history_but_not_its_state(world, clients):
    hazard = HazardFactory(grid=world.grid_a1)
    url = reverse("hazards:edit", args=[hazard.pk])
    assert 'data-testid="action-edit"' in clients["grid_worker"].get(hazard.get_absolute_url()).content.decode()
    field = HazardField.objects.get(code="gas")
    response = clients["grid_worker"].post(url, {
        "place": "村口加油站旁", "field": field.pk, "party_kind": "business", "party_name": "某某商店",
        "party_phone": "13800138000", "description": "液化气瓶露天堆放", "status": "closed"})
    assert response.status_code == 302
    hazard.refresh_from_db()
    assert (hazard.place, hazard.field, hazard.party_name, hazard.status) == ("村口加油站旁", field, "某某商店", "pending")
    last = hazard.history.order_by("-history_id").first()
    assert (last.history_user, last.history_change_reason) == (world.users["grid_worker"], "edit_facts")


def test_a_bad_phone_keeps_what_was_typed_and_changes_nothing(world, clients):
    hazard = HazardFactory(grid=world.grid_a1)
    response = clients["grid_worker"].post(reverse("hazards:edit", args=[hazard.pk]), {
        "place": "新地点", "field": hazard.field_id, "party_kind": "household", "party_name": "张三",
        "party_phone": "12345", "description": "描述"})
    assert response.status_code == 200 and "新地点" in response.content.decode()
    hazard.refresh_from_db()
    assert hazard.place != "新地点"


def test_a_closed_out_hazards_facts_are_not_edited_and_others_are_refused(world, clients):
    staff, supervisor = world.users["staff"], world.users["supervisor"]
    closed = advance(HazardFactory(grid=world.grid_a1), Hazard.Status.CLOSED, staff, checker=supervisor,
                     approver=supervisor, lead=staff)
    response = clients["staff"].get(reverse("hazards:edit", args=[closed.pk]))
    assert response.status_code == 302
    assert 'data-testid="action-edit"' not in clients["staff"].get(closed.get_absolute_url()).content.decode()
    hazard = HazardFactory(grid=world.grid_a1)
    assert clients["supervisor"].get(reverse("hazards:edit", args=[hazard.pk])).status_code == 403
    assert clients["village_cadre_b"].get(reverse("hazards:edit", args=[hazard.pk])).status_code == 404


def test_whoever_asked_for_the_close_out_is_not_offered_its_approval(world, clients):
    staff, supervisor = world.users["staff"], world.users["supervisor"]
    hazard = advance(HazardFactory(grid=world.grid_a1), S.CLOSEOUT, staff, checker=supervisor)
    hazard.request_closeout(by=staff)
    decide = reverse("hazards:decide-closeout", args=[hazard.pk])
    assert decide not in clients["staff"].get(hazard.get_absolute_url()).content.decode()
    assert clients["staff"].post(decide, {"approve": "yes"}).status_code == 403
    assert decide in clients["supervisor"].get(hazard.get_absolute_url()).content.decode()
