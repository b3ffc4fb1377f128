"""接口令牌: the page where staff make and revoke API tokens (docs/api.md). A new token is shown once."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.scoping import scoped_object

from . import services
from .forms import TokenForm
from .models import ApiToken


@require_GET
def token_list(request: HttpRequest) -> HttpResponse:
    tokens = ApiToken.objects.visible_to(request.user).select_related("user", "township", "county", "created_by")
    return render(request, "api/token_list.html", {
        "tokens": tokens, "can_create": services.may_manage_tokens(request.user),
        "can_revoke": {t.pk for t in tokens if t.is_active and services.may_revoke(request.user, t)},
    })


@require_http_methods(["GET", "POST"])
def token_create(request: HttpRequest) -> HttpResponse:
    if not services.may_manage_tokens(request.user):
        raise PermissionDenied
    form = TokenForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = services.token_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            # Shown this once: the database keeps its hash only.
            return render(request, "api/token_created.html", {"token": token, "raw": raw})
    return render(request, "api/token_form.html", {"form": form})


@require_POST
@scoped_object(ApiToken.objects.all(), methods=("POST",),
               permission=lambda token, user: services.may_revoke(user, token))
def token_revoke(request: HttpRequest, token: ApiToken) -> HttpResponse:
    services.token_revoke(by=request.user, token=token)
    messages.success(request, _("The token was revoked: it no longer works."))
    return redirect("api:token-list")
