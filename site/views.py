import re
import unicodedata

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET
from wagtail import hooks
from wagtail.models import Page, Site

from case_studies.models import CaseStudyPage
from consultancy_site.delivery.chrome import cached_chrome
from consultancy_site.delivery.listing import listed
from consultancy_site.delivery.showing import SiteListing
from topics.markdown.views import TEXT_TYPE, case_studies_section, entry, heading, one_line, section
from topics.models import ArticlePage, TopicIndexPage, attach_topics

MAX_QUERY_LENGTH = 200
RESULTS_PER_PAGE = 10


PHRASE = re.compile(r'"([^"]+)"')


def balanced_phrases(query: str) -> str:
    """Keep "quoted phrases" that open and close; drop every other double quote.

    A stray quote is a syntax error to SQLite's full-text search, and a reader means nothing by it.
    """
    parts = PHRASE.split(query)  # even indexes: outside phrases; odd: phrase contents
    return " ".join(
        f'"{part.strip()}"' if index % 2 and part.strip() else part.replace('"', " ")
        for index, part in enumerate(parts)
    )


def clean_query(raw: str) -> tuple[str, str]:
    """A query the search backend can take, and a note for the reader if it was changed."""
    # NUL and other control characters mean nothing in a search and PostgreSQL rejects NUL.
    query = "".join(ch for ch in raw if unicodedata.category(ch)[0] != "C" or ch in " ")
    query = " ".join(balanced_phrases(query).split())
    notice = ""
    if len(query) > MAX_QUERY_LENGTH:
        query = query[:MAX_QUERY_LENGTH].rsplit(" ", 1)[0] or query[:MAX_QUERY_LENGTH]
        notice = f"Your search was longer than {MAX_QUERY_LENGTH} characters, so only its start was used."
    return query, notice


@require_GET
def search(request):
    query, notice = clean_query(request.GET.get("q", ""))
    results = None
    if query:
        # The search backend filters with its own lookups: Wagtail's live()/public() it knows.
        pages = Page.objects.type(ArticlePage, CaseStudyPage, TopicIndexPage).live().public()
        pages = pages.specific().order_by("-first_published_at")
        # Ranking by relevance costs PostgreSQL nothing but makes SQLite's full-text search
        # score every indexed row (36 s at 10,000 articles): there, newest matches come first.
        relevance = connection.vendor == "postgresql"
        paginator = Paginator(pages.search(query, order_by_relevance=relevance), RESULTS_PER_PAGE)
        results = paginator.get_page(request.GET.get("page"))
        attach_topics([page for page in results if isinstance(page, ArticlePage)])
    elif "q" in request.GET:
        notice = "Type a word or two to search the articles, case studies and topics."
    return TemplateResponse(
        request,
        "search.html",
        {"search_query": query, "results": results, "notice": notice},
    )


@require_GET
def favicon(request):
    return HttpResponsePermanentRedirect(static("img/favicon.ico"))


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "Disallow: /review/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_GET
def healthz(request):
    """For load balancers and monitors: 200 when the database answers, 503 (and why) when not.

    The cache is reported but never fails the check: the site serves pages without it."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except DatabaseError as error:
        checks["database"] = f"unavailable: {error.__class__.__name__}"
    try:
        cache.set("healthz", "ok", 5)
        checks["cache"] = "ok" if cache.get("healthz") == "ok" else "unavailable"
    except Exception as error:  # noqa: BLE001
        checks["cache"] = f"unavailable: {error.__class__.__name__}"
    healthy = checks["database"] == "ok"
    response = JsonResponse({"status": "ok" if healthy else "unavailable", **checks})
    response.status_code = 200 if healthy else 503
    response["Cache-Control"] = "no-store"
    return response


# The site's llms.txt lists every topic and case study: a purge declaration.
SITE_LLMS_TXT = SiteListing(
    "Site llms.txt",
    models=("topics.TopicIndexPage", "case_studies.CaseStudyPage"),
    urls=("llms_txt",),
)


def site_llms(site, home, request):
    root_url = site.root_url
    site_name = site.site_name or one_line(home.title)
    topics = listed(TopicIndexPage.objects.all()).order_by("path")
    case_studies = listed(CaseStudyPage.objects.all()).defer_streamfields().order_by("-date", "-pk")
    lines = heading(site_name, getattr(home, "intro", ""))
    lines += [
        "Writing is organised in topics. Each topic's llms.txt lists its articles, newest "
        "first, each linked as Markdown, and the case studies that go with it.",
        "",
    ]
    lines += section(
        "Topics",
        [
            entry(topic.title, topic.get_full_url(request) + "llms.txt", topic.lede)
            for topic in topics
        ],
    )
    lines += case_studies_section(case_studies, request)
    lines += [
        "## Optional",
        "",
        entry("Atom feed", root_url + "/feed/atom/", "the newest articles of every topic"),
        entry("RSS feed", root_url + "/feed/", "the same, as RSS"),
        entry("Sitemap", root_url + "/sitemap.xml", "every page of the site"),
    ]
    return "\n".join(lines) + "\n"


@require_GET
def site_llms_txt(request):
    """/llms.txt: the site's topics, each with its own llms.txt. As private as the home page."""
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    home = site.root_page.specific

    def respond(page, request, args, kwargs):
        text = cached_chrome(f"llms:site:{site.pk}", lambda: site_llms(site, page, request))
        return HttpResponse(text, content_type=TEXT_TYPE)

    serve = respond
    for wrap in reversed(hooks.get_hooks("on_serve_page")):
        serve = wrap(serve)
    return serve(home, request, [], {})
