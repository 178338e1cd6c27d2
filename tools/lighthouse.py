"""Lighthouse 12.2.3 scores for the key pages, mobile and desktop, against `make serve`.

    make lighthouse        (installs lighthouse into var/tools, serves on 127.0.0.1:8190)

Prints a Markdown table of the four category scores per page and preset, and writes the full
JSON reports to var/lighthouse/.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "var" / "tools" / "node_modules" / ".bin" / "lighthouse"
REPORTS = ROOT / "var" / "lighthouse"
PAGES = {
    "home": "/",
    "topic": "/writing/data-engineering/",
    "article": "/writing/data-engineering/sql-for-data-scientists/",
    "case study": "/case-studies/supply-chain-forecasting/",
}
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync"
)


def run(base_url: str, name: str, path: str, preset: str) -> dict:
    output = REPORTS / f"{name.replace(' ', '-')}-{preset}.json"
    command = [
        str(LIGHTHOUSE),
        base_url + path,
        "--output=json",
        f"--output-path={output}",
        "--quiet",
        f"--chrome-flags={CHROME_FLAGS}",
        f"--only-categories={','.join(CATEGORIES)}",
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    for attempt in range(3):  # headless Chrome now and then loses the trace (NO_NAVSTART)
        if subprocess.run(command, env=env).returncode == 0:
            break
        print(f"lighthouse failed on {path} ({preset}), attempt {attempt + 1}", file=sys.stderr)
    else:
        raise SystemExit(f"lighthouse could not audit {path} ({preset})")
    report = json.loads(output.read_text())
    for category in CATEGORIES:
        for ref in report["categories"][category]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                print(
                    f"  {name} {preset} {category}: {audit['id']}: {audit['title']}",
                    file=sys.stderr,
                )
    return {
        category: round(report["categories"][category]["score"] * 100) for category in CATEGORIES
    }


def main():
    base_url = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8190"
    REPORTS.mkdir(parents=True, exist_ok=True)
    rows = []
    for preset in ["mobile", "desktop"]:
        for name, path in PAGES.items():
            scores = run(base_url, name, path, preset)
            rows.append((name, preset, scores))
            print(f"{name} ({preset}): {scores}", file=sys.stderr)
    print("| page | preset | performance | accessibility | best practices | SEO |")
    print("|---|---|---|---|---|---|")
    for name, preset, scores in rows:
        print(f"| {name} | {preset} | " + " | ".join(str(scores[c]) for c in CATEGORIES) + " |")


if __name__ == "__main__":
    main()
