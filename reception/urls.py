from django.urls import path

from . import views

app_name = "reception"

urlpatterns = [
    path("", views.rota, name="rota"),
    path("notice/", views.notice, name="notice"),
    path("session/<int:pk>/", views.session_detail, name="session-detail"),
    path("session/<int:pk>/check-in/", views.check_in, name="check-in"),
    path("session/<int:pk>/swap/", views.swap, name="swap"),
    path("session/<int:pk>/walk-in/", views.walk_in_add, name="walk-in-add"),
    path("register/", views.register, name="register"),
    path("cards/", views.cards, name="cards"),
    path("ledger/", views.ledger, name="ledger"),
    path("walk-in/<int:pk>/outcome/", views.outcome, name="outcome"),
]
