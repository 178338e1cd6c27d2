"""The Markdown twins of articles, and llms.txt for each hub and the site.

An article's twin and a hub's llms.txt are sub-routes of the page (`ArticlePage.route`,
`TopicIndexPage.llms_txt`), reached through Wagtail's own serve view, so drafts are never found
and view restrictions apply as they do to the page. The site's /llms.txt goes through the same
privacy hooks as the home page. All three are plain pages to the page cache and are purged with
what they list (`consultancy_site.invalidation`); their text is kept in the chrome cache.
"""

from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.views.decorators.http import require_GET
from wagtail import hooks
from wagtail.models import Site

from consultancy_site.cache import cached_chrome
from consultancy_site.listing import listed

from .render import article_markdown, escape_text

MARKDOWN_TYPE = "text/markdown; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"
READ_METHODS = ("GET", "HEAD")


def one_line(text):
    return " ".join(str(text or "").split())


def entry(title, url, description=""):
    line = f"- [{escape_text(one_line(title))}]({url})"
    return f"{line}: {escape_text(one_line(description))}" if one_line(description) else line


def article_markdown_response(page, request):
    if request.method not in READ_METHODS:
        return HttpResponseNotAllowed(READ_METHODS)
    base_url = page.get_full_url(request)
    published = page.last_published_at.timestamp() if page.last_published_at else 0
    text = cached_chrome(
        f"markdown:{page.pk}:{published}", lambda: article_markdown(page, base_url)
    )
    response = HttpResponse(text, content_type=MARKDOWN_TYPE)
    # The article is the original; search engines should index it, not its twin.
    response["Link"] = f'<{base_url}>; rel="canonical"'
    return response


def hub_llms_txt(hub, request):
    hub_url = hub.get_full_url(request)
    site = Site.find_for_request(request)
    root_url = site.root_url if site else request.build_absolute_uri("/").rstrip("/")
    site_name = site.site_name if site and site.site_name else ""
    articles = list(hub.articles())
    case_studies = cached_chrome(f"hub:{hub.pk}:case-studies", hub.related_case_studies)
    lines = [f"# {one_line(hub.title)}", ""]
    if one_line(hub.lede):
        lines += [f"> {escape_text(one_line(hub.lede))}", ""]
    who = f" from {site_name}" if site_name else ""
    lines += [
        f"Articles and case studies on {one_line(hub.title)}{who}. Each article is linked "
        f"as Markdown (its web page is the same URL without index.md); the topic page is "
        f"{hub_url}.",
        "",
    ]
    if articles:
        lines += ["## Articles", ""]
        lines += [
            entry(article.title, article.get_full_url(request) + "index.md", article.summary)
            for article in articles
        ]
        lines.append("")
    if case_studies:
        lines += ["## Case studies", ""]
        lines += [
            entry(case.title, case.get_full_url(request), case.summary) for case in case_studies
        ]
        lines.append("")
    lines += [
        "## Optional",
        "",
        entry("Atom feed", hub_url + "feed/atom/", "the newest articles of this topic"),
        entry("RSS feed", hub_url + "feed/", "the same, as RSS"),
        entry("All topics", root_url + "/llms.txt", f"every topic{who}"),
    ]
    return "\n".join(lines) + "\n"


def hub_llms_response(hub, request):
    if request.method not in READ_METHODS:
        return HttpResponseNotAllowed(READ_METHODS)
    text = cached_chrome(f"llms:{hub.pk}", lambda: hub_llms_txt(hub, request))
    return HttpResponse(text, content_type=TEXT_TYPE)


def site_llms(site, home, request):
    from case_studies.models import CaseStudyPage
    from topics.models import TopicIndexPage

    root_url = site.root_url
    site_name = site.site_name or one_line(home.title)
    hubs = listed(TopicIndexPage.objects.all()).order_by("path")
    case_studies = listed(CaseStudyPage.objects.all()).defer_streamfields().order_by("-date", "-pk")
    lines = [f"# {one_line(site_name)}", ""]
    summary = one_line(getattr(home, "intro", ""))
    if summary:
        lines += [f"> {escape_text(summary)}", ""]
    lines += [
        "Writing is organised in topics. Each topic's llms.txt lists its articles, newest "
        "first, each linked as Markdown, and the case studies that go with it.",
        "",
    ]
    if hubs:
        lines += ["## Topics", ""]
        lines += [
            entry(hub.title, hub.get_full_url(request) + "llms.txt", hub.lede) for hub in hubs
        ]
        lines.append("")
    if case_studies:
        lines += ["## Case studies", ""]
        lines += [entry(c.title, c.get_full_url(request), c.summary) for c in case_studies]
        lines.append("")
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
