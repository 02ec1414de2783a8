"""Top-level URLs: pages of each app, the API under /api/v1/, schema and docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from core import views as core_views
from xiaoneng.api_urls import urlpatterns as api_v1

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("org/", include("org.urls")),
    path("supervisors/", include("supervisors.urls")),
    path("inspections/", include("inspections.urls")),
    path("cases/", include("cases.urls")),
    path("public/cases/", include("cases.public_urls")),
    path("evaluations/", include("evaluations.urls")),
    path("public/rate/", include("evaluations.public_urls")),
    path("accountability/", include("accountability.urls")),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("", include("core.urls")),
]

handler403 = "core.views.error_403"
handler404 = "core.views.error_404"
handler500 = "core.views.error_500"
