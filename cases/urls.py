"""URLs of the cases pages (office, units, city leaders); the public pages are in ``cases.public_urls``."""

from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("", views.CaseListView.as_view(), name="list"),
    path("new/", views.CaseCreateView.as_view(), name="create"),
    path("follow-up/", views.FollowUpQueueView.as_view(), name="follow_up_queue"),
    path("figures/", views.FiguresView.as_view(), name="figures"),
    path("figures/export/", views.FiguresExportView.as_view(), name="figures_export"),
    path("ranking/", views.RankingView.as_view(), name="ranking"),
    path("ranking/export/", views.RankingExportView.as_view(), name="ranking_export"),
    path("channels/", views.ChannelListView.as_view(), name="channels"),
    path("channels/new/", views.ChannelEditView.as_view(), name="channel_create"),
    path("channels/<int:pk>/edit/", views.ChannelEditView.as_view(), name="channel_edit"),
    path("import/", views.ImportView.as_view(), name="import"),
    path("routing/", views.RoutingView.as_view(), name="routing"),
    path("<int:pk>/", views.CaseDetailView.as_view(), name="case"),
    path("<int:pk>/triage/", views.TriageView.as_view(), name="triage"),
    path("<int:pk>/dispatch/", views.DispatchView.as_view(), name="dispatch"),
    path("<int:pk>/merge/", views.MergeView.as_view(), name="merge"),
    path("<int:pk>/sign/", views.SignView.as_view(), name="sign"),
    path("<int:pk>/contact/", views.ContactView.as_view(), name="contact"),
    path("<int:pk>/return/", views.ReturnView.as_view(), name="return"),
    path("<int:pk>/review-return/", views.ReviewReturnView.as_view(), name="review_return"),
    path("<int:pk>/extension/", views.ExtensionRequestView.as_view(), name="extension_request"),
    path("<int:pk>/extension/decide/", views.ExtensionDecideView.as_view(), name="extension_decide"),
    path("<int:pk>/reply/", views.ReplyView.as_view(), name="reply"),
    path("<int:pk>/check-reply/", views.CheckReplyView.as_view(), name="check_reply"),
    path("<int:pk>/follow-up/", views.FollowUpView.as_view(), name="follow_up"),
    path("<int:pk>/reopen/", views.ReopenView.as_view(), name="reopen"),
    path("<int:pk>/close/", views.CloseView.as_view(), name="close"),
    path("<int:pk>/judge/", views.JudgeView.as_view(), name="judge"),
    path("<int:pk>/withdraw-verdict/", views.WithdrawVerdictView.as_view(), name="withdraw"),
    path("<int:pk>/phone/", views.RevealPhoneView.as_view(), name="phone"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.AttachmentView.as_view(), name="attachment"),
]
