"""The pages of 排查 rounds as their users meet them: create a round, fill in a return, read the round."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from casework import rounds
from casework.models import Campaign, Return
from tests.disputes.factories import DisputeFactory
from tests.rounds.factories import make_round


def test_staff_create_a_round_with_one_return_per_chosen_village(world, clients):
    response = clients["staff"].post(reverse("rounds:create"), {
        "kind": "hazards", "title": "冬季安全隐患大排查", "topics": "用火用电、燃气\n农村自建房",
        "villages": [world.village_a.pk, world.village_b.pk], "starts_on": "2026-11-20", "ends_on": "2026-11-30",
        "returns_due": "2026-11-30", "checklist": "逐户查看电线、燃气灶具",
    })
    campaign = Campaign.objects.get(title="冬季安全隐患大排查")
    assert response.status_code == 302 and response["Location"] == campaign.get_absolute_url()
    assert campaign.topics == ["用火用电", "燃气", "农村自建房"]
    assert campaign.returns.count() == 2 and campaign.created_by == world.users["staff"]


def test_a_round_with_dates_out_of_order_keeps_what_was_typed(world, clients):
    response = clients["staff"].post(reverse("rounds:create"), {
        "kind": "disputes", "title": "半月排查", "villages": [world.village_a.pk], "starts_on": "2026-11-20",
        "ends_on": "2026-11-10", "returns_due": "2026-11-15",
    })
    assert response.status_code == 200
    body = response.content.decode()
    assert "半月排查" in body and not Campaign.objects.exists()
    form = response.context["form"]
    assert form.errors["ends_on"] and form.errors["returns_due"]


def test_the_create_form_offers_only_the_staffs_township_villages(world, clients):
    response = clients["staff"].get(reverse("rounds:create"))
    assert set(response.context["form"].fields["villages"].queryset) == {world.village_a, world.village_b}
    response = clients["staff"].post(reverse("rounds:create"), {
        "kind": "disputes", "title": "x", "villages": [world.other_township.villages.create(name="外村").pk],
        "starts_on": "2026-11-20", "ends_on": "2026-11-30", "returns_due": "2026-11-30",
    })
    assert response.status_code == 200 and response.context["form"].errors["villages"]


def test_a_village_cadre_submits_a_nil_return_and_staff_see_it(world, clients):
    campaign = make_round(world)
    ret = campaign.returns.get(village=world.village_a)
    url = reverse("rounds:return", kwargs={"pk": ret.pk})
    response = clients["village_cadre"].post(url, {"checked_count": "46", "checked_note": "全村46户", "zero_report": "on"})
    assert response.status_code == 302
    body = clients["staff"].get(campaign.get_absolute_url()).content.decode()
    assert "零报告" in body or "Nil return" in body
    line = next(r for r in clients["staff"].get(campaign.get_absolute_url()).context["lines"] if r.pk == ret.pk)
    assert line.current_state == Return.State.ON_TIME and line.zero_report and line.checked_count == 46


def test_a_nil_return_with_findings_is_refused_with_a_clear_message(world, clients):
    ret = make_round(world).returns.get(village=world.village_a)
    dispute = DisputeFactory(grid=world.grid_a1, registered_on=dt.date(2026, 11, 10))
    url = reverse("rounds:return", kwargs={"pk": ret.pk})
    response = clients["village_cadre"].post(url, {
        "checked_count": "46", "zero_report": "on", "found_disputes-dispute": [str(dispute.pk)],
    })
    assert response.status_code == 200
    assert "零报告" in response.content.decode()
    assert response.context["form"]["checked_count"].value() == "46"
    assert not Return.objects.get(pk=ret.pk).is_submitted


@pytest.mark.parametrize("count", ["", "-3", "abc"])
def test_bad_counts_are_refused_and_nothing_is_saved(world, clients, count):
    ret = make_round(world).returns.get(village=world.village_a)
    response = clients["village_cadre"].post(reverse("rounds:return", kwargs={"pk": ret.pk}),
                                             {"checked_count": count, "zero_report": "on"})
    assert response.status_code == 200 and response.context["form"].errors["checked_count"]
    assert not Return.objects.get(pk=ret.pk).is_submitted


def test_the_return_page_lists_the_disputes_found(world, clients):
    ret = make_round(world).returns.get(village=world.village_a)
    dispute = DisputeFactory(grid=world.grid_a1, registered_on=dt.date(2026, 11, 10), title="李家张家宅基地纠纷")
    url = reverse("rounds:return", kwargs={"pk": ret.pk})
    response = clients["village_cadre"].post(url, {"checked_count": "46", "found_disputes-dispute": [str(dispute.pk)]})
    assert response.status_code == 302
    body = clients["supervisor"].get(url).content.decode()
    assert dispute.number in body and "李家张家宅基地纠纷" in body


def test_a_silent_village_shows_red_on_the_rounds_page(world, clients, today):
    campaign = make_round(world, returns_due=today - dt.timedelta(days=1))
    rounds.return_submit(ret=campaign.returns.get(village=world.village_b), by=world.users["village_cadre_b"],
                         checked_count=20, zero_report=True)
    response = clients["staff"].get(campaign.get_absolute_url())
    body = response.content.decode()
    assert 'class="overdue" data-testid="return-line" data-state="silent"' in body
    assert body.count('data-state="silent"') == 1 and 'data-state="late"' in body
    assert response.context["totals"]["silent"] == 1


def test_the_list_counts_the_returns_in_and_flags_silent_ones(world, clients, today):
    campaign = make_round(world, returns_due=today - dt.timedelta(days=1))
    rounds.return_submit(ret=campaign.returns.get(village=world.village_b), by=world.users["village_cadre_b"],
                         checked_count=20, zero_report=True)
    body = clients["staff"].get(reverse("rounds:list")).content.decode()
    assert "1 / 2" in body and "text-bg-danger" in body
    # A village cadre counts their own village's return only.
    assert "0 / 1" in clients["village_cadre"].get(reverse("rounds:list")).content.decode()


@pytest.mark.parametrize("n", [1, 12])
def test_the_list_and_the_round_page_query_counts_do_not_grow(world, clients, django_assert_max_num_queries, n):
    for i in range(n):
        campaign = make_round(world, title=f"第{i}轮排查")
    for who in ("staff", "village_cadre"):
        client = clients[who]
        client.get(reverse("rounds:list"))
        with django_assert_max_num_queries(10):
            assert client.get(reverse("rounds:list")).status_code == 200
        with django_assert_max_num_queries(10):
            assert client.get(campaign.get_absolute_url()).status_code == 200


def test_the_statistics_sheet_is_chinese_with_one_row_per_village(world, clients, today):
    campaign = make_round(world, returns_due=today - dt.timedelta(days=1))
    ret_b = campaign.returns.get(village=world.village_b)
    rounds.return_submit(ret=ret_b, by=world.users["village_cadre_b"], checked_count=20, zero_report=True)
    response = clients["staff"].get(reverse("rounds:sheet", kwargs={"pk": campaign.pk}), HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value == "青石镇11月下半月矛盾纠纷排查情况统计表"
    assert "矛盾纠纷" in ws["A2"].value and "2026-11-19" in ws["A2"].value
    assert [c.value for c in ws[3]][:6] == ["序号", "村（社区）", "网格", "排查户（处）数", "发现问题数", "零报告"]
    assert ws["G3"].value == "上报情况" and [c.value for c in ws[4]][6:9] == ["上报时间", "按时/逾期", "上报人"]
    rows = {ws.cell(r, 2).value: [c.value for c in ws[r]] for r in (5, 6)}
    assert rows["柳湾村"][3:6] == [20, 0, "是"] and rows["柳湾村"][7] == "逾期"
    assert rows["桃源村"][3] is None and rows["桃源村"][7] == "逾期未报"
    assert ws["A7"].value == "合计" and ws["D7"].value == 20
    assert ws["A9"].value == "填报单位：青石镇"
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["排查情况统计表"]  # no section for disputes


def test_a_village_cadres_sheet_has_their_village_only(world, clients):
    campaign = make_round(world)
    response = clients["village_cadre"].get(reverse("rounds:sheet", kwargs={"pk": campaign.pk}))
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["B5"].value == "桃源村" and ws["A6"].value == "合计"
    assert ws["A8"].value == "填报单位：青石镇桃源村"


def test_a_dispute_found_in_a_round_links_to_its_return(world, clients):
    ret = make_round(world).returns.get(village=world.village_a)
    dispute = DisputeFactory(grid=world.grid_a1, registered_on=dt.date(2026, 11, 10))
    rounds.return_submit(ret=ret, by=world.users["village_cadre"], checked_count=46,
                         found={"disputes-dispute": [dispute.pk]})
    body = clients["village_cadre"].get(reverse("disputes:detail", kwargs={"pk": dispute.pk})).content.decode()
    assert reverse("rounds:return", kwargs={"pk": ret.pk}) in body


def test_a_correction_made_meanwhile_is_not_overwritten(world, clients):
    ret = make_round(world).returns.get(village=world.village_a)
    url = reverse("rounds:return", kwargs={"pk": ret.pk})
    opened = clients["village_cadre"].get(url).context["form"]["version"].value()
    rounds.return_submit(ret=ret, by=world.users["village_cadre"], checked_count=46, zero_report=True)
    response = clients["village_cadre"].post(url, {"version": opened, "checked_count": "50", "zero_report": "on"})
    assert response.status_code == 409
    assert Return.objects.get(pk=ret.pk).checked_count == 46
