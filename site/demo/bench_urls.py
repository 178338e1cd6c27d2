"""`make bench` only (settings.bench): the site's URLs, plus a minimal view returning a fixed
page's bytes, the ceiling any page of the site can reach on the same server."""

import os
from pathlib import Path

from django.http import HttpResponse
from django.urls import path

from consultancy_site.urls import urlpatterns as site_urlpatterns


def fixed_bytes(file_path):
    """A view that returns a file's bytes and does nothing else."""
    content = []

    def view(request):
        if not content:
            content.append(Path(file_path).read_bytes())
        return HttpResponse(content[0])

    return view


urlpatterns = [
    path("_util/ceiling/", fixed_bytes(os.environ["BENCH_CEILING_FILE"])),
    *site_urlpatterns,
]
