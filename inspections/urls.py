"""URLs of the inspection pages."""

from django.urls import path

from inspections import views

app_name = "inspections"

urlpatterns = [
    path("", views.index, name="index"),
    path("rounds/", views.RoundListView.as_view(), name="rounds"),
    path("rounds/new/", views.RoundCreateView.as_view(), name="round_create"),
    path("rounds/<int:pk>/", views.RoundDetailView.as_view(), name="round"),
    path("rounds/<int:pk>/edit/", views.RoundEditView.as_view(), name="round_edit"),
    path("rounds/<int:pk>/close/", views.RoundCloseView.as_view(), name="round_close"),
    path("rounds/<int:pk>/coverage/", views.RoundCoverageView.as_view(), name="round_coverage"),
    path("rounds/<int:pk>/batches/new/", views.BatchCreateView.as_view(), name="batch_create"),
    path("batches/<int:pk>/tasks/new/", views.TaskCreateView.as_view(), name="task_create"),
    path("tasks/", views.TaskListView.as_view(), name="tasks"),
    path("tasks/<int:pk>/", views.TaskDetailView.as_view(), name="task"),
    path("tasks/<int:pk>/edit/", views.TaskEditView.as_view(), name="task_edit"),
    path("tasks/<int:pk>/assign/", views.TaskAssignView.as_view(), name="task_assign"),
    path("tasks/<int:pk>/team/", views.TaskTeamView.as_view(), name="task_team"),
    path("tasks/<int:pk>/dispatch/", views.TaskDispatchView.as_view(), name="task_dispatch"),
    path("tasks/<int:pk>/cancel/", views.TaskCancelView.as_view(), name="task_cancel"),
    path("tasks/<int:pk>/respond/", views.TaskRespondView.as_view(), name="task_respond"),
    path("tasks/<int:pk>/findings/new/", views.FindingStartView.as_view(), name="finding_start"),
    path("my/", views.MyTasksView.as_view(), name="my_tasks"),
    path("assignments/", views.AssignmentListView.as_view(), name="assignments"),
    path("assignments/<int:pk>/replace/", views.AssignmentReplaceView.as_view(), name="assignment_replace"),
    path("findings/", views.FindingListView.as_view(), name="findings"),
    path("findings/<int:pk>/", views.FindingDetailView.as_view(), name="finding"),
    path("findings/<int:pk>/edit/", views.FindingEditView.as_view(), name="finding_edit"),
    path("findings/<int:pk>/evidence/", views.EvidenceUploadView.as_view(), name="evidence_upload"),
    path("findings/<int:pk>/discard/", views.FindingDiscardView.as_view(), name="finding_discard"),
    path("findings/<int:pk>/review/", views.FindingReviewView.as_view(), name="finding_review"),
    path("findings/<int:pk>/feedback/", views.FindingFeedbackView.as_view(), name="finding_feedback"),
    path("findings/<int:pk>/verify/", views.FindingVerifyView.as_view(), name="finding_verify"),
    path("findings/<int:pk>/rectify/", views.FindingRectifyView.as_view(), name="finding_rectify"),
    path("findings/<int:pk>/acceptance/", views.FindingAcceptanceView.as_view(), name="finding_acceptance"),
    path("findings/<int:pk>/untrue/", views.FindingUntrueView.as_view(), name="finding_untrue"),
    path("findings/<int:pk>/deadline/", views.FindingDeadlineView.as_view(), name="finding_deadline"),
    path("findings/<int:pk>/overturn/", views.FindingOverturnView.as_view(), name="finding_overturn"),
    path("evidence/<int:pk>/", views.EvidenceFileView.as_view(), name="evidence"),
    path("evidence/<int:pk>/delete/", views.EvidenceDeleteView.as_view(), name="evidence_delete"),
    path("circulars/", views.CircularListView.as_view(), name="circulars"),
    path("circulars/new/", views.CircularCreateView.as_view(), name="circular_create"),
    path("circulars/<int:pk>/", views.CircularDetailView.as_view(), name="circular"),
    path("circulars/<int:pk>/download/<str:fmt>/", views.CircularDownloadView.as_view(), name="circular_download"),
    path("circulars/<int:pk>/publish/", views.CircularPublishView.as_view(), name="circular_publish"),
    path("figures/", views.FiguresView.as_view(), name="figures"),
    path("figures/export/", views.FiguresExportView.as_view(), name="figures_export"),
    path("figures/supervisors/", views.SupervisorFiguresView.as_view(), name="supervisor_figures"),
]
