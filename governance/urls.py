from django.urls import path

from . import paper_views, views

app_name = "governance"

urlpatterns = [
    path("villages/", views.VillageListView.as_view(), name="village-list"),
    path("villages/new/", views.VillageCreateView.as_view(), name="village-create"),
    path("villages/<int:pk>/", views.VillageDetailView.as_view(), name="village-detail"),
    path("villages/<int:pk>/edit/", views.VillageUpdateView.as_view(), name="village-edit"),
    path("villages/<int:pk>/delete/", views.village_delete, name="village-delete"),
    path("grids/", views.GridListView.as_view(), name="grid-list"),
    path("grids/new/", views.GridCreateView.as_view(), name="grid-create"),
    path("grids/options/", views.grid_options, name="grid-options"),
    path("grids/<int:pk>/", views.GridDetailView.as_view(), name="grid-detail"),
    path("grids/<int:pk>/edit/", views.GridUpdateView.as_view(), name="grid-edit"),
    path("grids/<int:pk>/merge/", views.grid_merge, name="grid-merge"),
    path("grids/<int:pk>/delete/", views.grid_delete, name="grid-delete"),
    path("heads/", views.HeadListView.as_view(), name="head-list"),
    path("heads/new/", views.HeadAppointView.as_view(), name="head-appoint"),
    path("heads/<int:pk>/", views.HeadDetailView.as_view(), name="head-detail"),
    path("heads/roster/", paper_views.head_roster, name="head-roster"),
    path("heads/<int:pk>/certificate/", paper_views.head_certificate, name="head-certificate"),
    path("heads/<int:pk>/edit/", views.HeadUpdateView.as_view(), name="head-edit"),
    path("heads/<int:pk>/end-term/", views.head_end_term, name="head-end-term"),
    path("heads/<int:pk>/reappoint/", views.head_reappoint, name="head-reappoint"),
    path("heads/<int:pk>/move/", views.head_move, name="head-move"),
    path("users/", views.UserListView.as_view(), name="user-list"),
    path("users/new/", views.user_create, name="user-create"),
    path("users/<int:pk>/", views.UserDetailView.as_view(), name="user-detail"),
    path("users/<int:pk>/edit/", views.user_edit, name="user-edit"),
    path("users/<int:pk>/password/", views.user_password, name="user-password"),
    path("users/<int:pk>/deactivate/", views.user_deactivate, name="user-deactivate"),
    path("users/<int:pk>/activate/", views.user_activate, name="user-activate"),
    path("users/<int:pk>/unlock/", views.user_unlock, name="user-unlock"),
    path("calendar/", views.CalendarListView.as_view(), name="calendar"),
    path("calendar/new/", views.CalendarDayCreateView.as_view(), name="calendar-create"),
    path("calendar/<int:year>/official/", views.calendar_year, name="calendar-year"),
    path("calendar/<int:pk>/edit/", views.CalendarDayUpdateView.as_view(), name="calendar-edit"),
    path("calendar/<int:pk>/delete/", views.calendar_delete, name="calendar-delete"),
]
