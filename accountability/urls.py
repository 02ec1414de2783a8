"""URLs of the accountability pages."""

from django.urls import path

from accountability import views

app_name = "accountability"

urlpatterns = [
    path("", views.ProposalListView.as_view(), name="proposals"),
    path("proposals/<int:pk>/", views.ProposalDetailView.as_view(), name="proposal"),
    path("proposals/<int:pk>/decide/", views.ProposalDecideView.as_view(), name="decide"),
    path("proposals/<int:pk>/review/", views.DecisionReviewView.as_view(), name="review"),
    path("sanctions/", views.SanctionListView.as_view(), name="sanctions"),
    path("sanctions/<int:pk>/", views.SanctionDetailView.as_view(), name="sanction"),
    path("sanctions/<int:pk>/execute/", views.SanctionExecuteView.as_view(), name="execute"),
    path("apologies/", views.ApologyListView.as_view(), name="apologies"),
    path("apologies/<int:pk>/", views.ApologyDetailView.as_view(), name="apology"),
    path("apologies/<int:pk>/record/", views.ApologyRecordView.as_view(), name="apology_record"),
    path("apologies/<int:pk>/proof/", views.ApologyProofView.as_view(), name="apology_proof"),
    path("charges/", views.ChargeListView.as_view(), name="charges"),
    path("incidents/new/", views.IncidentCreateView.as_view(), name="incident_create"),
    path("incidents/<int:pk>/", views.IncidentDetailView.as_view(), name="incident"),
    path("incidents/<int:pk>/withdraw/", views.IncidentWithdrawView.as_view(), name="incident_withdraw"),
    path("people/<int:pk>/", views.PersonView.as_view(), name="person"),
    path("me/", views.MyRecordView.as_view(), name="me"),
    path("units/", views.UnitListView.as_view(), name="units"),
    path("units/<int:pk>/", views.UnitDetailView.as_view(), name="unit"),
    path("figures/", views.FiguresView.as_view(), name="figures"),
    path("figures/export/", views.FiguresExportView.as_view(), name="figures_export"),
]
