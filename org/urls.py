"""URLs of the registry pages."""

from django.urls import path

from org import views

app_name = "org"

urlpatterns = [
    path("units/", views.UnitListView.as_view(), name="units"),
    path("units/new/", views.UnitCreateView.as_view(), name="unit_create"),
    path("units/<int:pk>/", views.UnitDetailView.as_view(), name="unit"),
    path("units/<int:pk>/edit/", views.UnitEditView.as_view(), name="unit_edit"),
    path("units/<int:pk>/active/", views.UnitActiveView.as_view(), name="unit_active"),
    path("units/<int:pk>/board-reset/", views.UnitBoardResetView.as_view(), name="unit_board_reset"),
    path("units/<int:unit_pk>/posts/new/", views.PostCreateView.as_view(), name="post_create"),
    path("board/<str:token>/", views.board, name="board"),
    path("categories/", views.CategoryListView.as_view(), name="categories"),
    path("categories/new/", views.CategoryCreateView.as_view(), name="category_create"),
    path("categories/<int:pk>/edit/", views.CategoryCreateView.as_view(), name="category_edit"),
    path("staff/", views.StaffListView.as_view(), name="staff_list"),
    path("staff/new/", views.StaffCreateView.as_view(), name="staff_create"),
    path("staff/<int:pk>/", views.StaffDetailView.as_view(), name="staff"),
    path("staff/<int:pk>/edit/", views.StaffEditView.as_view(), name="staff_edit"),
    path("staff/<int:pk>/active/", views.StaffActiveView.as_view(), name="staff_active"),
    path("staff/<int:pk>/phone/", views.StaffRevealPhoneView.as_view(), name="staff_phone"),
    path("posts/", views.PostListView.as_view(), name="posts"),
    path("posts/<int:pk>/edit/", views.PostEditView.as_view(), name="post_edit"),
    path("whereabouts/", views.WhereaboutsListView.as_view(), name="whereabouts"),
    path("whereabouts/new/", views.WhereaboutsCreateView.as_view(), name="whereabouts_create"),
    path("whereabouts/<int:pk>/end/", views.WhereaboutsEndView.as_view(), name="whereabouts_end"),
    path("enterprises/", views.EnterpriseListView.as_view(), name="enterprises"),
    path("enterprises/new/", views.EnterpriseCreateView.as_view(), name="enterprise_create"),
    path("enterprises/<int:pk>/", views.EnterpriseDetailView.as_view(), name="enterprise"),
    path("enterprises/<int:pk>/edit/", views.EnterpriseEditView.as_view(), name="enterprise_edit"),
    path("enterprises/<int:pk>/active/", views.EnterpriseActiveView.as_view(), name="enterprise_active"),
    path("import/<str:what>/", views.ImportView.as_view(), name="import"),
    path("export/<str:what>/", views.ExportView.as_view(), name="export"),
]
