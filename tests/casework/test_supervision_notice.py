"""督办通知书: the notice of a case under 挂牌督办, read from the shared assignment (any case type), Chinese on A4."""

import datetime as dt

from django.urls import reverse

from disputes import services
from tests.disputes.factories import DisputeFactory, PartyFactory


def _supervised(world, *, level="red"):
    dispute = DisputeFactory(grid=world.grid_a1, title="山林权属纠纷", risk="major")
    PartyFactory(dispute=dispute)
    services.dispute_assign(dispute=dispute, by=world.users["staff"], lead=world.users["township_cadre"],
                            responsible_unit="镇司法所", deadline=dt.date(2026, 11, 30),
                            team=[world.users["village_cadre"]])
    if level:
        services.dispute_supervise(dispute=dispute, by=world.users["supervisor"], level=level, comment="限期化解")
    dispute.refresh_from_db()
    return dispute


def test_the_notice_names_the_lead_the_unit_the_deadline_and_the_card(world, clients):
    dispute = _supervised(world)
    url = reverse("inbox:supervision-notice", args=[dispute.assignment.pk])
    assert 'data-testid="supervision-notice"' in clients["staff"].get(dispute.get_absolute_url()).content.decode()
    client = clients["staff"]
    client.cookies["django_language"] = "en"
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for text in ("督办通知书", "红牌督办", "镇司法所", "2026年11月30日前办结", "限期化解", "山林权属纠纷", "青石镇综治中心（印）"):
        assert text in body, text
    assert "Red card" not in body


def test_no_notice_without_supervision_and_none_outside_the_scope(world, clients):
    dispute = _supervised(world, level="")
    url = reverse("inbox:supervision-notice", args=[dispute.assignment.pk])
    assert clients["staff"].get(url).status_code == 302
    supervised = _supervised(world)
    url = reverse("inbox:supervision-notice", args=[supervised.assignment.pk])
    assert clients["village_cadre"].get(url).status_code == 200
    for who in ("village_cadre_b", "outsider"):
        assert clients[who].get(url).status_code == 404, who
        assert clients[who].post(url).status_code == 404, who
    assert clients["staff"].post(url).status_code == 405
