"""Records sent from the phone's queue (static/js/offline.js): visits, demands and hazard reports. Each carries the
phone's own id (a UUID), the server takes each id once, and the queue reads a JSON answer — created (also for an id
already taken by this user, so a send repeated after a lost answer points to the same record) or refused with the
form's own messages."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.db import models
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

#: The queue's sends say so in this header and read JSON back; the form in a browser without JavaScript is unchanged.
QUEUE_HEADER = "X-Lht-Queue"


def from_queue(request: HttpRequest) -> bool:
    return request.headers.get(QUEUE_HEADER) == "1"


def client_id_of(request: HttpRequest) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get("client_id", ""))
    except ValueError:
        return None


def taken(model: type[models.Model], client_id: uuid.UUID | None, *, by_field: str, user) -> models.Model | None:
    """The row already made with ``client_id``, when it was this user's; None when the id is new. An id someone
    else's row holds is refused (a phone makes its ids at random: that is no honest send)."""
    if client_id is None:
        return None
    row = model.objects.filter(client_id=client_id).first()
    if row is not None and getattr(row, by_field) != user.pk:
        raise TakenByAnother
    return row


class TakenByAnother(Exception):
    pass


def created(url: str, *, pk: int) -> JsonResponse:
    return JsonResponse({"ok": True, "id": pk, "url": url}, status=201)


def refused(*forms, message: str = "", status: int = 400) -> JsonResponse:
    """The forms' messages as one sentence (shown on the phone beside the queued item) and by field."""
    errors: dict[str, list[str]] = {}
    for form in forms:
        for name, errs in form.errors.items():
            errors.setdefault(name, []).extend(str(e) for e in errs)
    text = message or " ".join(dict.fromkeys(e for errs in errors.values() for e in errs))
    return JsonResponse({"ok": False, "message": text or _("The server refused this record."), "errors": errors},
                        status=status)


def another_users_id() -> JsonResponse:
    return refused(message=_("This record was already sent from another account."), status=409)


class Send:
    """One request to a form the queue may send (visit, demand, hazard report): its client id, whether the queue sent
    it, and the answers — the row already made with this id (a repeat after a lost answer, or two sends at once whose
    other one saved first), created or redirected to; refused as JSON for the queue."""

    def __init__(self, request: HttpRequest, model: type[models.Model], *, by_field: str,
                 url: Callable[[models.Model], str] | None = None):
        self.request, self.model, self.by_field = request, model, by_field
        self.url = url or (lambda row: row.get_absolute_url())
        self.queued = from_queue(request)
        self.client_id = client_id_of(request) if request.method == "POST" else None

    def earlier(self) -> HttpResponse | None:
        """The answer for a row this user already made with the id (409 for another user's); None for a new id."""
        try:
            row = taken(self.model, self.client_id, by_field=self.by_field, user=self.request.user)
        except TakenByAnother:
            return another_users_id()
        return None if row is None else self.made(row)

    def made(self, row: models.Model) -> HttpResponse:
        url = self.url(row)
        return created(url, pk=row.pk) if self.queued else redirect(url)
