"""What the editorial reports share."""

from django.template.response import TemplateResponse
from wagtail.admin.menu import MenuItem

from consultancy_site.permissions import is_editor

FORBIDDEN_TEMPLATE = "editorial/forbidden.html"


class EditorsMenuItem(MenuItem):
    def is_shown(self, request):
        return is_editor(request.user)


class RestrictedReportMixin:
    """A report for some people only. Anyone else gets a 403 page, not Wagtail's redirect to
    the dashboard, so the refusal is plain to people and programs alike."""

    refused_message = "This report is not available to you."

    def user_may_view(self, user):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if not self.user_may_view(request.user):
            context = {"message": self.refused_message}
            return TemplateResponse(request, FORBIDDEN_TEMPLATE, context, status=403)
        return super().dispatch(request, *args, **kwargs)
