"""URLs of the core app."""

from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("policies/", views.PolicyListView.as_view(), name="policies"),
    path("policies/versions/<int:pk>/", views.PolicyVersionView.as_view(), name="policy_version"),
    path("policies/versions/<int:pk>/draft/", views.PolicyDraftCreateView.as_view(), name="policy_draft"),
    path("policies/versions/<int:pk>/edit/", views.PolicyEditView.as_view(), name="policy_edit"),
    path("policies/versions/<int:pk>/publish/", views.PolicyPublishView.as_view(), name="policy_publish"),
    path("policies/versions/<int:pk>/copy/", views.PolicyCopyView.as_view(), name="policy_copy"),
    path("policies/versions/<int:pk>/adopt/", views.PolicyMakeCurrentView.as_view(), name="policy_adopt"),
    path("calendar/", views.CalendarView.as_view(), name="calendar"),
    path("audit/", views.AuditListView.as_view(), name="audit"),
    path("inbox/", views.NotificationListView.as_view(), name="notifications"),
    path("inbox/<int:pk>/", views.NotificationOpenView.as_view(), name="notification_open"),
    path("jobs/<int:pk>/", views.JobView.as_view(), name="job"),
    path("jobs/<int:pk>/download/", views.JobDownloadView.as_view(), name="job_download"),
]
