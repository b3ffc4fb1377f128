from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("", views.RunListView.as_view(), name="run-list"),
    path("new/", views.run_create, name="run-create"),
    path("run/<int:pk>/", views.run_detail, name="run-detail"),
    path("run/<int:pk>/paper/", views.run_paper, name="run-paper"),
    path("run/<int:pk>/recompute/", views.run_recompute, name="run-recompute"),
    path("run/<int:pk>/self-open/", views.run_self_open, name="run-self-open"),
    path("run/<int:pk>/self/", views.run_self_assess, name="run-self"),
    path("run/<int:pk>/submit/", views.run_submit, name="run-submit"),
    path("run/<int:pk>/approve/", views.run_approve, name="run-approve"),
    path("run/<int:pk>/send-back/", views.run_send_back, name="run-send-back"),
    path("run/<int:pk>/appeal/", views.run_appeal, name="run-appeal"),
    path("run/<int:pk>/finalise/", views.run_finalise, name="run-finalise"),
    path("run/<int:pk>/manual/", views.run_manual, name="run-manual"),
    path("manual/<int:pk>/approve/", views.manual_approve, name="manual-approve"),
    path("appeal/<int:pk>/answer/", views.appeal_answer, name="appeal-answer"),
    path("schemes/", views.SchemeListView.as_view(), name="scheme-list"),
    path("schemes/new/", views.scheme_create, name="scheme-create"),
    path("scheme/<int:pk>/", views.scheme_detail, name="scheme-detail"),
    path("scheme/<int:pk>/items/new/", views.item_create, name="item-create"),
    path("item/<int:pk>/edit/", views.item_edit, name="item-edit"),
    path("item/<int:pk>/delete/", views.item_delete, name="item-delete"),
    path("scheme/<int:pk>/approve/", views.scheme_approve, name="scheme-approve"),
    path("scheme/<int:pk>/notice/", views.scheme_notice, name="scheme-notice"),
    path("scheme/<int:pk>/summary.xlsx", views.scheme_summary, name="scheme-summary"),
    path("evaluations/", views.EvaluationListView.as_view(), name="evaluation-list"),
    path("evaluations/new/", views.evaluation_create, name="evaluation-create"),
]
