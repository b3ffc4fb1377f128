"""The assessment's use cases: runs made for a period, moved 草稿 → 自评 → 镇审核 → 公示 → 申诉处理 → 定档, manual
scores approved by someone else, appeals, 群众评议. Each guards the state and says clearly what is not allowed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from casework.models import Notification
from casework.notices import notify, township_people
from governance.models import Grid, HouseholdHead, User, Village
from households.models import Household

from .models import (
    MANAGERS,
    ZERO,
    Appeal,
    Evaluation,
    Item,
    ManualScore,
    Run,
    Scheme,
    SubjectKind,
    can_manage,
    period_bounds,
)
from .scoring import take_snapshot

S = Run.Status


def _require_manager(user: User, township_id: int) -> None:
    if not can_manage(user, township_id):
        raise PermissionDenied


def _require_status(run: Run, *statuses: str) -> None:
    if run.status not in statuses:
        raise ValidationError(_("This assessment is %(status)s: that step is not possible now.")
                              % {"status": run.get_status_display()})


def _subjects(scheme: Scheme) -> list[dict]:
    """Every subject of the scheme's kind in its township, as the run's fields."""
    township = scheme.township_id
    kind = scheme.subject_kind
    if kind == SubjectKind.HEAD:
        heads = HouseholdHead.objects.active().filter(grid__village__township=township).select_related("grid")
        return [{"head": h, "grid": h.grid, "village_id": h.grid.village_id, "subject_name": h.name,
                 "subject_key": f"head:{h.pk}"} for h in heads]
    if kind == SubjectKind.GRID_WORKER:
        workers = User.objects.filter(role=User.Role.GRID_WORKER, township=township, is_active=True)
        rows = []
        for w in workers.prefetch_related("grids"):
            grids = sorted(w.grids.all(), key=lambda g: g.pk)
            rows.append({"worker": w, "village_id": grids[0].village_id if grids else None,
                         "grid": grids[0] if len(grids) == 1 else None, "subject_name": str(w),
                         "subject_key": f"worker:{w.pk}"})
        return rows
    if kind == SubjectKind.VILLAGE:
        return [{"village_id": v.pk, "subject_name": v.name, "subject_key": f"village:{v.pk}"}
                for v in Village.objects.filter(township=township)]
    if kind == SubjectKind.GRID:
        grids = Grid.objects.active().filter(village__township=township).select_related("village")
        return [{"grid": g, "village_id": g.village_id, "subject_name": f"{g.village.name}{g.name}",
                 "subject_key": f"grid:{g.pk}"} for g in grids]
    households = Household.objects.filter(grid__village__township=township).select_related("grid")
    return [{"household": h, "grid": h.grid, "village_id": h.grid.village_id,
             "subject_name": f"{h.head_name}（{h.house_number or h.address}）", "subject_key": f"household:{h.pk}"}
            for h in households]


@transaction.atomic
def runs_create(*, scheme: Scheme, day: dt.date, by: User) -> list[Run]:
    """One run per subject for the period holding ``day`` (those already made are left as they are), each with its
    computed values snapshotted."""
    _require_manager(by, scheme.township_id)
    if not scheme.is_approved:
        raise ValidationError(_("The scheme must be approved before assessments are made with it."))
    start, end = period_bounds(scheme.period, day)
    if not scheme.in_force_on(start):
        raise ValidationError(_("The scheme is not in force for this period."))
    if start > timezone.localdate():
        raise ValidationError(_("This period has not begun yet."))
    existing = set(Run.objects.filter(scheme=scheme, period_start=start).values_list("subject_key", flat=True))
    made = []
    for fields in _subjects(scheme):
        if fields["subject_key"] in existing:
            continue
        run = Run.objects.create(scheme=scheme, township_id=scheme.township_id, period_start=start, period_end=end,
                                 created_by=by, **fields)
        take_snapshot(run)
        made.append(run)
    return made


@transaction.atomic
def run_recompute(*, run: Run, by: User) -> None:
    """Measure again (while a draft or in self-assessment): after that, the values are kept as they are."""
    _require_manager(by, run.township_id)
    _require_status(run, S.DRAFT, S.SELF)
    take_snapshot(run)


@transaction.atomic
def run_open_self_assessment(*, run: Run, by: User) -> None:
    _require_manager(by, run.township_id)
    _require_status(run, S.DRAFT)
    run.status, run.submitted_by = S.SELF, by
    run.save(update_fields=["status", "submitted_by", "updated_at"])
    _tell_subject(run, key="self", subject=_lazy("Your assessment awaits your self-assessment: %(run)s"))


@transaction.atomic
def run_self_assess(*, run: Run, by: User, score: Decimal, note: str) -> None:
    """自评: the subject gives their own score and a note; the run goes to the township's review."""
    if not run.is_subject(by):
        raise PermissionDenied
    _require_status(run, S.SELF)
    if score < 0 or score > run.scheme.full_score:
        raise ValidationError(_("The self-assessed score must be between 0 and %(full)s.")
                              % {"full": run.scheme.full_score})
    run.self_score, run.self_note, run.status = score, note.strip(), S.REVIEW
    run.save(update_fields=["self_score", "self_note", "status", "updated_at"])


@transaction.atomic
def run_submit(*, run: Run, by: User) -> None:
    """草稿 → 镇审核, without self-assessment."""
    _require_manager(by, run.township_id)
    _require_status(run, S.DRAFT)
    run.status, run.submitted_by = S.REVIEW, by
    run.save(update_fields=["status", "submitted_by", "updated_at"])


def _grade(run: Run) -> None:
    run.score = run.total()
    run.stars = run.scheme.stars_for(run.score)
    run.grade = run.scheme.grade_for(run.score)


@transaction.atomic
def run_approve(*, run: Run, by: User) -> None:
    """镇审核通过 → 公示 for the scheme's days: the score, stars and grade are set now, from the snapshot."""
    _require_manager(by, run.township_id)
    _require_status(run, S.REVIEW)
    if by.pk == run.submitted_by_id:
        raise ValidationError(_("The review is done by someone other than who submitted the assessment."))
    if run.manual_scores.filter(approved_by__isnull=True).exists():
        raise ValidationError(_("Some manual scores still await approval."))
    _grade(run)
    today = timezone.localdate()
    run.status, run.reviewed_by = S.PUBLICITY, by
    run.publicity_from, run.publicity_to = today, today + dt.timedelta(days=run.scheme.publicity_days)
    run.save(update_fields=["score", "stars", "grade", "status", "reviewed_by", "publicity_from", "publicity_to",
                            "updated_at"])
    _tell_subject(run, key="publicity", subject=_lazy("Your assessment is in publicity: %(run)s"))


@transaction.atomic
def run_send_back(*, run: Run, by: User) -> None:
    _require_manager(by, run.township_id)
    _require_status(run, S.REVIEW)
    run.status = S.DRAFT
    run.save(update_fields=["status", "updated_at"])


@transaction.atomic
def appeal_file(*, run: Run, by: User, text: str, today: dt.date | None = None) -> Appeal:
    """申诉: by the subject, while in publicity (or while earlier appeals are handled, up to the end of publicity).
    `today` is the demo's own day when it loads a past quarter; people file on the real one."""
    if not run.is_subject(by):
        raise PermissionDenied
    _require_status(run, S.PUBLICITY, S.APPEAL)
    if run.publicity_to and (today or timezone.localdate()) > run.publicity_to:
        raise ValidationError(_("The publicity ended on %(day)s: appeals are no longer taken.")
                              % {"day": run.publicity_to.isoformat()})
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Say what the appeal is about."))
    appeal = Appeal.objects.create(run=run, text=text, filed_by=by)
    run.status = S.APPEAL
    run.save(update_fields=["status", "updated_at"])
    with translation.override(settings.LANGUAGE_CODE):
        notify(township_people(run.township_id, *MANAGERS), kind=Notification.Kind.CASE_NEWS,
               key=f"assessment-appeal:{appeal.pk}", subject=_("Appeal against an assessment: %(run)s") % {"run": run},
               detail=text[:300], url=run.get_absolute_url(), actor=by)
    return appeal


@transaction.atomic
def appeal_answer(*, appeal: Appeal, by: User, answer: str, item: Item | None = None,
                  adjustment: Decimal | None = None) -> None:
    """申诉处理: answered in writing; an upheld appeal may correct one item's points within what the item allows.
    The published score stays as published; the grade (定档) counts the correction."""
    run = appeal.run
    _require_manager(by, run.township_id)
    if appeal.answered_on:
        raise ValidationError(_("This appeal has already been answered."))
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError(_("Write the answer to the appeal."))
    if adjustment is not None:
        if item is None or item.scheme_id != run.scheme_id:
            raise ValidationError(_("Choose an item of this scheme to correct."))
        line = next(line for line in run.lines() if line["item"].pk == item.pk)
        low, high = (-item.max_points, ZERO) if item.is_deduction else (ZERO, item.max_points)
        if not low <= line["points"] + adjustment <= high:
            raise ValidationError(_("The item would end at %(points)s points: it allows %(low)s to %(high)s.")
                                  % {"points": line["points"] + adjustment, "low": low, "high": high})
    appeal.answer, appeal.answered_by, appeal.answered_on = answer, by, timezone.localdate()
    appeal.item, appeal.adjustment = (item, adjustment) if adjustment is not None else (None, None)
    appeal.save(update_fields=["answer", "answered_by", "answered_on", "item", "adjustment", "updated_at"])
    _tell_subject(run, key=f"appeal-answer:{appeal.pk}", subject=_lazy("Your appeal has been answered: %(run)s"))


def renewal_hint(run: Run) -> str:
    """Two 不合格 in a row → do not renew; one → talk and watch; otherwise renew."""
    if run.grade != Run.Grade.FAIL:
        return Run.Renewal.RENEW
    before = (Run.objects.filter(subject_key=run.subject_key, scheme__subject_kind=run.scheme.subject_kind,
                                 status=S.FINAL, period_start__lt=run.period_start)
              .order_by("-period_start").values_list("grade", flat=True).first())
    return Run.Renewal.NOT_RENEW if before == Run.Grade.FAIL else Run.Renewal.WATCH


@transaction.atomic
def run_finalise(*, run: Run, by: User, allowance: Decimal | None = None) -> None:
    """定档: after the publicity has ended and every appeal is answered. The score is the one published (the
    snapshot does not move); stars, grade, the allowance and the 续聘 hint are set."""
    _require_manager(by, run.township_id)
    _require_status(run, S.PUBLICITY, S.APPEAL)
    if run.publicity_to and timezone.localdate() <= run.publicity_to:
        raise ValidationError(_("The publicity runs until %(day)s: grade after it ends.")
                              % {"day": run.publicity_to.isoformat()})
    if run.appeals.filter(answered_on__isnull=True).exists():
        raise ValidationError(_("Answer every appeal before grading."))
    if allowance is not None and allowance < 0:
        raise ValidationError(_("The allowance cannot be negative."))
    _grade(run)
    run.allowance, run.renewal = allowance, renewal_hint(run)
    run.status, run.finalised_by, run.finalised_on = S.FINAL, by, timezone.localdate()
    run.save(update_fields=["score", "stars", "grade", "allowance", "renewal", "status", "finalised_by",
                            "finalised_on", "updated_at"])
    _tell_subject(run, key="final", subject=_lazy("Your assessment is graded: %(run)s"))


# --- Manual items ---------------------------------------------------------------------------------------------


@transaction.atomic
def manual_enter(*, run: Run, item: Item, by: User, points: Decimal, evidence: str) -> ManualScore:
    _require_manager(by, run.township_id)
    _require_status(run, S.DRAFT, S.SELF, S.REVIEW)
    if item.scheme_id != run.scheme_id or item.kind != Item.Kind.MANUAL:
        raise ValidationError(_("Choose a manual item of this scheme."))
    if item.duty == Item.Duty.DISCIPLINE:
        low, high = -item.max_points, Decimal("0")
    else:
        low, high = Decimal("0"), item.max_points
    if not low <= points <= high:
        raise ValidationError(_("The points of this item must be between %(low)s and %(high)s.")
                              % {"low": low, "high": high})
    evidence = (evidence or "").strip()
    if not evidence:
        raise ValidationError(_("A manual score needs its evidence."))
    entry, _made = ManualScore.objects.update_or_create(
        run=run, item=item,
        defaults={"points": points, "evidence": evidence, "entered_by": by, "approved_by": None, "approved_at": None})
    return entry


@transaction.atomic
def manual_approve(*, entry: ManualScore, by: User) -> None:
    _require_manager(by, entry.run.township_id)
    _require_status(entry.run, S.DRAFT, S.SELF, S.REVIEW)
    if by.pk == entry.entered_by_id:
        raise ValidationError(_("A manual score is approved by someone other than who entered it."))
    entry.approved_by, entry.approved_at = by, timezone.now()
    entry.save(update_fields=["approved_by", "approved_at", "updated_at"])


# --- 群众评议 ------------------------------------------------------------------------------------------------


def evaluation_refusal(*, by: User, head: HouseholdHead | None, worker: User | None) -> str:
    """Why ``by`` may not record this evaluation, or "" when they may."""
    if head is not None and by.household_head_id == head.pk:
        return _("You cannot record an evaluation of yourself: the survey is recorded by township staff.")
    if worker is not None and worker.pk == by.pk:
        return _("You cannot record an evaluation of yourself: the survey is recorded by township staff.")
    return ""


@transaction.atomic
def evaluation_record(*, by: User, household: Household, result: str, way: str, reason: str = "",
                      on: dt.date | None = None, worker: User | None = None) -> Evaluation:
    """A sampled household's answer about its 联户长 (the household's own) or a grid worker."""
    township = household.grid.village.township_id
    _require_manager(by, township)
    head = household.household_head
    if worker is None and head is None:
        raise ValidationError(_("This household has no linked household head to evaluate."))
    refusal = evaluation_refusal(by=by, head=head if worker is None else None, worker=worker)
    if refusal:
        raise ValidationError(refusal)
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError(_("The survey date cannot be in the future."))
    return Evaluation.objects.create(
        township_id=township, head=head if worker is None else None, worker=worker, household=household,
        result=result, way=way, reason=(reason or "").strip(), on=on, recorded_by=by)


# --- Notices ----------------------------------------------------------------------------------------------------


def subject_users(run: Run) -> list[User]:
    if run.head_id:
        return list(User.objects.filter(household_head=run.head_id, is_active=True))
    if run.worker_id:
        return [run.worker]
    return []


def _tell_subject(run: Run, *, key: str, subject) -> int:
    with translation.override(settings.LANGUAGE_CODE):
        return notify(subject_users(run), kind=Notification.Kind.CASE_NEWS, key=f"assessment:{run.pk}:{key}",
                      subject=str(subject) % {"run": run}, url=run.get_absolute_url())
