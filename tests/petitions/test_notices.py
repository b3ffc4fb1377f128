"""The notices to petitioners: 受理告知书, 延期办理告知书, 答复意见书 — Chinese, issued by the township's government,
each once its step has happened, for those who work the petition."""

import datetime as dt

from django.urls import reverse

from petitions import services
from tests.factories import HouseholdFactory, ResidentFactory

from .factories import register, resident_petitioner


def _petition(world):
    resident = ResidentFactory(household=HouseholdFactory(grid=world.grid_a1), name="孙七")
    return register(by=world.users["staff"], village=world.village_a, received_on=dt.date(2026, 11, 3),
                    channel="letter", petitioners=[resident_petitioner(resident)])


def _url(petition, key):
    return reverse(f"petitions:notice-{key}", args=[petition.pk])


def test_each_notice_waits_for_its_step(world, clients):
    petition = _petition(world)
    client = clients["staff"]
    for key in ("acceptance", "extension", "reply"):
        response = client.get(_url(petition, key))
        assert response.status_code == 302 and response["Location"] == petition.get_absolute_url()
    assert 'data-testid="notices"' not in client.get(petition.get_absolute_url()).content.decode()

    services.petition_accept(petition=petition, by=world.users["staff"], on=dt.date(2026, 11, 5))
    body = client.get(_url(petition, "acceptance")).content.decode()
    for text in ("青石镇人民政府", "信访事项受理告知书", "孙七：", "2026年11月3日", "来信", "2026年11月5日", "第三十一条",
                 "60日内办结", "送达回执", petition.number):
        assert text in body, text
    detail = client.get(petition.get_absolute_url()).content.decode()
    assert 'data-testid="notice-acceptance"' in detail and 'data-testid="notice-reply"' not in detail

    petition.extend(by=world.users["supervisor"], days=20, reason="涉及多个部门需会商")
    body = client.get(_url(petition, "extension")).content.decode()
    assert "信访事项延期办理告知书" in body and "涉及多个部门需会商" in body and "延长20日" in body
    assert "第三十五条" in body

    petition.record_reply(by=world.users["staff"], text="经核实，补偿款已于本月补发到位。", on=dt.date(2026, 11, 20))
    body = client.get(_url(petition, "reply")).content.decode()
    assert "信访事项答复意见书" in body and "补偿款已于本月补发到位" in body and "30日内" in body
    assert "2026年11月20日" in body


def test_notices_are_chinese_under_the_english_ui(world, clients):
    petition = _petition(world)
    services.petition_accept(petition=petition, by=world.users["staff"], on=dt.date(2026, 11, 5))
    client = clients["village_cadre"]
    client.cookies["django_language"] = "en"
    body = client.get(_url(petition, "acceptance"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Print" in body and "来信" in body and "Letter" not in body


def test_notices_follow_the_petitions_scope(world, clients):
    petition = _petition(world)
    services.petition_accept(petition=petition, by=world.users["staff"], on=dt.date(2026, 11, 5))
    url = _url(petition, "acceptance")
    for who in ("staff", "supervisor", "township_cadre", "village_cadre", "grid_worker"):
        assert clients[who].get(url).status_code == 200, who
    for who in ("village_cadre_b", "grid_worker_a2", "outsider", "household_head"):
        assert clients[who].get(url).status_code == 404, who
    assert clients["staff"].post(url).status_code == 405


def test_a_household_head_reads_their_households_petition_but_prints_no_notice(world, clients):
    household = HouseholdFactory(grid=world.grid_a1, household_head=world.head_a1)
    resident = ResidentFactory(household=household)
    petition = register(by=world.users["staff"], village=world.village_a, petitioners=[resident_petitioner(resident)],
                        household=household)
    services.petition_accept(petition=petition, by=world.users["staff"], on=petition.received_on)
    assert clients["household_head"].get(petition.get_absolute_url()).status_code == 200
    assert clients["household_head"].get(_url(petition, "acceptance")).status_code == 403


def test_the_closeout_form_shows_the_request_and_its_decision(world, clients):
    petition = _petition(world)
    staff, supervisor = world.users["staff"], world.users["supervisor"]
    services.petition_accept(petition=petition, by=staff, on=dt.date(2026, 11, 5))
    url = _url(petition, "closeout")
    assert clients["staff"].get(url).status_code == 302
    petition.record_reply(by=staff, text="经核实，补偿款已于本月补发到位。", on=dt.date(2026, 11, 20))
    petition.record_satisfaction(by=staff, level="basically")
    petition.request_closeout(by=staff, outcome="resolved", note="诉求已解决")
    body = clients["staff"].get(url).content.decode()
    assert "信访事项销号审批表" in body and "诉求合理的解决到位" in body and "基本满意" in body and "待审批" in body
    services.petition_closeout_decide(petition=petition, by=supervisor, approve=True, comment="同意销号")
    client = clients["village_cadre"]
    client.cookies["django_language"] = "en"
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "同意销号" in body and "已批准" in body and "Approved" not in body
