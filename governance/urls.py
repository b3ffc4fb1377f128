from django.urls import path

from . import views

app_name = "governance"

urlpatterns: list = []
