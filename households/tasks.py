"""Roster imports too large to check or write within a request. Each task takes ids and calls imports.py."""

from __future__ import annotations

import contextlib

from celery import shared_task
from django.db import transaction
from django.utils.translation import gettext as _

from governance.models import User

from . import imports
from .models import RosterImport


@shared_task
def validate_import(pk: int, user_id: int) -> None:
    roster_import = RosterImport.objects.filter(pk=pk, status=RosterImport.Status.VALIDATING).first()
    # Delivered twice: the first run deleted the file after reading it, so the second does nothing.
    if roster_import is None or not roster_import.file:
        return
    try:
        imports.prepare(roster_import, User.objects.get(pk=user_id))
    except Exception:
        # A file the readers cannot parse ends in prepare(); anything else is a bug of ours. It is raised to be
        # logged, and the import says so rather than show 「校验中」 for ever.
        RosterImport.objects.filter(pk=pk, status=RosterImport.Status.VALIDATING).update(
            status=RosterImport.Status.FAILED, error=_("The check stopped on an unexpected error. Upload the file again; "
                                                       "if it happens again, tell the administrator."))
        raise


@shared_task
def commit_import(pk: int, user_id: int, only_valid: bool) -> None:
    # The row lock is held until the import is written: a second delivery waits, then finds it done.
    try:
        with transaction.atomic():
            roster_import = RosterImport.objects.select_for_update().filter(
                pk=pk, status=RosterImport.Status.COMMITTING).first()
            if roster_import is None:
                return
            with contextlib.suppress(imports.CommitRefused):
                imports.commit(roster_import, User.objects.get(pk=user_id), only_valid=only_valid)
    except Exception:
        # Nothing was written (one transaction). The import goes back to its preview, saying so, to be tried again,
        # rather than show 「导入中」 for ever; the error is raised to be logged.
        RosterImport.objects.filter(pk=pk, status=RosterImport.Status.COMMITTING).update(
            status=RosterImport.Status.READY,
            error=_("The import stopped on an unexpected error and wrote nothing. Try again; if it happens again, "
                    "tell the administrator."))
        raise
