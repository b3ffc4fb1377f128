from django.urls import path

from . import demand_views, views, visit_views

app_name = "households"

urlpatterns = [
    path("", views.HouseholdListView.as_view(), name="list"),
    path("new/", views.household_create, name="create"),
    path("<int:pk>/", views.household_detail, name="detail"),
    path("<int:pk>/edit/", views.household_update, name="update"),
    path("<int:pk>/card/", views.household_card, name="card"),
    path("<int:pk>/residents/new/", views.resident_create, name="resident-create"),
    path("residents/", views.ResidentListView.as_view(), name="resident-list"),
    path("residents/full-export/", views.ResidentFullExportView.as_view(), name="resident-export-full"),
    path("residents/<int:pk>/", views.resident_detail, name="resident-detail"),
    path("residents/<int:pk>/edit/", views.resident_update, name="resident-update"),
    path("residents/<int:pk>/reveal/", views.resident_reveal, name="resident-reveal"),
    path("reveal-log/", views.RevealLogView.as_view(), name="reveal-log"),
    path("linking/", views.linking_overview, name="linking"),
    path("linking/<int:pk>/", views.linking_grid, name="linking-grid"),
    path("import/", views.import_upload, name="import"),
    path("import/template/", views.import_template, name="import-template"),
    path("import/<int:pk>/", views.import_preview, name="import-preview"),
    path("import/<int:pk>/progress/", views.import_progress, name="import-progress"),
    path("import/<int:pk>/commit/", views.import_commit, name="import-commit"),
    path("visits/", visit_views.VisitListView.as_view(), name="visit-list"),
    path("visits/new/", visit_views.visit_create, name="visit-create"),
    path("visits/households/", visit_views.visit_household_search, name="visit-household-search"),
    path("visits/<int:pk>/", visit_views.visit_detail, name="visit-detail"),
    path("visits/<int:pk>/comment/", visit_views.visit_comment, name="visit-comment"),
    path("visits/<int:pk>/demand/", visit_views.demand_create, name="demand-create"),
    path("visits/<int:visit_pk>/photos/<int:pk>/", visit_views.visit_photo, name="visit-photo"),
    path("demands/", visit_views.DemandListView.as_view(), name="demand-list"),
    path("demands/<int:pk>/status/", visit_views.demand_status, name="demand-status"),
    path("demands/new/", demand_views.demand_log, name="demand-log"),
    path("demands/figures/", demand_views.demand_figures, name="demand-figures"),
    path("demands/<int:pk>/", demand_views.demand_detail, name="demand-detail"),
    *[path(f"demands/<int:pk>/{a.name}/", demand_views.action_view(a), name=f"demand-{a.name}")
      for a in demand_views.ACTIONS],
    path("coverage/", visit_views.coverage, name="coverage"),
    path("coverage/not-visited/", visit_views.NotVisitedListView.as_view(), name="not-visited"),
    path("coverage/past-cadence/", visit_views.PastCadenceListView.as_view(), name="past-cadence"),
]
