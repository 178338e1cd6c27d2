"""`make bench`: requests/s and latency of the key pages at N = 7, 1,000 and 10,000 articles,
against two ceilings, uncached and cached.

For each N it builds a site (the demo content, grown with `load_bench_content`), serves it the way
`make serve` does (gunicorn, 2 sync workers, production settings, plain HTTP on 127.0.0.1, the
database named by DATABASE_URL or an SQLite file, Redis when REDIS_URL is set) and loads it with
wrk from another process (-t2 -c8, BENCH_SECONDS each, 10 by default). The ceiling is a minimal
Django view in the same server returning a topic page's bytes. It also counts queries and bytes per
page, times an editor's approve-and-publish, and reads the workers' memory after the sitemap and
feed runs. Environment: BENCH_SIZES (default 7,1000,10000), BENCH_SECONDS.
"""

import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests import server  # noqa: E402 (the production-site helpers the tests use)

WORK = ROOT / "var" / "bench"
SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "7,1000,10000").split(",")]
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
PAGES = {
    "home": "/",
    "topic": "/writing/data-engineering/",
    "article": "/writing/data-engineering/sql-for-data-scientists/",
    "case study": "/case-studies/supply-chain-forecasting/",
    "search": "/search/?q=pipeline",
    "sitemap": "/sitemap-pages.xml",
    "feed": "/feed/",
}
QUERIES_SCRIPT = """
import json, sys
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client(HTTP_HOST="127.0.0.1")
result = {}
for name, path in json.loads(sys.argv[1]).items():
    client.get(path); client.get(path)  # warm: site root paths, navigation, settings
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    result[name] = [response.status_code, len(queries), len(response.content)]
    if name == "topic":
        open(sys.argv[2], "wb").write(response.content)
print(json.dumps(result))
"""
APPROVE_SCRIPT = """
import json, time
from django.contrib.auth.models import Group, User
from topics.models import ArticlePage, TopicIndexPage
editor, _ = User.objects.get_or_create(username="bench-editor", defaults={"email": "e@example.com"})
author, _ = User.objects.get_or_create(username="bench-author", defaults={"email": "a@example.com"})
editor.groups.add(Group.objects.get(name="Editors")); author.groups.add(Group.objects.get(name="Authors"))
topic = TopicIndexPage.objects.get(slug="data-engineering")
slug = f"bench-approval-{time.time_ns()}"
article = ArticlePage(title="An article to approve", slug=slug, summary="Approved in a benchmark.",
    body=[{"type": "paragraph", "value": "<p>Short.</p>"}], live=False, owner=author)
topic.add_child(instance=article)
article.save_revision(user=author)
article.get_workflow().start(article, author)
task_state = article.current_workflow_task_state.specific
started = time.perf_counter()
task_state.task.specific.on_action(task_state, editor, "approve", comment="Good to go")
elapsed = time.perf_counter() - started
article.refresh_from_db()
print(json.dumps({"seconds": elapsed, "live": article.live}))
"""


def site_env(size, cached):
    var_dir = WORK / f"n{size}"
    shutil.rmtree(var_dir, ignore_errors=True)
    var_dir.mkdir(parents=True)
    return server.site_environment(
        var_dir,
        server.fresh_database_url(var_dir, f"bench_{size}"),
        PAGE_CACHE_SECONDS="3600" if cached else "0",
        CACHE_KEY_PREFIX=f"bench-{size}-{time.time_ns()}",
        BENCH_CEILING_FILE=str(var_dir / "ceiling.html"),
        LOG_LEVEL="WARNING",
        # Production settings plus the ceiling view and the made-up articles.
        DJANGO_SETTINGS_MODULE="consultancy_site.settings.bench",
    )


def build(size, env):
    started = time.perf_counter()
    server.manage(env, "migrate", "--no-input", "-v0")
    if size <= 9:
        server.manage(env, "load_demo_content", "-v0")
    else:
        server.manage(env, "load_bench_content", "--articles", str(size), "-v0")
    server.manage(env, "collectstatic", "--no-input", "-v0")
    return time.perf_counter() - started


def django_script(env, script, *args):
    return json.loads(server.run_django(env, script, *args).strip().splitlines()[-1])


class Server(server.Server):
    def worker_rss_mb(self):
        output = subprocess.run(
            ["ps", "-o", "rss=", "--ppid", str(self.process.pid)], capture_output=True, text=True
        ).stdout
        return max((int(line) / 1024 for line in output.split()), default=0)


def wrk(url):
    output = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{SECONDS}s", "--latency", url], capture_output=True, text=True
    ).stdout

    def latency(percent):
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)", output, re.M)
        if not match:
            return float("nan")
        return float(match.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[match.group(2)]

    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    return {
        "rps": float(rps.group(1)) if rps else 0.0,
        "p50": latency(50),
        "p99": latency(99),
        "errors": errors,
    }


def run_size(size):
    env = site_env(size, cached=False)
    build_seconds = build(size, env)
    counted = django_script(env, QUERIES_SCRIPT, json.dumps(PAGES), env["BENCH_CEILING_FILE"])
    results = {"size": size, "build_seconds": build_seconds, "pages": {}}
    server = Server(env)
    try:
        results["ceiling"] = wrk(server.url + "/_util/ceiling/")
        for name, path in PAGES.items():
            results["pages"][name] = {"uncached": wrk(server.url + path)}
        results["worker_rss_mb"] = server.worker_rss_mb()
    finally:
        server.stop()
    cached_env = {**env, "PAGE_CACHE_SECONDS": "3600"}
    server = Server(cached_env)
    try:
        for name, path in PAGES.items():
            urllib.request.urlopen(server.url + path, timeout=30)  # fill the cache
            results["pages"][name]["cached"] = wrk(server.url + path)
    finally:
        server.stop()
    approval = django_script(cached_env, APPROVE_SCRIPT)
    results["approve_seconds"] = approval["seconds"]
    for name, (status, queries, size_bytes) in counted.items():
        results["pages"][name].update({"status": status, "queries": queries, "bytes": size_bytes})
    return results


def report(all_results):
    database = (
        "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    )
    cache = "Redis" if os.environ.get("REDIS_URL") else "file cache"
    lines = [
        f"`make bench` on {platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"gunicorn 2 sync workers, wrk -t2 -c8 {SECONDS}s, {database}, {cache}, production settings.",
        "",
        "| N | page | queries | KB | uncached req/s | p50 ms | p99 ms | % of ceiling | cached req/s | cached % of ceiling |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for result in all_results:
        ceiling = result["ceiling"]["rps"] or 1
        lines.append(
            f"| {result['size']} | *ceiling* | 0 | | {ceiling:.0f} | {result['ceiling']['p50']:.1f} | "
            f"{result['ceiling']['p99']:.1f} | 100% | | |"
        )
        for name, page in result["pages"].items():
            uncached, cached = page["uncached"], page["cached"]
            lines.append(
                f"| {result['size']} | {name} | {page['queries']} | {page['bytes'] / 1024:.1f} | "
                f"{uncached['rps']:.0f} | {uncached['p50']:.1f} | {uncached['p99']:.1f} | "
                f"{100 * uncached['rps'] / ceiling:.1f}% | {cached['rps']:.0f} | "
                f"{100 * cached['rps'] / ceiling:.1f}% |"
            )
    lines.append("")
    for result in all_results:
        errors = sum(
            p["uncached"]["errors"] + p["cached"]["errors"] for p in result["pages"].values()
        )
        lines.append(
            f"- N = {result['size']}: built in {result['build_seconds']:.0f} s; approve-and-publish "
            f"{result['approve_seconds'] * 1000:.0f} ms of server time (cache purge included); "
            f"largest worker after the sitemap and feed runs {result['worker_rss_mb']:.0f} MB; "
            f"{errors} failed responses."
        )
    first, last = all_results[0], all_results[-1]
    for name in ("topic", "article"):
        kept = last["pages"][name]["uncached"]["rps"] / (
            first["pages"][name]["uncached"]["rps"] or 1
        )
        lines.append(
            f"- {name} at N = {last['size']} keeps {100 * kept:.0f}% of its N = {first['size']} throughput (uncached)."
        )
    return "\n".join(lines)


def main():
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    WORK.mkdir(parents=True, exist_ok=True)
    all_results = []
    for size in SIZES:
        print(f"N = {size}: building and measuring…", file=sys.stderr)
        all_results.append(run_size(size))
        (WORK / "results.json").write_text(json.dumps(all_results, indent=2))
    table = report(all_results)
    (WORK / "results.md").write_text(table + "\n")
    print(table)


if __name__ == "__main__":
    main()
