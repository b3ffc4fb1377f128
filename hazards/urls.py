from django.urls import path

from . import views

app_name = "hazards"

urlpatterns = [
    path("", views.HazardListView.as_view(), name="list"),
    path("new/", views.create, name="create"),
    path("ledger/", views.export, name="export"),
    path("supervision-sheet/", views.supervision_sheet, name="supervision-sheet"),
    path("figures/", views.figures_page, name="figures"),
    path("grid-options/", views.grid_options, name="grid-options"),
    path("household-options/", views.household_options, name="household-options"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/notice/", views.notice, name="notice"),
    path("<int:pk>/photos/<int:photo_pk>/", views.photo, name="photo"),
    path("<int:pk>/plan/", views.plan, name="plan"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    *[path(f"<int:pk>/{a.name}/", views.action_view(a), name=a.name) for a in views.ACTIONS],
]
