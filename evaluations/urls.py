"""URLs of the evaluation pages for signed-in users."""

from django.urls import path

from evaluations import views

app_name = "evaluations"

urlpatterns = [
    path("", views.CampaignListView.as_view(), name="campaigns"),
    path("campaigns/new/", views.CampaignCreateView.as_view(), name="campaign_create"),
    path("campaigns/<int:pk>/", views.CampaignDetailView.as_view(), name="campaign"),
    path("campaigns/<int:pk>/edit/", views.CampaignEditView.as_view(), name="campaign_edit"),
    path("campaigns/<int:pk>/targets/", views.CampaignTargetsView.as_view(), name="campaign_targets"),
    path("campaigns/<int:pk>/groups/", views.CampaignGroupView.as_view(), name="campaign_group"),
    path("campaigns/<int:pk>/invitations/", views.CampaignInvitationView.as_view(), name="campaign_invitation"),
    path("campaigns/<int:pk>/do/<str:action>/", views.CampaignActionView.as_view(), name="campaign_action"),
    path("campaigns/<int:pk>/posters.pdf", views.CampaignPostersView.as_view(), name="campaign_posters"),
    path("campaigns/<int:pk>/results/", views.ResultListView.as_view(), name="results"),
    path("campaigns/<int:pk>/results.<str:fmt>", views.ResultExportView.as_view(), name="results_export"),
    path("campaigns/<int:pk>/responses/", views.ResponseListView.as_view(), name="responses"),
    path("campaigns/<int:pk>/paper/", views.PaperEntryView.as_view(), name="paper"),
    path("campaigns/<int:pk>/samples/", views.SampleListView.as_view(), name="samples"),
    path("responses/<int:pk>/", views.ResponseDetailView.as_view(), name="response"),
    path("samples/<int:pk>/", views.SampleCallbackView.as_view(), name="sample"),
    path("handled-cases/import/", views.HandledCaseImportView.as_view(), name="handled_case_import"),
    path("questionnaires/", views.QuestionnaireListView.as_view(), name="questionnaires"),
    path("questionnaires/new/", views.QuestionnaireEditView.as_view(), name="questionnaire_create"),
    path("questionnaires/<int:pk>/", views.QuestionnaireDetailView.as_view(), name="questionnaire"),
    path("questionnaires/<int:pk>/edit/", views.QuestionnaireEditView.as_view(), name="questionnaire_edit"),
    path("invitations/", views.MyInvitationsView.as_view(), name="my_invitations"),
    path("ratings/", views.RatingListView.as_view(), name="ratings"),
    path("ratings/posters.pdf", views.RatingPostersView.as_view(), name="rating_posters"),
    path("ratings/<int:pk>/", views.RatingDetailView.as_view(), name="rating"),
    path("ratings/<int:pk>/contact/", views.RatingContactView.as_view(), name="rating_contact"),
]
