"""``--format html``: the compliance page.  The structure and escaping are checked with
Python's HTML parser; what a reader sees (the matrix on the first screen, its cells
coloured like the legend, the counts) is checked in headless Chromium, which is
skipped, with the reason, when /usr/bin/chromium is absent (``.ci/run`` installs it)."""

from __future__ import annotations

import dataclasses
import html
import json
import os
import re
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from rdspolicy import cli
from rdspolicy.findings import EnvironmentInfo, Finding, PassedCheck, Report, Suppression
from rdspolicy.plugins import load_rules
from rdspolicy.report import FORMATS, _matrix, render
from rdspolicy.rule import Rule, passed
from rdspolicy.testing import check

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
needs_chromium = pytest.mark.skipif(
    not os.access(CHROMIUM, os.X_OK),
    reason="headless Chromium is not installed (/usr/bin/chromium; .ci/run installs the Debian package chromium)",
)

# test data: which controls each built-in rule supports (issue 6a writes the real ones
# into the rules); RDS007 is left without controls to show the fallback row
CONTROLS = {
    "RDS001": ("HIPAA 164.312(a)(2)(iv)", "FSBP RDS.3"),
    "RDS002": ("HIPAA 164.312(a)(2)(iv)",),
    "RDS003": ("HIPAA 164.308(a)(7)", "FSBP RDS.5"),
    "RDS004": ("FSBP RDS.8",),
    "RDS005": ("HIPAA 164.308(a)(7)", "FSBP RDS.11"),
    "RDS006": ("CIS 2.3.3",),
}

HOSTILE = '</script><script>alert(1)</script>"\'><img src=x onerror=alert(2)>&amp;<!--|`x`'


def rules_with_controls():
    return [dataclasses.replace(r, controls=CONTROLS.get(r.id, ())) for r in load_rules().rules]


def pacs_report(rules):
    return check("fixtures/pacs", rules, allow_errors=True).report


# -- a small report made by hand -------------------------------------------------------

def make_rule(rule_id, name, controls=(), **kw):
    fields = dict(
        id=rule_id, name=name, severity="high", summary="A summary.", rationale="Why it matters.",
        noncompliant='resource "x" "y" {}', compliant='resource "x" "y" { ok = true }',
        resource_types=("aws_db_instance",), check=lambda r, c: [passed()], controls=tuple(controls),
    )
    fields.update(kw)
    return Rule(**fields)


def finding(rule, resource, status="fail", environment="prod", suppression=None, **kw):
    fields = dict(rule=rule, name="a-rule", severity="high", status=status, resource=resource,
                  environment=environment, module="m", file="m/main.tf", line=1, column=1, end_line=1,
                  end_column=2, message="a message", suppression=suppression)
    fields.update(kw)
    return Finding(**fields)


def small_report():
    a, b = "aws_db_instance.a", "aws_rds_cluster.b"
    findings = [
        finding("RDS001", a),
        finding("RDS002", b, status="unknown"),
        finding("RDS003", a, suppression=Suppression(kind="inSource", reason="accepted")),
        finding("RDS003", "aws_security_group.sg"),
    ]
    checks = [PassedCheck(rule=rule, resource=resource, environment="prod", module="m", file="m/main.tf", line=1)
              for rule, resource in (("RDS001", b), ("RDS002", a), ("RDS004", a))]
    rules = [make_rule("RDS001", "one", ["HIPAA 164.312(a)(2)(iv)", "FSBP RDS.3"]),
             make_rule("RDS002", "two", ["HIPAA 164.312(a)(2)(iv)"]),
             make_rule("RDS003", "three", ["FSBP RDS.11"]),
             make_rule("RDS004", "four")]
    report = Report(findings=findings, environments=[EnvironmentInfo(module="m", name="prod", production=True,
                                                                     var_files=[], resources=3)],
                    diagnostics=[], rules=[r.id for r in rules], passed=len(checks), passed_checks=checks)
    return report, rules


def test_matrix_rows_are_controls_then_rules_without_controls():
    report, rules = small_report()
    (m,) = _matrix.build(report, rules)
    assert [r.control for r in m.rows] == ["HIPAA 164.312(a)(2)(iv)", "FSBP RDS.3", "FSBP RDS.11", "RDS004 four"]
    assert m.rows[0].rules == ["RDS001", "RDS002"]
    assert m.columns == ["aws_db_instance.a", "aws_rds_cluster.b", _matrix.OTHER]
    status = {(r.control, c): m.cell(i, c).status for i, r in enumerate(m.rows) for c in m.columns}
    # HIPAA row: RDS001 fails on a, RDS002 passes on a -> fail; on b RDS001 passes, RDS002 unknown -> unknown
    assert status["HIPAA 164.312(a)(2)(iv)", "aws_db_instance.a"] == "fail"
    assert status["HIPAA 164.312(a)(2)(iv)", "aws_rds_cluster.b"] == "unknown"
    assert status["FSBP RDS.3", "aws_rds_cluster.b"] == "pass"
    assert status["FSBP RDS.11", "aws_db_instance.a"] == "suppressed"
    assert status["FSBP RDS.11", "aws_rds_cluster.b"] == "none"
    assert status["FSBP RDS.11", _matrix.OTHER] == "fail"
    assert status["RDS004 four", "aws_db_instance.a"] == "pass"
    assert m.counts == {"fail": 2, "unknown": 1, "suppressed": 1, "pass": 3}


def test_database_columns_under_modules():
    assert _matrix.resource_type('module.db["a.b"].module.x[0].aws_rds_cluster.main') == "aws_rds_cluster"
    assert _matrix.is_database("module.x.aws_rds_global_cluster.g")
    assert not _matrix.is_database("aws_db_parameter_group.aws_db_instance")


class Structure(HTMLParser):
    """Every tag, attribute and text node of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attrs, self.texts = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [(tag, k, v) for k, v in attrs]

    def handle_data(self, data):
        self.texts.append(data)


def parse(page: str) -> Structure:
    parser = Structure()
    parser.feed(page)
    parser.close()
    return parser


def test_page_loads_nothing_and_has_no_script():
    report, rules = small_report()
    page = render("html", report, rules=rules)
    parsed = parse(page)
    assert "script" not in parsed.tags and "img" not in parsed.tags and "link" not in parsed.tags
    assert not any(k == "src" or k.startswith("on") for _, k, _ in parsed.attrs)
    assert all(v.startswith(("#", "https://", "http://")) for t, k, v in parsed.attrs if k == "href")
    assert "url(" not in page and "@import" not in page
    csp = [v for t, k, v in parsed.attrs if k == "content" and "default-src" in (v or "")]
    assert csp == ["default-src 'none'; style-src 'unsafe-inline'"]


def test_everything_from_the_input_is_escaped(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    source = tmp_path / f"m{HOSTILE.replace('/', '_')}.tf"
    source.write_text(f'resource "aws_db_instance" "a" {{\n  name = "{HOSTILE}"\n}}\n', encoding="utf-8")
    address = f'aws_db_instance.a["{HOSTILE}"]'
    report = Report(
        findings=[finding("RDS001", address, file=source.name, line=2, end_line=2, message=HOSTILE,
                          environment=HOSTILE, module=HOSTILE,
                          suppression=None),
                  finding("RDS002", address, file=source.name, message="x", environment=HOSTILE, module=HOSTILE,
                          suppression=Suppression(kind="external", reason=HOSTILE, file=HOSTILE, line=3))],
        environments=[EnvironmentInfo(module=HOSTILE, name=HOSTILE, production=False, var_files=[HOSTILE],
                                      resources=1)],
        diagnostics=[], rules=["RDS001", "RDS002"], passed=0, passed_checks=[],
    )
    rules = [make_rule("RDS001", "one", [HOSTILE], rationale=HOSTILE, compliant=HOSTILE, summary=HOSTILE,
                       references=("javascript:alert(3)", HOSTILE)),
             make_rule("RDS002", "two")]
    page = render("html", report, rules=rules)
    parsed = parse(page)
    # nothing from the input became markup: the only tags are the reporter's own
    assert set(parsed.tags) <= {"html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "h4",
                                "p", "section", "table", "thead", "tbody", "tr", "th", "td", "a", "span", "ul",
                                "li", "main", "article", "code", "pre", "details", "summary", "div", "strong", "wbr",
                                "input", "label"}
    assert "<script" not in page.lower() and "<img" not in page.lower() and "<!--" not in page
    assert not any(k.startswith("on") or (v or "").startswith("javascript:") for _, k, v in parsed.attrs)
    # ... and it is all shown as text, attributes included
    text = "".join(parsed.texts)
    assert text.count(HOSTILE) >= 6  # message, environment, module, suppression, control, rationale, example
    assert f'name = "{HOSTILE}"' in text  # the source line of the excerpt
    assert any(k == "title" and address in v for _, k, v in parsed.attrs)
    assert any(k == "data-environment" and v == HOSTILE for _, k, v in parsed.attrs)


def test_excerpt_shows_the_lines_around_the_finding_and_hides_literal_secrets(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    lines = [f"# line {n}" for n in range(1, 21)]
    lines[9] = '  password = "hunter2"'
    (tmp_path / "main.tf").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = Report(findings=[finding("RDS001", "aws_db_instance.a", file="main.tf", line=10, end_line=10)],
                    environments=[], diagnostics=[], rules=["RDS001"], passed_checks=[])
    page = render("html", report, rules=[make_rule("RDS001", "one")])
    shown = re.findall(r'<span class="ln">(\d+)</span>', page)
    assert shown == ["8", "9", "10", "11", "12"]
    assert re.search(r'class="l hit"><span class="ln">10</span>', page)
    assert "hunter2" not in page and 'password = &quot;(redacted)&quot;' in page


def test_a_block_is_marked_by_its_first_line_and_cut(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "main.tf").write_text("".join(f"# line {n}\n" for n in range(1, 41)), encoding="utf-8")
    report = Report(findings=[finding("RDS001", "aws_db_instance.a", file="main.tf", line=3, end_line=30)],
                    environments=[], diagnostics=[], rules=["RDS001"], passed_checks=[])
    page = render("html", report, rules=[make_rule("RDS001", "one")])
    assert re.findall(r'<span class="ln">(\d+)</span>', page) == [str(n) for n in range(1, 10)]
    assert re.findall(r'class="l hit"><span class="ln">(\d+)', page) == ["3"]
    assert "(the block goes on to line 30)" in page


def json_of_pacs(tmp_path) -> dict:
    """``rdspolicy check fixtures/pacs --format json``, run from the repository root."""
    out = tmp_path / "pacs.json"
    assert cli.run(["check", "fixtures/pacs", "--format", "json", "-o", str(out)]) == 1
    return json.loads(out.read_text(encoding="utf-8"))


def test_formats_are_registered_and_the_cli_writes_the_page(tmp_path, monkeypatch):
    assert FORMATS["html"] == "rdspolicy.report.html" and FORMATS["markdown"] == "rdspolicy.report.markdown"
    monkeypatch.chdir(ROOT)
    out = tmp_path / "report.html"
    assert cli.run(["check", "fixtures/pacs", "--format", "html", "-o", str(out)]) == 1
    page = out.read_text(encoding="utf-8")
    data = json_of_pacs(tmp_path)
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert page.count('<section class="environment"') == len(data["environments"]) == 3
    # one card per problem, whatever the number of environments it occurs in (the name as a
    # word: "pacs-production-main" is another log group than "pacs-staging-main")
    distinct = {(f["rule"], f["resource"], f["file"], f["line"], f["column"], f["status"],
                 re.sub(rf"(?<![\w.-]){f['environment']}(?![\w-])", "ENV", f["message"])) for f in data["findings"]}
    assert page.count('<details class="finding') == len(distinct) < len(data["findings"])
    # the excerpt of a resource's code once, however many findings it has
    resources = {(f["file"], f["resource"]) for f in data["findings"]}
    assert page.count('<pre class="code">') == len(resources)


# -- what Chromium shows ---------------------------------------------------------------

PROBE = r"""<script nonce="probe">(function () {
  const shown = e => { const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none' && +s.opacity > 0; };
  const counts = root => Object.fromEntries([...root.querySelectorAll(':scope > .counts [data-count]')]
    .map(li => [li.dataset.count, li.innerText]));
  const out = { viewport: innerHeight, total: counts(document.getElementById('summary')), legend: {}, envs: [],
    images: document.images.length, scripts: document.scripts.length, text: document.body.innerText };
  document.querySelectorAll('[data-legend]').forEach(li => {
    out.legend[li.dataset.legend] = getComputedStyle(li).backgroundColor; });
  document.querySelectorAll('section.environment').forEach(sec => {
    const env = { name: sec.dataset.environment, counts: counts(sec) };
    const t = sec.querySelector('table.matrix');
    if (t) {
      const r = t.getBoundingClientRect();
      env.matrix = { top: r.top + scrollY, bottom: r.bottom + scrollY, shown: shown(t),
        columns: [...t.querySelectorAll('thead th[data-column]')].map(th => th.dataset.column),
        rows: [...t.querySelectorAll('tbody tr')].map(tr => { const th = tr.querySelector('th');
          return { label: th.firstChild.textContent, rules: th.dataset.rules.split(' '), shown: shown(tr),
            cells: [...tr.querySelectorAll('td')].map(td => ({ status: td.dataset.status, text: td.innerText,
              bg: getComputedStyle(td).backgroundColor, shown: shown(td) })) }; }) };
    }
    out.envs.push(env);
  });
  // the "all controls" checkboxes (CSS only) show every row
  document.querySelectorAll('input.all-controls').forEach(box => { box.checked = true; });
  out.envs.forEach((env, i) => { const t = document.querySelectorAll('section.environment')[i]
    .querySelector('table.matrix'); if (t) env.rows_after_toggle = [...t.querySelectorAll('tbody tr')]
    .filter(shown).length; });
  const pre = document.createElement('pre'); pre.id = 'probe'; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();</script>"""

WINDOW = (1400, 1000)


def chromium(tmp_path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "chromium-profile"
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
         f"--user-data-dir={profile}", f"--window-size={WINDOW[0]},{WINDOW[1]}", *args],
        capture_output=True, text=True, timeout=60, check=False,
    )


def probe(page: str, tmp_path) -> dict:
    """What Chromium shows of a page: the page plus a probe script that records
    positions, computed colours and visible text (the page's own CSP forbids scripts,
    so this copy allows the probe's, by its nonce, and no other)."""
    page = page.replace("default-src 'none';", "default-src 'none'; script-src 'nonce-probe';", 1)
    head, sep, tail = page.rpartition("</body>")
    path = tmp_path / "probe.html"
    path.write_text(head + PROBE + sep + tail, encoding="utf-8")
    done = chromium(tmp_path, "--dump-dom", path.as_uri())
    found = re.findall(r'<pre id="probe">(.*?)</pre>', done.stdout, re.S)
    assert found, f"Chromium showed no probe (exit {done.returncode}): {done.stderr[-2000:]}"
    return json.loads(html.unescape(found[-1]))


def worst(outcomes):
    for status in _matrix.STATUSES:
        if status in outcomes:
            return status
    return "none"


@pytest.fixture(scope="module")
def pacs_shown(tmp_path_factory):
    """fixtures/pacs checked with rules that name controls, and what Chromium shows of its page."""
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        rules = rules_with_controls()
        report = pacs_report(rules)
        page = render("html", report, rules=rules)
    finally:
        os.chdir(cwd)
    return report, rules, probe(page, tmp_path_factory.mktemp("pacs"))


@needs_chromium
def test_chromium_shows_the_matrix_coloured_with_the_right_counts(pacs_shown):
    report, rules, shown = pacs_shown
    assert shown["images"] == 0 and shown["scripts"] == 1  # the probe's own

    legend = shown["legend"]
    assert set(legend) == set(_matrix.STATUSES)
    assert len(set(legend.values())) == len(legend), f"statuses share a colour: {legend}"
    totals = {"fail": len(report.failed), "unknown": len(report.unknown), "suppressed": len(report.suppressed),
              "pass": report.passed}
    assert {k: int(v.split()[0]) for k, v in shown["total"].items()} == totals

    assert [e["name"] for e in shown["envs"]] == ["development", "production", "staging"]
    first = shown["envs"][0]["matrix"]
    assert first["shown"] and first["top"] < shown["viewport"], "the first matrix is not on the first screen"
    by_rule = {r.id: r for r in rules}
    for env in shown["envs"]:
        name, matrix = env["name"], env["matrix"]
        mine = [f for f in report.findings if f.environment == name]
        checks = [c for c in report.passed_checks if c.environment == name]
        assert {k: int(v.split()[0]) for k, v in env["counts"].items()} == {
            "fail": sum(f.status == "fail" for f in mine), "unknown": sum(f.status == "unknown" for f in mine),
            "suppressed": 0, "pass": len(checks)}
        databases = sorted({x.resource for x in [*mine, *checks] if _matrix.is_database(x.resource)})
        assert sorted(c for c in matrix["columns"] if c != _matrix.OTHER) == databases
        # rows: the controls named by the rules, and each rule without controls (RDS007) as its own row
        labels = [row["label"] for row in matrix["rows"]]
        expected_rows = {c for r in rules for c in r.controls} | {f"{r.id} {r.name}" for r in rules if not r.controls}
        assert "RDS007 postgres16-parameter-family" in expected_rows
        assert sorted(labels) == sorted(expected_rows)
        assert labels[0].startswith("HIPAA ")
        # only the controls with findings are shown; the checkbox shows them all
        with_findings = [r for r in matrix["rows"] if any(c["status"] in ("fail", "unknown", "suppressed")
                                                          for c in r["cells"])]
        assert [r["label"] for r in matrix["rows"] if r["shown"]] == [r["label"] for r in with_findings]
        assert 0 < len(with_findings) < len(matrix["rows"]) == env["rows_after_toggle"]
        for row in with_findings:
            assert all(rule in by_rule for rule in row["rules"])
            for column, cell in zip(matrix["columns"], row["cells"]):
                if column == _matrix.OTHER:
                    on = lambda x: not _matrix.is_database(x.resource)  # noqa: E731
                else:
                    on = lambda x, column=column: x.resource == column  # noqa: E731
                outcomes = {f.status for f in mine if f.rule in row["rules"] and on(f)}
                outcomes |= {"pass" for c in checks if c.rule in row["rules"] and on(c)}
                expected = worst(outcomes)
                assert cell["status"] == expected, (name, row["label"], column)
                assert cell["shown"] and cell["bg"] == legend[expected], (name, row["label"], column, cell)
                label = _matrix.STATUS_LABELS[expected] if expected != "none" else "–"
                assert cell["text"].startswith(label)
    production = next(e for e in shown["envs"] if e["name"] == "production")["matrix"]
    statuses = {c["status"] for row in production["rows"] if row["shown"] for c in row["cells"]}
    assert {"fail", "pass", "none"} <= statuses


@needs_chromium
def test_chromium_shows_hostile_names_as_text(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "main.tf").write_text(f'resource "aws_db_instance" "a" {{\n  name = "{HOSTILE}"\n}}\n',
                                      encoding="utf-8")
    address = f'aws_db_instance.a["{HOSTILE}"]'
    report = Report(findings=[finding("RDS001", address, file="main.tf", line=2, end_line=2, message=HOSTILE,
                                      environment=HOSTILE)],
                    environments=[EnvironmentInfo(module="m", name=HOSTILE, production=False, var_files=[],
                                                  resources=1)],
                    diagnostics=[], rules=["RDS001"], passed_checks=[])
    shown = probe(render("html", report, rules=[make_rule("RDS001", "one", [HOSTILE])]), tmp_path)
    assert shown["images"] == 0 and shown["scripts"] == 1
    assert shown["envs"][0]["name"] == HOSTILE
    assert shown["envs"][0]["matrix"]["rows"][0]["label"].startswith(HOSTILE)
    assert shown["text"].count(HOSTILE) >= 3
    assert f'name = "{HOSTILE}"' in shown["text"]


def _add_bytes(x: bytes, y: bytes) -> bytes:
    """Bytewise (x + y) mod 256 of two equal-length strings, all at once."""
    n = len(x)
    a, b = int.from_bytes(x, "big"), int.from_bytes(y, "big")
    low, high = int.from_bytes(b"\x7f" * n, "big"), int.from_bytes(b"\x80" * n, "big")
    return (((a & low) + (b & low)) ^ ((a ^ b) & high)).to_bytes(n, "big")


def png_pixels(data: bytes):
    """(width, height, rows of RGB tuples) of an 8-bit, non-interlaced RGB or RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (length,), kind = struct.unpack(">I", data[pos:pos + 4]), data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, color_type, _, _, interlace = header
    assert depth == 8 and color_type in (2, 6) and interlace == 0, header
    n = 3 if color_type == 2 else 4
    raw, stride = zlib.decompress(idat), width * n
    rows, prev = [], bytes(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)]
        if kind == 2:  # up: the whole row at once
            line = _add_bytes(line, prev)
        elif kind in (1, 3, 4):
            out = bytearray(line)
            for i in range(stride):
                a = out[i - n] if i >= n else 0
                b = prev[i]
                if kind == 1:
                    out[i] = (out[i] + a) & 255
                elif kind == 3:
                    out[i] = (out[i] + (a + b) // 2) & 255
                else:
                    c = prev[i - n] if i >= n else 0
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    out[i] = (out[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
            line = bytes(out)
        rows.append(line)
        prev = line
    return width, height, [[tuple(row[x:x + 3]) for x in range(0, stride, n)] for row in rows]


@needs_chromium
def test_the_cli_page_renders_without_loading_anything_and_the_screenshot_shows_the_matrix(
        tmp_path, monkeypatch, pacs_shown):
    monkeypatch.chdir(ROOT)
    page_path = tmp_path / "pacs.html"
    assert cli.run(["check", "fixtures/pacs", "--format", "html", "-o", str(page_path)]) == 1
    shot = tmp_path / "shot.png"
    # laid out in a 1400x1000 window, painted at half scale to keep the pixels few
    done = chromium(tmp_path, "--enable-logging=stderr", "--v=0", "--force-device-scale-factor=0.5",
                    f"--screenshot={shot}", page_path.as_uri())
    assert shot.exists(), done.stderr[-2000:]
    assert "Content Security Policy" not in done.stderr  # nothing was refused: nothing was asked for
    width, height, rows = png_pixels(shot.read_bytes())
    assert (width, height) == (WINDOW[0] // 2, WINDOW[1] // 2)
    # the first screen shows matrix cells in the legend's fail and pass colours
    colours = {s: tuple(int(n) for n in re.findall(r"\d+", v)[:3]) for s, v in pacs_shown[2]["legend"].items()}
    area = {s: sum(row.count(colours[s]) for row in rows) for s in ("fail", "pass")}
    cell = 30 * 10  # a matrix cell covers at least this many pixels at half scale
    assert area["fail"] >= 3 * cell and area["pass"] >= 10 * cell, area


def test_docs_screenshots_are_referenced_from_the_readme_and_made_by_a_script():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    script = (ROOT / "docs" / "screenshots.py").read_text(encoding="utf-8")
    for name in ("html-report.png", "html-report-findings.png"):
        assert f"docs/{name}" in readme and name in script
        data = (ROOT / "docs" / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"


def pdf_pages(data: bytes) -> int:
    """The page count of a PDF Chromium printed: its page tree's root /Count (the
    largest one), else the number of page objects."""
    counts = [int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", data, re.S)]
    counts += [int(n) for n in re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", data, re.S)]
    return max(counts) if counts else len(re.findall(rb"/Type\s*/Page\b(?!s)", data))


@needs_chromium
def test_pacs_prints_to_at_most_25_a4_pages(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    page = tmp_path / "pacs.html"
    assert cli.run(["check", "fixtures/pacs", "--format", "html", "-o", str(page)]) == 1
    pdf = tmp_path / "pacs.pdf"
    done = chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    assert pdf.exists(), done.stderr[-2000:]
    data = pdf.read_bytes()
    # A4 (595 x 842 points), as the page's @page rule asks
    assert re.search(rb"/MediaBox\s*\[\s*0\s+0\s+59[45](?:\.\d+)?\s+84[12](?:\.\d+)?\s*\]", data), data[:2000]
    pages = pdf_pages(data)
    assert 0 < pages <= 25, pages
