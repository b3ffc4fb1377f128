"""The dispute's official papers: the 人民调解协议书 (Ministry of Justice format) and, for an oral agreement, the
口头调解协议登记. Official papers are Chinese whatever the UI language: every label is read here under
``translation.override("zh-hans")`` and the fixed wording is in the template, in Chinese."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation

from households.idnumbers import mask_id_number, parse
from households.models import RevealLog

from .models import Dispute, Party


@dataclass(frozen=True)
class PartyLine:
    side: str
    name: str
    gender: str
    ethnicity: str
    age: str
    occupation: str
    address: str
    phone: str
    id_number: str


def _id_of(party: Party) -> str:
    return party.resident.id_number if party.resident_id else party.id_number


def _age(party: Party, on: dt.date) -> str:
    if party.age is not None:
        return str(party.age)
    birth = party.resident.birth_date if party.resident_id else None
    if birth is None and party.id_number:
        try:
            birth = parse(party.id_number).birth_date
        except ValidationError:
            birth = None
    if birth is None:
        return ""
    return str(on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day)))


def _gender(party: Party) -> str:
    if party.gender:
        return str(party.get_gender_display())
    if party.resident_id:
        return str(party.resident.get_gender_display())
    return ""


def party_lines(parties, *, on: dt.date, full_ids: bool) -> list[PartyLine]:
    with translation.override("zh-hans"):
        return [
            PartyLine(
                side=str(p.get_side_display()), name=p.name, gender=_gender(p), ethnicity=p.ethnicity,
                age=_age(p, on), occupation=p.occupation, address=p.display_address,
                phone=(p.resident.phone if p.resident_id else p.phone) if full_ids else p.masked_phone,
                id_number=_id_of(p) if full_ids else mask_id_number(_id_of(p)),
            )
            for p in parties
        ]


def paper_date(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "　　年　　月　　日"


def recorder_name(dispute: Dispute) -> str:
    """记录人: who recorded the agreement (the history row of ``record_success``)."""
    row = dispute.history.filter(history_change_reason="record_success").select_related("history_user").first()
    return str(row.history_user) if row and row.history_user else ""


def agreement_context(dispute: Dispute, *, full_ids: bool) -> dict:
    parties = list(dispute.parties.select_related("resident__household"))
    on = dispute.mediation_ended_on or dispute.registered_on
    _key, committee, _short = dispute.mediation_committee()
    with translation.override("zh-hans"):
        method = str(dispute.get_method_display() or Dispute.Method.PEOPLE.label)
        kind = str(dispute.get_kind_display())
    title = "行政调解协议书" if dispute.method == Dispute.Method.ADMINISTRATIVE else "人民调解协议书"
    return {
        "dispute": dispute, "title": title, "method": method, "kind": kind,
        "committee": dispute.agreement_committee or committee,
        "parties": party_lines(parties, on=on, full_ids=full_ids), "full_ids": full_ids,
        "copies": len(parties) + 1, "date": paper_date(dispute.mediation_ended_on),
        "performance_due": paper_date(dispute.performance_due) if dispute.performance_due else "",
        "mediators": [m.name for m in dispute.mediators.all()], "recorder": recorder_name(dispute),
    }


@transaction.atomic
def agreement_reveal(*, dispute: Dispute, user, ip: str | None = None) -> int:
    """The signed copy prints the parties' full ID numbers and phones: one reveal-log row per value shown, as a
    reveal on the household page writes (who, whose, what, when, why)."""
    reason = f"打印调解协议书签署件 {dispute.agreement_number or dispute.number}"
    rows = []
    for p in dispute.parties.select_related("resident"):
        phone = p.resident.phone if p.resident_id else p.phone
        for field, value in ((RevealLog.Field.ID_NUMBER, _id_of(p)), (RevealLog.Field.PHONE, phone)):
            if value:
                rows.append(RevealLog(township_id=dispute.township_id, resident_id=p.resident_id, subject=p.name,
                                      field=field, user=user, ip_address=ip, reason=reason))
    RevealLog.objects.bulk_create(rows)
    return len(rows)


def record_context(dispute: Dispute) -> dict:
    """What the 调解笔录 and the 回访记录 share: the committee, the parties (masked), the dispute's kind."""
    parties = list(dispute.parties.select_related("resident__household"))
    on = dispute.mediation_ended_on or dispute.registered_on
    _key, committee, _short = dispute.mediation_committee()
    with translation.override("zh-hans"):
        kind = str(dispute.get_kind_display())
        method = str(dispute.get_method_display())
        outcome = dispute.result_label()
    return {
        "dispute": dispute, "committee": dispute.agreement_committee or committee, "kind": kind, "method": method,
        "outcome": outcome, "parties": party_lines(parties, on=on, full_ids=False),
        "mediators": [m.name for m in dispute.mediators.all()],
    }
