"""URLs of the public answering pages (/public/rate/…, no login)."""

from django.urls import path

from evaluations import public

app_name = "evaluations_public"

urlpatterns = [
    path("c/<str:token>/", public.target_page, name="target"),
    path("i/<str:token>/", public.invitation_page, name="invitation"),
    path("i/<str:token>/<int:target_id>/", public.invitation_target_page, name="invitation_target"),
    path("s/<str:signed>/", public.service_page, name="service"),
    path("thanks/", public.thanks, name="thanks"),
]
