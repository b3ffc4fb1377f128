from django.urls import path

from . import views

app_name = "disputes"

urlpatterns = [
    path("", views.DisputeListView.as_view(), name="list"),
    path("new/", views.create, name="create"),
    path("ledger/", views.export, name="export"),
    path("figures/", views.figures_page, name="figures"),
    path("grid-options/", views.grid_options, name="grid-options"),
    path("resident-search/", views.resident_search, name="resident-search"),
    path("household/<int:pk>/", views.household_panel, name="household-panel"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.update, name="update"),
    path("<int:pk>/parties/add/", views.party_add, name="party-add"),
    path("parties/<int:pk>/remove/", views.party_remove, name="party-remove"),
    path("<int:pk>/agreement/", views.agreement_print, name="agreement-print"),
    path("<int:pk>/mediation-record/", views.mediation_record, name="mediation-record"),
    path("<int:pk>/follow-up-record/", views.follow_up_record, name="follow-up-record"),
    path("<int:pk>/assignment/", views.assignment, name="assignment"),
    path("<int:pk>/supervise/", views.supervise, name="supervise"),
    path("<int:pk>/closeout-decide/", views.closeout_decide, name="closeout-decide"),
    *[path(f"<int:pk>/{a.name}/", views.action_view(a), name=a.name) for a in views.ACTIONS],
]
