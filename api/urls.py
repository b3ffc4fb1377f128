from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from . import token_views, views

app_name = "api"

router = SimpleRouter(use_regex_path=False)
router.register("townships", views.TownshipViewSet, basename="township")
router.register("villages", views.VillageViewSet, basename="village")
router.register("grids", views.GridViewSet, basename="grid")
router.register("heads", views.HeadViewSet, basename="head")
router.register("households", views.HouseholdViewSet, basename="household")
router.register("residents", views.ResidentViewSet, basename="resident")
router.register("visits", views.VisitViewSet, basename="visit")
router.register("demands", views.DemandViewSet, basename="demand")
router.register("disputes", views.DisputeViewSet, basename="dispute")
router.register("petitions", views.PetitionViewSet, basename="petition")
router.register("assignments", views.AssignmentViewSet, basename="assignment")
router.register("hazards", views.HazardViewSet, basename="hazard")
router.register("monitoring-cases", views.MonitoringCaseViewSet, basename="monitoring-case")

urlpatterns = [
    # The schema and its pages are public (they describe, they hold no data): Swagger UI and Redoc from our own static
    # files (drf-spectacular-sidecar), the page's script in a file of its own (our Content-Security-Policy).
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    path("docs/", login_not_required(SpectacularSwaggerSplitView.as_view(url_name="api:schema")), name="docs"),
    path("redoc/", login_not_required(SpectacularRedocView.as_view(url_name="api:schema")), name="redoc"),
    path("tokens/", token_views.token_list, name="token-list"),
    path("tokens/new/", token_views.token_create, name="token-create"),
    path("tokens/<int:pk>/revoke/", token_views.token_revoke, name="token-revoke"),
    path("v1/", include(router.urls)),
]
