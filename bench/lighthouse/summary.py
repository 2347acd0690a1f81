"""Print Lighthouse's scores per page and every audit that failed, from run.sh's JSON reports.

Usage: summary.py REPORT_DIR LANGUAGE FORM_FACTOR (reports named <page>-<language>-<form>.json)
"""

import json
import sys
from pathlib import Path

CATEGORIES = ("accessibility", "best-practices", "seo")
PAGES = ("landing", "dashboard", "products", "imports", "insights")
TARGET = 95


def main(folder: Path, language: str, form_factor: str) -> int:
    rows, failing = [], []
    for page in PAGES:
        report = json.loads((folder / f"{page}-{language}-{form_factor}.json").read_text())
        scores = [round(report["categories"][c]["score"] * 100) for c in CATEGORIES]
        rows.append((page, scores, report["finalDisplayedUrl"]))
        for category in CATEGORIES:
            for ref in report["categories"][category]["auditRefs"]:
                audit = report["audits"][ref["id"]]
                if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                    items = (audit.get("details") or {}).get("items") or []
                    where = [
                        (item.get("node") or {}).get("selector") or item.get("url") or ""
                        for item in items[:4]
                    ]
                    failing.append((page, category, ref["id"], audit["title"], where))
    print(f"Lighthouse {language} {form_factor} (target {TARGET})")
    print("| page | accessibility | best practices | SEO |")
    print("|---|---|---|---|")
    for page, scores, _url in rows:
        print(f"| {page} | " + " | ".join(str(s) for s in scores) + " |")
    print("\nfailing audits:")
    for page, category, audit_id, title, where in failing:
        print(f"- {page} [{category}] {audit_id}: {title} {'; '.join(w for w in where if w)}")
    below = [page for page, scores, _url in rows if min(scores) < TARGET]
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), sys.argv[2], sys.argv[3]))
