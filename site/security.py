"""Headers and failure modes a public site needs: CSP per area, and a branded 503 when the
database is away."""

import logging
import sys

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.core.signals import got_request_exception
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.template.loader import render_to_string
from django.utils.csp import CSP

logger = logging.getLogger(__name__)


class AreaContentSecurityPolicyMiddleware(ContentSecurityPolicyMiddleware):
    """Django's CSP middleware with the admin's relaxations kept to /admin/.

    Public pages get SECURE_CSP (no inline script, no plugins, no framing); the Wagtail admin,
    which still needs inline styles and script, gets ADMIN_CSP; previews of pages, which the
    admin shows in a frame, the public policy framed by the same origin only. Responses that set their own
    policy (document downloads: default-src 'none') keep it.
    """

    def process_response(self, request, response):
        if request.path.startswith("/admin/") and not hasattr(response, "_csp_config"):
            response._csp_config = settings.ADMIN_CSP
        elif getattr(request, "is_dummy", False) and not hasattr(response, "_csp_config"):
            # A preview (Wagtail renders it at the page's own URL) is shown in the admin's
            # preview panel, a frame of the same origin: the public policy, framed by 'self'.
            response._csp_config = {**settings.SECURE_CSP, "frame-ancestors": [CSP.SELF]}
        return super().process_response(request, response)


def database_unavailable(exception):
    return isinstance(exception, OperationalError | InterfaceError) or (
        isinstance(exception, DatabaseError) and "connection" in str(exception).lower()
    )


def note_database_error(sender, request=None, **kwargs):
    """Django turns an exception in a view or any middleware into a 500 before an outer
    middleware sees it; this marks the request so DatabaseUnavailableMiddleware answers 503."""
    if request is not None and database_unavailable(sys.exc_info()[1]):
        request._database_unavailable = True


got_request_exception.connect(note_database_error, dispatch_uid="note-database-error")


class DatabaseUnavailableMiddleware:
    """A database that cannot be reached gives readers a branded 503, not a 500.

    The page is a static template (it needs no database), says when to retry, and is never
    cached. As soon as the database answers again, pages are served as before.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, "_database_unavailable", False):
            logger.error("Database unavailable: %s answered 503", request.path)
            return unavailable_response()
        return response


def unavailable_response():
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


class OwnAttemptsResetHandler(AxesDatabaseHandler):
    """django-axes, except that signing in clears only the failures against one's own name.

    Axes' default clears every failure from the address, so anyone with an account could guess
    four times at a colleague's password, sign in as themselves, and guess again, without end.
    """

    def reset_user_attempts(self, request, credentials=None):
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count
