"""The audit trail: who, when, what changed field by field, from which address; shown as a history tab."""

import pytest
from django.urls import reverse
from django.utils import translation

from core.audit import history_entries
from governance.models import Grid, GridMerge, HeadTerm, HouseholdHead, Township, User, Village


@pytest.mark.parametrize("model", [Township, Village, Grid, GridMerge, HouseholdHead, HeadTerm, User])
def test_every_governance_model_of_the_organisation_is_audited_with_the_client_address(model):
    history_model = model.history.model
    assert {f.name for f in history_model._meta.fields} >= {"history_user", "history_date", "ip_address"}


def test_an_edit_through_the_page_records_who_when_what_and_where(world, clients):
    head = world.head_a1
    url = reverse("governance:head-edit", args=[head.pk])
    response = clients["staff"].post(url, {"name": head.name, "phone": "13700001111", "term_ends_on": "2029-09-26"},
                                     REMOTE_ADDR="192.168.3.7")
    assert response.status_code == 302
    with translation.override("en"):
        entry = history_entries(head)[0]
    assert entry.record.history_user == world.users["staff"]
    assert entry.record.ip_address == "192.168.3.7"
    assert {c.field for c in entry.changes} == {"phone", "term ends on"}


@pytest.mark.today("2026-11-20")  # the term ends on 2026-10-01
def test_the_history_tab_names_related_objects_and_choice_labels(world, clients):
    clients["staff"].post(reverse("governance:head-move", args=[world.head_a1.pk]),
                          {"village": world.village_a.pk, "grid": world.grid_a2.pk})
    clients["staff"].post(reverse("governance:head-end-term", args=[world.head_a1.pk]),
                          {"ended_on": "2026-10-01", "reason": "迁居外地"})
    body = clients["staff"].get(reverse("governance:head-detail", args=[world.head_a1.pk])).content.decode()
    history = body.split('data-testid="history"')[1]
    assert "第一网格 → 第二网格" in history
    assert "在任 → 离任" in history
    assert "迁居外地" in history and "127.0.0.1" in history


def test_a_history_entry_shows_an_fk_by_name_not_by_id(world):
    world.head_a1.grid = world.grid_a2
    world.head_a1.save()
    with translation.override("en"):
        change = next(c for c in history_entries(world.head_a1)[0].changes if c.field == "grid")
    assert (change.old, change.new) == ("第一网格", "第二网格")


def test_every_detail_page_has_a_history_tab(world, clients):
    for name, pk in [
        ("governance:village-detail", world.village_a.pk), ("governance:grid-detail", world.grid_a1.pk),
        ("governance:head-detail", world.head_a1.pk), ("governance:user-detail", world.users["village_cadre"].pk),
    ]:
        body = clients["staff"].get(reverse(name, args=[pk])).content.decode()
        assert 'data-testid="history-tab"' in body and 'data-testid="history"' in body, name


def test_reading_a_page_writes_no_history(world, clients):
    before = Village.history.count()
    clients["staff"].get(reverse("governance:village-detail", args=[world.village_a.pk]))
    assert Village.history.count() == before


def test_a_yes_or_no_field_reads_as_words_in_the_history(world):
    """«按期答复: — → 是», not «True»."""
    user = world.users["staff"]
    user.is_active = False
    user.save()
    with translation.override("zh-hans"):
        change = next(c for c in history_entries(user)[0].changes if c.field == "有效")
    assert (str(change.old), str(change.new)) == ("是", "否")
