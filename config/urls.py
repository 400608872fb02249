from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from config import openapi  # noqa: F401  (registers the token scheme for the schema)
from config.api_auth import TokenView
from config.api_docs import SignedInOrPublicDocs
from config.health import healthz

# A client without credentials gets 401 (the token scheme comes first), never a login page.
DOCS_ACCESS = {"permission_classes": [SignedInOrPublicDocs]}

# Every route name lives in a namespace (docs/architecture.md#url-names); these are the
# site's own, `config:…`.
site = [
    path("healthz", healthz, name="healthz"),
    path("api/schema/", SpectacularAPIView.as_view(**DOCS_ACCESS), name="schema"),
    path(
        "api/docs/",
        SpectacularSwaggerView.as_view(url_name="config:schema", **DOCS_ACCESS),
        name="api-docs",
    ),
    path("api/v1/auth/token/", TokenView.as_view(), name="api-token"),
]

urlpatterns = [
    path("", include((site, "config"))),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    path("api/public/v1/", include("reminders.links.api_urls")),
    path("webhooks/", include("reminders.urls")),
    path("", include("reminders.links.urls")),
    path("", include("reminders.web_urls")),
    path("", include("bookings.urls")),
]

# Error pages in the clinic's look (config/errors.py); Django's are bare text.
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
