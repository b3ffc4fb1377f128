from django.urls import path

from . import views

app_name = "outreach"

urlpatterns = [
    path("", views.reach, name="reach"),
    path("reach/households/", views.reach_households, name="reach-households"),
    path("events/", views.EventListView.as_view(), name="event-list"),
    path("events/new/", views.event_create, name="event-create"),
    path("events/<int:pk>/", views.event_detail, name="event-detail"),
    path("events/<int:pk>/photo/<int:photo_pk>/", views.event_photo, name="event-photo"),
    path("training/", views.TrainingListView.as_view(), name="training-list"),
    path("training/new/", views.training_create, name="training-create"),
    path("training/<int:pk>/", views.training_detail, name="training-detail"),
    path("training/<int:pk>/attendance/", views.training_attendance, name="training-attendance"),
]
