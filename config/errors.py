"""The error pages (403, 404, 500) in the clinic's own look, wired in config/urls.py.

403 and 404 show the usual header, so a manager who followed a front-desk link can
go on from there. 500 is rendered without the request: whatever failed (often the
database) must not be asked again to draw the page that says so.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from bookings.views import header


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", header(request), status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", header(request), status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    html = loader.get_template("500.html").render(
        {"clinic_name": settings.CLINIC_NAME, "clinic_phone": settings.CLINIC_PHONE}
    )
    return HttpResponseServerError(html)
