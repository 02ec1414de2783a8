"""The API's routes (/api/v1/…). Each app contributes a router in its ``api.py``."""

from django.urls import URLPattern, URLResolver, include, path
from rest_framework.routers import SimpleRouter

from accountability.api import router as accountability_router
from accounts.api import router as accounts_router
from cases.api import router as cases_router
from core.api_views import NotificationViewSet, PolicyInForceView, WorkingDaysView
from evaluations.api import router as evaluations_router
from inspections.api import router as inspections_router
from org.api import router as org_router
from supervisors.api import router as supervisors_router

core_router = SimpleRouter()
core_router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns: list[URLPattern | URLResolver] = [
    path("core/working-days/", WorkingDaysView.as_view(), name="working-days"),
    path("core/policy/", PolicyInForceView.as_view(), name="policy-in-force"),
    path("core/", include(core_router.urls)),
    path("org/", include(org_router.urls)),
    path("accounts/", include(accounts_router.urls)),
    path("supervisors/", include(supervisors_router.urls)),
    path("inspections/", include(inspections_router.urls)),
    path("cases/", include(cases_router.urls)),
    path("evaluations/", include(evaluations_router.urls)),
    path("accountability/", include(accountability_router.urls)),
]
