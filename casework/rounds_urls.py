from django.urls import path

from . import rounds_views as views

app_name = "rounds"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_create, name="create"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/sheet.xlsx", views.campaign_sheet, name="sheet"),
    path("returns/<int:pk>/", views.return_form, name="return"),
]
