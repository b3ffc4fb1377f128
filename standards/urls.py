from django.urls import path

from . import views

app_name = "standards"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:township>/", views.township_page, name="township"),
    path("<int:township>/export/", views.export, name="export"),
    path("<int:township>/export-full/", views.export_full, name="export-full"),
]
