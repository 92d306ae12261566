"""RDS018 snapshot-not-public: a database snapshot is shared with every AWS account.

Why
    A snapshot is the whole database.  ``shared_accounts = ["all"]`` on an
    ``aws_db_snapshot``, ``aws_db_cluster_snapshot`` (Aurora and Multi-AZ DB clusters)
    or ``aws_db_snapshot_copy`` makes it public: any AWS account can restore it and read
    every patient record (an unencrypted one at once; AWS refuses to make an encrypted
    snapshot public, so the apply fails there).  Share snapshots with named account
    ids only.  ``shared_accounts`` defaults to none.  Controls: HIPAA 164.312(a)(1)
    access control; AWS Foundational Security Best Practices RDS.1 ("RDS snapshot
    should be private").
"""

from __future__ import annotations

from rdspolicy.rule import Fix, RemoveFromList, Rule, fail, passed, unknown

from . import _rds

NONCOMPLIANT = '''
resource "aws_db_snapshot" "pacs" {
  db_instance_identifier = "pacs"
  db_snapshot_identifier = "pacs-before-upgrade"
  shared_accounts        = ["all"]
}
'''

COMPLIANT = '''
resource "aws_db_snapshot" "pacs" {
  db_instance_identifier = "pacs"
  db_snapshot_identifier = "pacs-before-upgrade"
  shared_accounts        = ["111122223333"]
}
'''


def check(resource, ctx):
    attr = resource.attr("shared_accounts")
    if attr.unknown:
        yield unknown(f"shared_accounts is unknown: {_rds.unknown_reason(attr)}", attr)
        return
    values = attr.value if attr.known and isinstance(attr.value, (list, tuple, set)) else (
        [attr.value] if attr.known else [])
    if any(isinstance(v, str) and v.strip().lower() == "all" for v in values):
        yield fail('shared_accounts includes "all": every AWS account can restore this snapshot and read the '
                   "database", attr)
    elif any(not isinstance(v, str) for v in values):
        yield unknown("some of shared_accounts is known only after apply", attr)
    else:
        yield passed(at=attr)



def fix(resource, ctx, verdict):
    return Fix('remove "all" from shared_accounts', (RemoveFromList("shared_accounts", "all"),))


RULE = Rule(
    id="RDS018",
    name="snapshot-not-public",
    severity="critical",
    summary='Database and cluster snapshots must not be shared with all accounts (shared_accounts = ["all"]).',
    rationale=__doc__.split("Why", 1)[1].strip(),
    noncompliant=NONCOMPLIANT,
    compliant=COMPLIANT,
    resource_types=("aws_db_snapshot", "aws_db_cluster_snapshot", "aws_db_snapshot_copy"),
    check=check,
    references=(
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ShareSnapshot.html",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-1",
    ),
    controls=("HIPAA 164.312(a)(1)", "FSBP RDS.1"),
    fix=fix,
)
