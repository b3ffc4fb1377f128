"""The 人民调解协议书 to the Ministry of Justice's format, the 口头调解协议登记, and who may print which."""

import datetime as dt
import itertools

from django.urls import reverse

from disputes.models import Dispute
from households.models import RevealLog
from tests.disputes.factories import DAY, DisputeFactory, PartyFactory, ResidentFactory, advance, step
from tests.factories import HouseholdFactory

S = Dispute.Status


_births = itertools.count()


def _agreed(world, *, grid=None, form=Dispute.AgreementForm.WRITTEN, level=None, method=Dispute.Method.PEOPLE):
    dispute = DisputeFactory(grid=grid or world.grid_a1, description="两户因排水沟走向发生争执。")
    if level:
        dispute.level = level
        dispute.save(update_fields=["level"])
    household = HouseholdFactory(grid=dispute.grid, address="桃源村三组12号")
    resident = ResidentFactory(household=household, name="王大明", gender="male", birth_date=dt.date(1970, 5, 1) + dt.timedelta(days=next(_births)))
    PartyFactory(dispute=dispute, resident=resident, name=resident.name, ethnicity="汉族", occupation="农民")
    PartyFactory(dispute=dispute, name="赵小红", side="respondent", gender="female", age=41, ethnicity="彝族",
                 address="白马镇新街5号", id_number="")
    staff = world.users["staff"]
    advance(dispute, S.ACCEPTED, staff)
    dispute.start_mediation(by=staff, method=method, on=DAY, mediator_names=["李调解"])
    dispute.record_success(by=staff, on=DAY, agreement_form=form, terms="甲方于月底前改道排水沟。",
                           fulfilment=Dispute.Fulfilment.PENDING, dispute_points="排水沟是否占用乙方宅基地。",
                           performance="甲方自行施工，乙方配合。", performance_due=dt.date(2026, 11, 30))
    return dispute, resident


def _url(dispute):
    return reverse("disputes:agreement-print", args=[dispute.pk])


def test_a_village_agreement_names_the_village_committee_and_takes_its_number(world, clients):
    dispute, resident = _agreed(world)
    body = clients["village_cadre"].get(_url(dispute)).content.decode()
    assert "桃源村人民调解委员会" in body and "人民调解协议书" in body
    assert "桃源调字〔2026〕第1号" in body
    dispute.refresh_from_db()
    assert dispute.agreement_number == "桃源调字〔2026〕第1号"
    assert dispute.agreement_committee == "桃源村人民调解委员会"
    # The number is kept: printing again does not take another.
    clients["staff"].get(_url(dispute))
    dispute.refresh_from_db()
    assert dispute.agreement_number == "桃源调字〔2026〕第1号"


def test_each_committee_numbers_its_own_agreements(world, clients):
    first, _ = _agreed(world)
    second, _ = _agreed(world)
    township, _ = _agreed(world, level=Dispute.Level.TOWNSHIP)
    for d in (first, second, township):
        clients["staff"].get(_url(d))
        d.refresh_from_db()
    assert first.agreement_number == "桃源调字〔2026〕第1号"
    assert second.agreement_number == "桃源调字〔2026〕第2号"
    assert township.agreement_number == "青石调字〔2026〕第1号"
    assert township.agreement_committee == "青石镇人民调解委员会"


def test_the_agreement_has_every_part_of_the_standard_format(world, clients):
    dispute, resident = _agreed(world)
    body = clients["village_cadre"].get(_url(dispute)).content.decode()
    for text in ("性别", "民族", "年龄", "职业或职务", "住址", "汉族", "彝族", "农民", "男", "女", "56", "41",
                 "桃源村三组12号", "纠纷主要事实、争议事项", "两户因排水沟走向发生争执。", "排水沟是否占用乙方宅基地。",
                 "甲方于月底前改道排水沟。", "履行方式、时限", "甲方自行施工，乙方配合。", "2026年11月30日前履行完毕",
                 "本协议一式3份", "之日起生效", "按指印", "人民调解员（签名）", "李调解", "记录人", "（印）",
                 "2026年11月3日"):
        assert text in body, text
    assert body.count('data-testid="party-signature"') == 2
    # Masked by default.
    assert resident.id_number not in body and resident.masked_id_number in body


def test_the_agreement_stays_chinese_under_the_english_ui(world, clients):
    dispute, _ = _agreed(world)
    client = clients["village_cadre"]
    client.cookies["django_language"] = "en"
    body = client.get(_url(dispute), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Print" in body  # the toolbar follows the UI
    assert "人民调解协议书" in body and "申请人" in body and "男" in body
    assert "Applicant" not in body and "Male" not in body


def test_the_copy_for_signing_prints_full_ids_and_logs_each_as_a_reveal(world, clients):
    dispute, resident = _agreed(world)
    body = clients["village_cadre"].post(_url(dispute)).content.decode()
    assert resident.id_number in body
    log = RevealLog.objects.get(field="id_number")
    assert log.resident == resident and log.user == world.users["village_cadre"]
    assert "桃源调字〔2026〕第1号" in log.reason
    # The resident's phone is shown in full too, and logged; the other party has neither number nor phone.
    assert {(r.subject, r.field) for r in RevealLog.objects.all()} == {("王大明", "id_number"), ("王大明", "phone")}
    # A grid worker may read the agreement, not reveal the numbers.
    assert clients["grid_worker"].get(_url(dispute)).status_code == 200
    assert clients["grid_worker"].post(_url(dispute)).status_code == 403
    assert RevealLog.objects.count() == 2
    assert clients["village_cadre_b"].post(_url(dispute)).status_code == 404
    assert clients["outsider"].get(_url(dispute)).status_code == 404


def test_an_oral_agreement_prints_a_registration_not_an_agreement(world, clients):
    dispute, _ = _agreed(world, form=Dispute.AgreementForm.ORAL)
    body = clients["village_cadre"].get(_url(dispute)).content.decode()
    assert "口头调解协议登记" in body and "甲方于月底前改道排水沟。" in body
    assert "人民调解协议书" not in body and "按指印" not in body
    dispute.refresh_from_db()
    assert dispute.agreement_number == ""


def test_a_county_judicial_mediation_is_not_printed_as_the_townships_paper(world, clients):
    dispute, _ = _agreed(world, level=Dispute.Level.COUNTY, method=Dispute.Method.JUDICIAL)
    response = clients["staff"].get(_url(dispute), follow=True)
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == dispute.get_absolute_url()
    assert "人民法院" in body or "court" in body
    assert "人民调解协议书" not in body
    dispute.refresh_from_db()
    assert dispute.agreement_number == ""


def test_an_administrative_mediation_is_the_township_governments_paper(world, clients):
    dispute, _ = _agreed(world, level=Dispute.Level.TOWNSHIP, method=Dispute.Method.ADMINISTRATIVE)
    body = clients["staff"].get(_url(dispute)).content.decode()
    assert "行政调解协议书" in body and "青石镇人民政府（印）" in body and "青石政调字〔2026〕第1号" in body


def test_parties_typed_with_their_details_keep_them(world, clients):
    dispute = DisputeFactory(grid=world.grid_a1)
    PartyFactory(dispute=dispute)
    response = clients["village_cadre"].post(reverse("disputes:party-add", args=[dispute.pk]), {
        "party-side": "respondent", "party-name": "钱多多", "party-gender": "female", "party-ethnicity": "回族",
        "party-age": "35", "party-occupation": "个体户", "party-address": "桃源村一组",
    })
    assert response.status_code == 302
    party = dispute.parties.get(name="钱多多")
    assert (party.gender, party.ethnicity, party.age, party.occupation) == ("female", "回族", 35, "个体户")
    response = clients["village_cadre"].post(reverse("disputes:party-add", args=[dispute.pk]), {
        "party-side": "respondent", "party-name": "孙某", "party-age": "abc"})
    assert response.status_code == 200 and 'value="孙某"' in response.content.decode()


def test_step_helper_still_records_an_agreement(world):
    dispute = DisputeFactory(grid=world.grid_a1)
    PartyFactory(dispute=dispute)
    advance(dispute, S.MEDIATING, world.users["staff"])
    step(dispute, S.SUCCEEDED, world.users["staff"])
    assert dispute.is_written_agreement


def test_the_mediation_record_has_a_page_per_session_and_the_follow_up_record_its_findings(world, clients):
    dispute, _ = _agreed(world)
    record = reverse("disputes:mediation-record", args=[dispute.pk])
    follow = reverse("disputes:follow-up-record", args=[dispute.pk])
    assert clients["village_cadre"].get(record).status_code == 302  # no session recorded
    assert clients["village_cadre"].get(follow).status_code == 302  # no follow-up yet
    dispute2 = DisputeFactory(grid=world.grid_a1)
    PartyFactory(dispute=dispute2, name="钱一")
    staff = world.users["staff"]
    advance(dispute2, S.MEDIATING, staff)
    dispute2.add_session(by=staff, held_on=DAY, place="村委会", participants="双方及调解员", content="第一次释法说理")
    dispute2.add_session(by=staff, held_on=DAY, place="村委会", participants="双方", content="第二次达成一致",
                         result="达成口头协议")
    advance(dispute2, S.FOLLOWED_UP, staff)
    client = clients["village_cadre"]
    client.cookies["django_language"] = "en"
    body = client.get(reverse("disputes:mediation-record", args=[dispute2.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert body.count('data-testid="record-session"') == 2 and "调解笔录" in body and "第二次达成一致" in body
    assert "桃源村人民调解委员会" in body and "钱一" in body and "申请人" in body and "Applicant" not in body
    body = client.get(reverse("disputes:follow-up-record", args=[dispute2.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "矛盾纠纷回访记录" in body and "双方关系缓和。" in body and "2026年11月3日" in body
    assert "调解成功" in body and "Succeeded" not in body
    assert clients["village_cadre_b"].get(reverse("disputes:follow-up-record", args=[dispute2.pk])).status_code == 404
