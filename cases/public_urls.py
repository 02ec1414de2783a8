"""URLs of the public pages (no login): submit, track, rate."""

from django.urls import path

from cases import public

app_name = "cases_public"

urlpatterns = [
    path("", public.SubmitView.as_view(), name="submit"),
    path("receipt/", public.receipt, name="receipt"),
    path("track/", public.TrackView.as_view(), name="track"),
    path("track/rate/", public.RateView.as_view(), name="rate"),
    path("track/leave/", public.leave, name="leave"),
]
