"""Site-wide page types that belong to no section, and the site settings."""

from .book_a_call import BookACallFormField, BookACallPage, BookACallSubmission
from .home import HomeFeaturedCaseStudy, HomePage
from .services import ServiceIndexPage, ServicePage
from .site_settings import CallToActionSettings, SiteIdentitySettings

__all__ = [
    "BookACallFormField",
    "BookACallPage",
    "BookACallSubmission",
    "CallToActionSettings",
    "HomeFeaturedCaseStudy",
    "HomePage",
    "ServiceIndexPage",
    "ServicePage",
    "SiteIdentitySettings",
]
