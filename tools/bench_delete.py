"""`make bench-delete`: what deleting a topic costs, as an administrator deletes it in the admin,
at N = 1,000 and 10,000 articles in that topic.

For each N it builds a site (the demo, plus N articles in the data-engineering topic with
`load_bench_content --into`), then deletes the topic with Wagtail's DeletePageAction (what the
admin's delete view runs) and prints the queries, the queries per article, the page-cache keys
purged one by one, the purges of every page, and the seconds it took. Linear means the queries
per article stay the same as N grows. Environment: BENCH_DELETE_SIZES (default 1000,10000),
DATABASE_URL (an SQLite file by default).
"""

import json
import os
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests import server  # noqa: E402 (the site helpers the tests use)

WORK = ROOT / "var" / "bench-delete"
SIZES = [int(n) for n in os.environ.get("BENCH_DELETE_SIZES", "1000,10000").split(",")]
TOPIC = "data-engineering"

DELETE_SCRIPT = """
import json, sys, time
from django.db import connection
from wagtail.actions.delete_page import DeletePageAction
from consultancy_site.delivery import page_cache
from topics.models import TopicIndexPage

topic = TopicIndexPage.objects.get(slug=sys.argv[1])
articles = topic.get_children().count()
keys, everything = [], []
purge_paths, purge_all_pages = page_cache.purge_paths, page_cache.purge_all_pages
page_cache.purge_paths = lambda paths: keys.extend(purge_paths(paths))
page_cache.purge_all_pages = lambda: everything.append(purge_all_pages())
queries = []  # every query counted (Django's own log keeps only the last 9,000)
def count(execute, sql, params, many, context):
    queries.append(1)
    return execute(sql, params, many, context)
started = time.perf_counter()
with connection.execute_wrapper(count):
    DeletePageAction(topic).execute()
print(json.dumps({
    "articles": articles, "queries": len(queries), "seconds": time.perf_counter() - started,
    "keys": len(keys), "everything": len(everything),
}))
"""


def measure(size):
    work = WORK / f"n{size}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    env = server.site_environment(
        work,
        server.fresh_database_url(work, f"bench_delete_{size}"),
        DJANGO_SETTINGS_MODULE="consultancy_site.settings.bench",
        BENCH_CEILING_FILE=str(work / "unused.html"),
        LOG_LEVEL="WARNING",
    )
    server.manage(env, "migrate", "--no-input", "-v0")
    server.manage(env, "load_bench_content", "--articles", str(size), "--into", TOPIC, "-v0")
    return json.loads(server.run_django(env, DELETE_SCRIPT, TOPIC).strip().splitlines()[-1])


def main():
    print(
        "| articles in the topic | queries | per article | keys purged one by one | purges of everything | seconds |"
    )
    print("|---|---|---|---|---|---|")
    for size in SIZES:
        result = measure(size)
        per_article = result["queries"] / max(1, result["articles"])
        print(
            f"| {result['articles']:,} | {result['queries']:,} | {per_article:.1f} | "
            f"{result['keys']:,} | {result['everything']} | {result['seconds']:.1f} |",
            flush=True,
        )
    database = os.environ.get("DATABASE_URL", "sqlite").split(":")[0]
    print(
        f"\n{database}, measured {time.strftime('%Y-%m-%d %H:%M')} by python tools/bench_delete.py"
    )


if __name__ == "__main__":
    main()
