from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from . import health


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "governance/home.html")


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    results = {name: check() for name, check in health.CHECKS.items()}
    body = {name: {"ok": ok, "detail": detail} for name, (ok, detail) in results.items()}
    healthy = all(ok for ok, _ in results.values())
    body["status"] = "ok" if healthy else "fail"
    return JsonResponse(body, status=200 if healthy else 503, json_dumps_params={"ensure_ascii": False})
