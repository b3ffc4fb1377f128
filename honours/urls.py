from django.urls import path

from . import views

app_name = "honours"

urlpatterns = [
    path("", views.index, name="list"),
    path("rules/new/", views.definition_create, name="definition-create"),
    path("rules/<int:pk>/", views.definition_detail, name="definition-detail"),
    path("rules/<int:pk>/draft/", views.definition_draft, name="definition-draft"),
    path("lists/<int:pk>/", views.issue_detail, name="issue-detail"),
    path("lists/<int:pk>/reasons/", views.issue_reasons, name="issue-reasons"),
    path("lists/<int:pk>/decide/", views.issue_decide, name="issue-decide"),
    path("lists/<int:pk>/poster/", views.issue_poster, name="issue-poster"),
    path("follow-ups/<int:pk>/done/", views.follow_up_close, name="follow-up-close"),
    path("inspections/", views.InspectionListView.as_view(), name="inspection-list"),
    path("inspections/new/", views.inspection_create, name="inspection-create"),
]
