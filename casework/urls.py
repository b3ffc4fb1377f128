from django.urls import path

from . import checklist, views

app_name = "inbox"

urlpatterns = [
    path("", views.inbox_list, name="list"),
    path("approvals/", views.approvals, name="approvals"),
    path("badge/", views.inbox_badge, name="badge"),
    path("read-all/", views.inbox_read_all, name="read-all"),
    path("preferences/", views.preferences, name="preferences"),
    path("<int:pk>/", views.inbox_open, name="open"),
    path("<int:pk>/read/", views.inbox_read, name="read"),
    path("deliveries/<int:pk>/retry/", views.retry_delivery, name="retry"),
    path("assignments/<int:pk>/supervision-notice/", views.supervision_notice, name="supervision-notice"),
    path("assignments/<int:pk>/checklist/", checklist.checklist_update, name="checklist"),
]
