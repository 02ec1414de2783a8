"""URLs of the roster pages."""

from django.urls import path

from supervisors import views

app_name = "supervisors"

urlpatterns = [
    path("", views.SupervisorListView.as_view(), name="supervisors"),
    path("new/", views.SupervisorCreateView.as_view(), name="supervisor_create"),
    path("<int:pk>/", views.SupervisorDetailView.as_view(), name="supervisor"),
    path("<int:pk>/edit/", views.SupervisorEditView.as_view(), name="supervisor_edit"),
]
