from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from core import pwa
from governance import sso as governance_sso
from governance import views as governance_views
from reception import views as reception_views

urlpatterns = [
    path("", governance_views.home, name="home"),
    path("healthz", governance_views.healthz, name="healthz"),
    # The installable web app: the worker at the root, so that its scope covers every page (core/pwa.py).
    path("sw.js", pwa.service_worker, name="pwa-worker"),
    path("manifest.webmanifest", pwa.manifest, name="pwa-manifest"),
    path("accounts/login/", governance_sso.LoginView.as_view(), name="login"),
    # Sign-in from inside WeCom / DingTalk (OAuth code flow, governance/sso.py); 404 unless configured.
    path("accounts/sso/<str:provider>/", governance_sso.sso_start, name="sso-start"),
    path("accounts/sso/<str:provider>/callback/", governance_sso.sso_callback, name="sso-callback"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", governance_views.OwnPasswordChangeView.as_view(), name="password-change"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("org/", include("governance.urls")),
    path("households/", include("households.urls")),
    path("disputes/", include("disputes.urls")),
    path("hazards/", include("hazards.urls")),
    path("petitions/", include("petitions.urls")),
    path("monitoring/", include("monitoring.urls")),
    path("rounds/", include("casework.rounds_urls")),
    path("dashboards/", include("dashboards.urls")),
    path("reports/", include("reports.urls")),
    path("standards/", include("standards.urls")),
    path("inbox/", include("casework.urls")),
    path("reception/", include("reception.urls")),
    path("api/", include("api.urls")),
    path("outreach/", include("outreach.urls")),
    path("honours/", include("honours.urls")),
    path("assessment/", include("assessment.urls")),
    # The published rota of a township (接访领导的名单、职务和接待的时间、地点要公布): no login, names, posts,
    # times and places only. Outside the reception namespace: it is public, not scoped.
    path("rota/<str:code>/", reception_views.public, name="reception-public"),
]

# Under /api/ errors are JSON, never a page (api/errors.py).
handler404 = "api.errors.handler404"
handler500 = "api.errors.handler500"

# No media URL, not even with DEBUG (`make run`): every upload is a visit photo or a roster, under
# PRIVATE_MEDIA_ROOT, served only by the scoped views (households:visit-photo).
