from django.urls import path

from . import papers, views

app_name = "petitions"

urlpatterns = [
    path("", views.PetitionListView.as_view(), name="list"),
    path("new/", views.create, name="create"),
    path("new/repeat-check/", views.repeat_check, name="repeat-check"),
    path("export/", views.export, name="export"),
    path("figures/", views.figures_page, name="figures"),
    path("household/<int:pk>/", views.household_panel, name="household-panel"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/decline/", views.decline, name="decline"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/supervise/", views.supervise, name="supervise"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/reply/", views.reply, name="reply"),
    path("<int:pk>/satisfaction/", views.satisfaction, name="satisfaction"),
    path("<int:pk>/extend/", views.extend, name="extend"),
    path("<int:pk>/close-out/", views.closeout_request, name="closeout-request"),
    path("<int:pk>/close-out/decide/", views.closeout_decide, name="closeout-decide"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/correct/", views.correct, name="correct"),
    *[path(f"<int:pk>/notice/{key}/", views.notice_view(key), name=f"notice-{key}") for key in papers.NOTICES],
]
