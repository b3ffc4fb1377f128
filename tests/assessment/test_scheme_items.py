"""A scheme's items are adjusted in the browser before it is approved: bands and points in plain words, the form keeps
what was typed when refused, the one who changed the items last does not approve them, and an approved scheme's
items are fixed."""

from decimal import Decimal

from django.urls import reverse

from assessment.models import Item
from tests.assessment.factories import make_scheme
from tests.factories import UserFactory


def _data(**extra):
    return {"duty": "collect", "name": "联系户走访覆盖率", "kind": "computed", "metric": "coverage", "rule": "bands",
            "max_points": "30", "bands": "95:30，80%：20, 60:10", "points": "", "description": "", **extra}


def test_staff_change_an_items_bands_and_the_scheme_page_shows_the_rule_in_words(world, clients):
    scheme = make_scheme(world.township, created_by=world.users["staff"])
    item = scheme.items.get(name="联系户走访覆盖率")
    form = clients["staff"].get(reverse("assessment:item-edit", args=[item.pk])).context["form"]
    assert form["bands"].value() == "95:30, 60:20, 30:10"
    response = clients["staff"].post(reverse("assessment:item-edit", args=[item.pk]), _data())
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.params == {"bands": [[0.95, 30.0], [0.8, 20.0], [0.6, 10.0]]}
    page = clients["staff"].get(scheme.get_absolute_url()).content.decode()
    assert "≥95%得30.0分；≥80%得20.0分；≥60%得10.0分；以下不得分" in page


def test_a_wrong_band_is_refused_in_chinese_and_the_form_keeps_what_was_typed(world, clients):
    scheme = make_scheme(world.township, created_by=world.users["staff"])
    item = scheme.items.get(name="联系户走访覆盖率")
    response = clients["staff"].post(reverse("assessment:item-edit", args=[item.pk]),
                                     _data(bands="60:10, 95:40", name="走访覆盖率（改）"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "走访覆盖率（改）" in html and "60:10, 95:40" in html
    assert "从高到低" in html or "不能高于" in html
    missing = clients["staff"].post(reverse("assessment:item-create", args=[scheme.pk]),
                                    _data(rule="per_event", metric="reports", bands=""))
    assert "每件" in missing.content.decode() and missing.status_code == 200


def test_an_added_per_event_item_counts_toward_the_points_and_removing_it_takes_them_away(world, clients):
    scheme = make_scheme(world.township, created_by=world.users["staff"])
    before = scheme.points_in_items()
    clients["staff"].post(reverse("assessment:item-create", args=[scheme.pk]),
                          _data(name="上报矛盾纠纷", metric="reports", rule="per_event", points="1.5", max_points="6",
                                bands=""))
    added = scheme.items.get(name="上报矛盾纠纷")
    assert added.params == {"points": 1.5, "cap": 6.0} and added.position > 20
    assert scheme.points_in_items() == before + Decimal(6)
    clients["staff"].post(reverse("assessment:item-delete", args=[added.pk]))
    assert not Item.objects.filter(pk=added.pk).exists()


def test_whoever_changed_the_items_last_does_not_approve_and_an_approved_schemes_items_are_fixed(world, clients):
    scheme = make_scheme(world.township, created_by=world.users["staff"])
    item = scheme.items.first()
    clients["supervisor"].post(reverse("assessment:item-edit", args=[item.pk]), _data())
    refused = clients["supervisor"].post(reverse("assessment:scheme-approve", args=[scheme.pk]), follow=True)
    assert "最后修改" in refused.content.decode()
    scheme.refresh_from_db()
    assert not scheme.is_approved
    other = UserFactory(role="township_staff", township=world.township)
    scheme.approve(by=other)
    locked = clients["supervisor"].post(reverse("assessment:item-edit", args=[item.pk]), _data(name="改不了"),
                                        follow=True)
    assert "已审定" in locked.content.decode()
    item.refresh_from_db()
    assert item.name != "改不了"
    page = clients["staff"].get(scheme.get_absolute_url()).content.decode()
    assert 'data-testid="item-edit"' not in page
