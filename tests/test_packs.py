"""Rule packs from folders (--rules-dir, rules_dirs in the configuration): loaded,
configurable and in findings; an empty or missing folder and an id that collides with a
built-in rule are errors; a configuration inside the scanned repository may not import
code unless --trust-repo-config."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from samples import CLEAN, write

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "rdspolicy-example-pack"

RULE_FILE = '''
from pathlib import Path

from rdspolicy.rule import Param, Rule, fail, passed

Path(__file__).with_name("imported.marker").write_text("imported")


def check(resource, ctx):
    want = ctx.params["identifier_prefix"]
    ident = resource.attr("identifier")
    if (str(ident.value) if ident.known else "").startswith(want):
        yield passed(at=ident)
    else:
        yield fail(f"identifier must start with {want}", ident)


RULE = Rule(
    id="ORG001", name="identifier-prefix", severity="low", summary="Identifiers start with the prefix.",
    rationale="Naming.", noncompliant='resource "aws_db_instance" "x" {}',
    compliant='resource "aws_db_instance" "x" {\\n  identifier = "org-x"\\n}',
    resource_types=("aws_db_instance",), check=check,
    parameters=(Param("identifier_prefix", "org-", "the prefix", str),),
)
'''


def test_rules_dir_rules_run_and_are_configurable(work, rds):
    write(work, {"policy/org.py": RULE_FILE, "policy/_helper.py": "raise SystemExit('helpers are not packs')",
                 "db/main.tf": CLEAN})
    listed = rds("rules", "--rules-dir", "policy")
    assert listed.code == 0, listed
    assert "ORG001  identifier-prefix" in listed.out
    result = rds("check", "db", "--rules-dir", "policy", "--format", "json")
    assert result.code == 1
    assert [(f["rule"], f["message"]) for f in result.findings()] == [("ORG001", "identifier must start with org-")]
    write(work, {"db/.rdspolicy.hcl": 'rule "ORG001" {\n  identifier_prefix = ""\n}\n'})
    assert rds("check", "db", "--rules-dir", "policy").code == 0


def test_a_folder_without_rules_is_an_error(work, rds):
    write(work, {"empty/README.md": "nothing here", "nothing/other.py": "X = 1\n", "db/main.tf": CLEAN})
    for folder, words in (("empty", "no rule found"), ("nothing", "no rule found"), ("missing", "no such folder")):
        result = rds("check", "db", "--rules-dir", folder)
        assert result.code == 2, result
        assert words in result.out + result.err and folder in result.out + result.err, result


def test_an_id_of_a_built_in_rule_is_a_clear_error(work, rds):
    write(work, {"policy/clash.py": RULE_FILE.replace('id="ORG001"', 'id="RDS001"'), "db/main.tf": CLEAN})
    result = rds("rules", "--rules-dir", "policy")
    assert result.code == 2
    assert "its id is already used by the built-in rule RDS001 (storage-encrypted)" in result.err, result


def test_repository_configuration_may_not_import_code(work, rds):
    write(work, {"repo/policy/org.py": RULE_FILE, "repo/db/main.tf": CLEAN,
                 "repo/.rdspolicy.hcl": 'rules_dirs = ["policy"]\nrule "ORG001" {\n  identifier_prefix = "x"\n}\n'})
    (work / "repo" / ".git").mkdir()
    marker = work / "repo" / "policy" / "imported.marker"
    result = rds("check", "repo/db")
    assert result.code == 2, result
    assert "--trust-repo-config" in result.out + result.err
    assert not marker.exists(), "the repository's rule file was imported"
    # trusted: loaded
    result = rds("check", "repo/db", "--trust-repo-config", "--format", "json")
    assert marker.exists()
    assert [f["rule"] for f in result.findings()] == ["ORG001"]
    # the same file given with --config is the user's choice: trusted
    marker.unlink()
    result = rds("check", "repo/db", "--config", "repo/.rdspolicy.hcl", "--format", "json")
    assert [f["rule"] for f in result.findings()] == ["ORG001"] and marker.exists()


def test_example_pack_from_its_source_folder(work, rds):
    """The example pack's rules through --rules-dir-like loading of its module (the
    installed entry point is tested in test_packaging.py)."""
    sys.path.insert(0, str(EXAMPLE / "src"))
    try:
        from rdspolicy.plugins import load_rules

        loaded = load_rules(extra_modules=["rdspolicy_example_pack"])
    finally:
        sys.path.remove(str(EXAMPLE / "src"))
    assert loaded.errors == []
    assert {"EXM001", "EXM002"} <= {r.id for r in loaded.rules}


def test_example_pack_own_tests_pass():
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(EXAMPLE)],
                          capture_output=True, text=True, cwd=EXAMPLE, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert " passed" in proc.stdout


# ---------------------------------------------------------------- entry points without importlib.metadata


def _metadata_entry_points(group: str) -> list[tuple[str, str]]:
    from importlib.metadata import entry_points

    return [(ep.name, ep.value) for ep in entry_points(group=group)]


def test_entry_points_are_read_as_importlib_metadata_reads_them(tmp_path, monkeypatch):
    from rdspolicy import plugins

    def dist(folder: Path, name: str, text: str | None) -> None:
        (folder / name).mkdir(parents=True)
        (folder / name / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name.split('-')[0]}\n")
        if text is not None:
            (folder / name / "entry_points.txt").write_text(text)

    first, second = tmp_path / "first", tmp_path / "second"
    dist(first, "acme_rules-1.0.dist-info", "# a comment\n[rdspolicy]\nacme = acme_rules\n\n"
                                            "[console_scripts]\nacme = acme_rules:main\n"
                                            "[rdspolicy]\n  other =  acme_rules.more:RULES.pack  \n")
    dist(first, "Old.Pack-0.1.egg-info", "[rdspolicy]\nold = old_pack\n")
    dist(first, "no_entry_points-2.0.dist-info", None)
    dist(second, "acme.rules-2.0.dist-info", "[rdspolicy]\nshadowed = acme_rules_two\n")  # same name: not read
    dist(second, "zeta-1.0.dist-info", "[rdspolicy]\nzeta = zeta_pack [extra]\n")
    monkeypatch.syspath_prepend(str(second))
    monkeypatch.syspath_prepend(str(first))
    for group in ("rdspolicy", "console_scripts", "pytest11", "nothing"):
        assert plugins._entry_points_on_path(group) == _metadata_entry_points(group)
    found = [(name, value) for name, value, _ in plugins._entry_points("rdspolicy")]
    # a folder's distributions come in the order it lists them; the first folder's first
    assert sorted(found[:3]) == [("acme", "acme_rules"), ("old", "old_pack"), ("other", "acme_rules.more:RULES.pack")]
    assert found[3] == ("zeta", "zeta_pack [extra]")


def test_entry_points_load_as_importlib_metadata_loads_them(tmp_path, monkeypatch):
    from importlib.metadata import EntryPoint

    from rdspolicy import plugins

    (tmp_path / "pack_for_loading.py").write_text("class Holder:\n    RULES = ['a rule']\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    for value in ("pack_for_loading", "pack_for_loading:Holder.RULES", "pack_for_loading : Holder [extra]"):
        assert plugins._load(value) == EntryPoint("x", value, "rdspolicy").load()
    for value in ("pack_for_loading:Missing", "no_such_pack_module", "not a value"):
        with pytest.raises(Exception) as ours:
            plugins._load(value)
        with pytest.raises(Exception) as theirs:
            EntryPoint("x", value, "rdspolicy").load()
        assert (type(ours.value), str(ours.value)) == (type(theirs.value), str(theirs.value))


def test_entry_points_fall_back_to_importlib_metadata(tmp_path, monkeypatch):
    from rdspolicy import plugins

    class Finder:  # another source of distributions
        @staticmethod
        def find_distributions(context=None):
            return iter(())

    monkeypatch.setattr(sys, "meta_path", [*sys.meta_path, Finder])
    assert plugins._entry_points_on_path("rdspolicy") is None
    assert [(n, v) for n, v, _ in plugins._entry_points("rdspolicy")] == _metadata_entry_points("rdspolicy")
    monkeypatch.undo()
    archive = tmp_path / "packs.zip"
    archive.write_bytes(b"PK\x05\x06" + b"\0" * 18)  # an empty zip file
    monkeypatch.syspath_prepend(str(archive))
    assert plugins._entry_points_on_path("rdspolicy") is None
