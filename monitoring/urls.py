from django.urls import path

from . import alert_views, views

app_name = "monitoring"

urlpatterns = [
    path("", views.MonitoringListView.as_view(), name="list"),
    path("new/", views.create, name="create"),
    path("ledger/", views.ledger, name="ledger"),
    path("publicity/", views.publicity_list, name="publicity"),
    path("cards/", views.cards, name="cards"),
    path("measures/", views.MeasureListView.as_view(), name="measures"),
    path("alerts/", alert_views.alert_upload, name="alert-upload"),
    path("alerts/template/", alert_views.alert_template, name="alert-template"),
    path("alerts/<int:pk>/", alert_views.alert_detail, name="alert-detail"),
    path("alerts/<int:pk>/import/", alert_views.alert_commit, name="alert-commit"),
    path("household/<int:pk>/", views.household_panel, name="household-panel"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.update, name="update"),
    path("<int:pk>/reveal/", views.reveal, name="reveal"),
    path("<int:pk>/plan/", views.plan_print, name="plan-print"),
    path("<int:pk>/measures/add/", views.measure_add, name="measure-add"),
    path("measures/<int:pk>/done/", views.measure_done, name="measure-done"),
    path("<int:pk>/checks/add/", views.check_add, name="check-add"),
    *[path(f"<int:pk>/{a.name}/", views.action_view(a), name=a.name) for a in views.ACTIONS],
]
