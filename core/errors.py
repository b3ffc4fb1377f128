"""The page a person sees when a form can no longer be sent (Django's CSRF check refused it): a login or logout in
another tab, or a page left open across one, changed the browser's CSRF cookie under the form. Django's own page
speaks of cookies and CSRF; this one says what happened and how to go on, in the site's frame."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.addresses import own_page


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    # The page the form was on, opened again, has a token that matches (the login page keeps its ?next=); a form
    # that posts to an address of its own (log out, mark as read) is not opened there, its page is.
    again = own_page(request.headers.get("Referer", ""), request) or request.get_full_path()
    return render(request, "403_csrf.html", {"again": again}, status=403)
