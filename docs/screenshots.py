"""Take the screenshots of the HTML report that the README shows, with headless
Chromium (``/usr/bin/chromium``, or ``CHROMIUM``):

    python docs/screenshots.py

- ``docs/html-report.png``: the top of the report of ``fixtures/pacs``: the counts,
  the environments and the first environment's matrix of controls with findings;
- ``docs/html-report-findings.png``: its findings, by resource, the first cards opened.

The second is the same page with its header and matrices hidden and the first cards
open (CSS added to a copy of the page); nothing is drawn or edited by hand.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WINDOW = (1400, 1000)
OPENED = 3  # finding cards opened in the second screenshot


def chromium(profile: Path, *args: str) -> None:
    binary = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    subprocess.run([binary, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    "--disable-background-networking", "--no-first-run", f"--user-data-dir={profile}",
                    f"--window-size={WINDOW[0]},{WINDOW[1]}", *args],
                   check=True, capture_output=True, timeout=120)


def findings_view(page: str) -> str:
    """The page showing its findings first: header and matrices hidden, cards opened."""
    page = page.replace("</style>", "header, section.environment { display: none; }</style>", 1)
    for _ in range(OPENED):
        page = page.replace('<details class="finding fail" id=', '<details open class="finding fail" id=', 1)
    return page


def main() -> int:
    sys.path.insert(0, str(ROOT / "src"))
    from rdspolicy import cli

    os.chdir(ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        page = tmp / "pacs.html"
        status = cli.run(["check", "fixtures/pacs", "--format", "html", "--as-of", "2026-12-01", "-o", str(page)])
        if status not in (0, 1):
            return status
        chromium(tmp / "profile", f"--screenshot={ROOT / 'docs' / 'html-report.png'}", page.as_uri())
        second = tmp / "findings.html"
        second.write_text(findings_view(page.read_text(encoding="utf-8")), encoding="utf-8")
        chromium(tmp / "profile", f"--screenshot={ROOT / 'docs' / 'html-report-findings.png'}", second.as_uri())
    print("wrote docs/html-report.png and docs/html-report-findings.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
