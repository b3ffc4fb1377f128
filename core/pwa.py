"""The installable web app: the manifest and the service worker (templates/core/sw.js), served from the site's root so
that the worker's scope covers every page. Both list our own static files by their served (hashed) names."""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

#: The app shell: what every phone page needs, cached when the worker is installed.
SHELL = (
    "vendor/bootstrap/bootstrap.used.min.css", "vendor/bootstrap/bootstrap.bundle.min.js", "vendor/htmx/htmx.min.js",
    "css/app.css", "js/prefs.js", "js/app.js", "js/offline.js", "js/households.js", "favicon.svg",
    "icons/icon-192.png", "icons/icon-512.png",
)
#: Bump when the worker's own logic changes; the shell's names change by themselves when a file does (hashed names).
WORKER_VERSION = "2"  # 2: the hazard report form is kept too


@login_not_required
@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    shell = [static(path) for path in SHELL]
    version = hashlib.sha1("|".join([WORKER_VERSION, *shell]).encode()).hexdigest()[:12]
    response = render(request, "core/sw.js", {"shell": json.dumps(shell), "version": version,
                                              "static_url": settings.STATIC_URL}, content_type="text/javascript")
    # The browser checks for a new worker on every visit: never from a cache.
    response["Cache-Control"] = "no-cache"
    return response


@login_not_required
@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    data = {
        "name": _("Lianhutong"), "short_name": _("Lianhutong"), "lang": request.LANGUAGE_CODE,
        "start_url": "/", "scope": "/", "display": "standalone",
        "background_color": "#ffffff", "theme_color": "#0d6efd",
        "icons": [{"src": static(f"icons/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png",
                   "purpose": "any maskable"} for size in (192, 512)],
    }
    response = HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/manifest+json")
    response["Cache-Control"] = "no-cache"
    return response
