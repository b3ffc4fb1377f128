"""The notices a petition gives its petitioners (信访工作条例, 2022): 受理告知书 or 不予受理告知书, 延期办理告知书 and
答复意见书.
Chinese whatever the UI language; the township's government issues them. Each is available once the step it
reports has happened (accepted, extended, replied)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from casework.services import assignment_for

from .models import Petition


@dataclass(frozen=True)
class Notice:
    key: str
    label: str  # in the UI language, for the petition's page
    title: str  # the paper's own title, Chinese
    template: str
    available: Callable[[Petition], bool]


NOTICES = {
    n.key: n
    for n in (
        Notice("acceptance", _("Acceptance notice"), "信访事项受理告知书", "petitions/notice_acceptance.html", lambda p: p.accepted_on is not None),
        Notice("decline", _("Notice of non-acceptance"), "信访事项不予受理告知书", "petitions/notice_decline.html",
               lambda p: p.is_declined),
        Notice("extension", _("Extension notice"), "信访事项延期办理告知书", "petitions/notice_extension.html", lambda p: bool(p.extension_days)),
        Notice("closeout", _("Close-out approval form"), "信访事项销号审批表", "petitions/closeout_form.html",
               lambda p: p.closeouts.exists()),
        Notice("reply", _("Written reply"), "信访事项答复意见书", "petitions/notice_reply.html", lambda p: bool(p.reply_text)),
    )
}


def available_notices(petition: Petition) -> list[Notice]:
    return [n for n in NOTICES.values() if n.available(petition)]


def chinese_date(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "　　年　　月　　日"


def closeout_context(petition: Petition) -> dict:
    """The latest close-out of the petition, its 包案 and the labels of the form, in Chinese."""
    closeout = petition.closeouts.select_related("requested_by", "decided_by").order_by("-pk").first()
    assignment = assignment_for(petition)
    with translation.override("zh-hans"):
        labels = {
            "outcome": str(closeout.get_outcome_display()), "decision": str(closeout.get_decision_display()),
            "satisfaction": str(closeout.get_satisfaction_display()) if closeout.satisfaction else "",
            "forms": "、".join(str(f.label) for f in petition.forms),
        }
    return {
        "closeout": closeout, "labels": labels, "assignment": assignment,
        "requested_on": chinese_date(timezone.localdate(closeout.created_at)),
        "decided_on": chinese_date(timezone.localdate(closeout.decided_at) if closeout.decided_at else None),
    }


def notice_context(petition: Petition, notice: Notice) -> dict:
    with translation.override("zh-hans"):
        channel = str(petition.get_channel_display())
        subject = str(petition.get_subject_display())
    names = "、".join(p.name for p in petition.petitioners.all())
    return {
        "petition": petition, "notice": notice, "title": notice.title, "names": names,
        "issuer": f"{petition.township.name}人民政府", "channel": channel, "subject": subject,
        "received": chinese_date(petition.received_on), "accepted": chinese_date(petition.accepted_on),
        "replied": chinese_date(petition.replied_on), "declined": chinese_date(petition.declined_on), "statutory_due": chinese_date(petition.statutory_due_on),
        "extended": chinese_date(timezone.localdate(petition.extended_at) if petition.extended_at else None),
        "handling_due": chinese_date(petition.handling_due_on),
        **(closeout_context(petition) if notice.key == "closeout" else {}),
    }
