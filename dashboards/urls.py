from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.home, name="home"),
    path("county/", views.county, name="county"),
    path("assignments/", views.AssignmentListView.as_view(), name="assignments"),
]
