"""一户一档: the household's card on A4 — Chinese whatever the UI, members whole and masked, only the tags the
user may see, in the household's scope."""

from django.urls import reverse

from households.models import Tag
from tests.factories import HouseholdFactory, VisitFactory
from tests.households.factories import ResidentFactory


def test_the_card_shows_the_household_its_members_and_visits(world, clients):
    household = HouseholdFactory(grid=world.grid_a1, head_name="周大山", address="桃源村二组8号",
                                 family_situation="三代同堂")
    members = [ResidentFactory(household=household, name=n) for n in ("周大山", "李秀英", "周小明")]
    VisitFactory(grid=world.grid_a1, households=[household], notes="了解春耕情况")
    body = clients["village_cadre"].get(reverse("households:card", args=[household.pk])).content.decode()
    assert "一户一档" in body and "青石镇桃源村" in body and "桃源村二组8号" in body and "三代同堂" in body
    assert body.count('data-testid="card-member"') == 3
    for r in members:
        assert r.masked_id_number in body and r.id_number not in body
    assert "了解春耕情况" in body and "data-paper-print" in body


def test_the_card_is_chinese_under_the_english_ui(world, clients):
    household = HouseholdFactory(grid=world.grid_a1)
    ResidentFactory(household=household, gender="female")
    client = clients["staff"]
    client.cookies["django_language"] = "en"
    body = client.get(reverse("households:card", args=[household.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Back to the household" in body  # the toolbar follows the UI
    assert "女" in body and "户主" in body and "Female" not in body


def test_the_card_keeps_focus_tags_from_those_who_may_not_see_them(world, clients):
    household = HouseholdFactory(grid=world.grid_a1, household_head=world.head_a1)
    resident = ResidentFactory(household=household)
    focus = Tag.objects.filter(category=Tag.Category.FOCUS).first() or Tag.objects.create(
        code="test-focus", name="受过党纪法规处理的", category=Tag.Category.FOCUS)
    resident.tags.add(focus)
    url = reverse("households:card", args=[household.pk])
    assert focus.name in clients["staff"].get(url).content.decode()
    assert focus.name not in clients["household_head"].get(url).content.decode()


def test_the_card_follows_the_households_scope(world, clients):
    url = reverse("households:card", args=[HouseholdFactory(grid=world.grid_a1).pk])
    assert clients["grid_worker"].get(url).status_code == 200
    for who in ("village_cadre_b", "grid_worker_a2", "household_head", "outsider"):
        assert clients[who].get(url).status_code == 404, who
    assert clients["staff"].post(url).status_code == 405
