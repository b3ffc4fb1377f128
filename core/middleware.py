import time

from django.conf import settings
from django.contrib.auth import middleware as auth_middleware
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control

from core.addresses import own_page


class ContentSecurityPolicyMiddleware:
    """Only our own origin: township intranets have no internet, and nothing should load from elsewhere."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class DefaultChineseLocaleMiddleware(LocaleMiddleware):
    """Chinese unless the user chose English with the switch (a cookie). The browser's Accept-Language is
    not consulted: township computers often run English-language systems, and the product speaks Chinese."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class IdleSessionMiddleware:
    """Idle sessions end after SESSION_IDLE_MINUTES (SESSION_COOKIE_AGE). Activity renews the expiry, but at most
    once a minute: saving the session on every request (SESSION_SAVE_EVERY_REQUEST) wrote a row and committed on
    every page view. A session therefore ends between 29 and 30 minutes after the last page view.

    Whatever the activity, a session ends SESSION_MAX_HOURS after the login (a stolen or forgotten session does not
    live for ever): it is emptied before the user is read, so the login page follows."""

    RENEW_EVERY_SECONDS = 60
    KEY = "_renewed"
    STARTED = "_started"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        started = session.get(self.STARTED) if session is not None else None
        if started is not None and time.time() - started >= settings.SESSION_MAX_HOURS * 3600:
            session.flush()
        response = self.get_response(request)
        if session is not None and not session.is_empty():
            now = int(time.time())
            if now - session.get(self.KEY, 0) >= self.RENEW_EVERY_SECONDS:
                session[self.KEY] = now  # marks it modified: saved, with a new expiry and cookie
                session.setdefault(self.STARTED, now)  # sessions from before SESSION_MAX_HOURS: from now
        return response

    @classmethod
    def on_login(cls, sender, request, user, **kwargs):
        """A new session is saved at login anyway: it counts as renewed then, and its lifetime starts."""
        if getattr(request, "session", None) is not None:
            request.session[cls.KEY] = request.session[cls.STARTED] = int(time.time())


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    """Django's, but a part of a page asked for by htmx when nobody is logged in (the session has ended) is not
    redirected: htmx would follow to the login page, put it inside the page (the bell of the navigation bar) and the
    login page would set a new CSRF cookie under the page's feet. The whole page goes to the login page instead, and
    back to itself after the login."""

    def handle_no_permission(self, request, view_func):
        if not request.headers.get("HX-Request"):
            return super().handle_no_permission(request, view_func)
        back = own_page(request.headers.get("HX-Current-URL", ""), request) or "/"
        target = redirect_to_login(back, self.get_login_url(view_func), self.get_redirect_field_name(view_func))
        return HttpResponse(status=204, headers={"HX-Redirect": target["Location"]})


class NoStoreMiddleware:
    """Pages for a logged-in user carry personal data (names, ID numbers, petitions): no browser or proxy cache may
    keep them (Cache-Control: no-store), so that the back button of a shared township PC shows nothing after logout."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


class PasswordChangeRequiredMiddleware:
    """A user whose password someone else set (a new login, a reset: User.must_change_password) sees only the
    password page until they have chosen their own; they may still log out or switch the language."""

    OPEN_URL_NAMES = ("password-change", "logout", "set_language")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None and user.is_authenticated and user.must_change_password
            and request.path not in {reverse(name) for name in self.OPEN_URL_NAMES}
        ):
            target = reverse("password-change")
            if request.headers.get("HX-Request"):
                return HttpResponse(status=204, headers={"HX-Redirect": target})
            return redirect(target)
        return self.get_response(request)
