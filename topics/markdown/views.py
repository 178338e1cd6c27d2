"""The Markdown twins of articles, and each topic's llms.txt.

An article's twin and a topic's llms.txt are sub-routes of the page (`ArticlePage.route`,
`TopicIndexPage.llms_txt`), reached through Wagtail's own serve view, so drafts are never found
and view restrictions apply as they do to the page. Both are plain pages to the page cache,
purged with their page (`get_cached_paths`); their text is kept in the chrome cache.
"""

from django.http import HttpResponse, HttpResponseNotAllowed
from wagtail.models import Site

from consultancy_site.delivery.chrome import cached_chrome

from .render import article_markdown, escape_text

MARKDOWN_TYPE = "text/markdown; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"
READ_METHODS = ("GET", "HEAD")


def one_line(text):
    return " ".join(str(text or "").split())


def heading(title, summary=""):
    """The first lines of an llms.txt: its title, and its summary as a quote when it has one."""
    lines = [f"# {one_line(title)}", ""]
    return [*lines, f"> {escape_text(one_line(summary))}", ""] if one_line(summary) else lines


def section(title, entries):
    """A section of an llms.txt: its title and a line an entry; nothing when it has none."""
    return [f"## {title}", "", *entries, ""] if entries else []


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


def topic_llms_txt(topic, request):
    topic_url = topic.get_full_url(request)
    site = Site.find_for_request(request)
    root_url = site.root_url if site else request.build_absolute_uri("/").rstrip("/")
    site_name = site.site_name if site and site.site_name else ""
    articles = list(topic.articles())
    case_studies = cached_chrome(f"topic:{topic.pk}:case-studies", topic.related_case_studies)
    lines = heading(topic.title, topic.lede)
    who = f" from {site_name}" if site_name else ""
    lines += [
        f"Articles and case studies on {one_line(topic.title)}{who}. Each article is linked "
        f"as Markdown (its web page is the same URL without index.md); the topic page is "
        f"{topic_url}.",
        "",
    ]
    lines += section(
        "Articles",
        [
            entry(article.title, article.get_full_url(request) + "index.md", article.summary)
            for article in articles
        ],
    )
    lines += case_studies_section(case_studies, request)
    lines += [
        "## Optional",
        "",
        entry("Atom feed", topic_url + "feed/atom/", "the newest articles of this topic"),
        entry("RSS feed", topic_url + "feed/", "the same, as RSS"),
        entry("All topics", root_url + "/llms.txt", f"every topic{who}"),
    ]
    return "\n".join(lines) + "\n"


def case_studies_section(case_studies, request):
    return section(
        "Case studies",
        [entry(case.title, case.get_full_url(request), case.summary) for case in case_studies],
    )


def topic_llms_response(topic, request):
    if request.method not in READ_METHODS:
        return HttpResponseNotAllowed(READ_METHODS)
    text = cached_chrome(f"llms:{topic.pk}", lambda: topic_llms_txt(topic, request))
    return HttpResponse(text, content_type=TEXT_TYPE)
