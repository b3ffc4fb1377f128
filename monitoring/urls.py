from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("", views.MonitoringListView.as_view(), name="list"),
    path("new/", views.create, name="create"),
    path("ledger/", views.ledger, name="ledger"),
    path("publicity/", views.publicity_list, name="publicity"),
    path("cards/", views.cards, name="cards"),
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
