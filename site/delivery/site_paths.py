"""A page's URL on its site from its tree `url_path`, without a query per page."""

from wagtail.models import Site


def site_root_path(url_path):
    """The tree url_path of the home page of the site a page's url_path belongs to, or None."""
    for root in sorted(Site.get_site_root_paths(), key=lambda r: -len(r.root_path)):
        if url_path.startswith(root.root_path):
            return root.root_path
    return None


def relative_url(url_path):
    """A page's URL on its site from its tree url_path ("/home/writing/" -> "/writing/")."""
    root_path = site_root_path(url_path)
    return None if root_path is None else "/" + url_path[len(root_path) :]
