import time

from django.conf import settings
from django.http import HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation


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
    every page view. A session therefore ends between 29 and 30 minutes after the last page view."""

    RENEW_EVERY_SECONDS = 60
    KEY = "_renewed"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            now = int(time.time())
            if now - session.get(self.KEY, 0) >= self.RENEW_EVERY_SECONDS:
                session[self.KEY] = now  # marks it modified: saved, with a new expiry and cookie
        return response

    @classmethod
    def on_login(cls, sender, request, user, **kwargs):
        """A new session is saved at login anyway: it counts as renewed then."""
        if getattr(request, "session", None) is not None:
            request.session[cls.KEY] = int(time.time())


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
