"""EXM001 required-tags: a database without the organisation's required tags.

Why
    Tags are how the organisation finds the owner of a database, allocates its cost and
    knows what data it holds: every database must carry ``Project``, ``Environment``
    and ``Purpose`` (the list is the parameter ``required_tags``).  Only the resource's
    own ``tags`` are read: tags added by the provider's ``default_tags`` are not seen.
"""

from __future__ import annotations

from rdspolicy.rule import Param, Rule, fail, passed, unknown


def check(resource, ctx):
    required = list(ctx.params["required_tags"])
    tags = resource.attr("tags")
    if tags.absent:
        yield fail(f"no tags; required: {', '.join(required)}", tags)
        return
    if tags.unknown or not isinstance(tags.value, dict):
        yield unknown(f"tags are unknown: {tags.reason or 'known only after apply'}", tags)
        return
    missing = [name for name in required if name not in tags.value]
    if missing:
        yield fail(f"missing required tag(s): {', '.join(missing)}", tags)
    else:
        yield passed(at=tags)


RULE = Rule(
    id="EXM001",
    name="required-tags",
    severity="low",
    summary="Databases must carry the tags Project, Environment and Purpose.",
    rationale=__doc__.split("Why", 1)[1].strip(),
    noncompliant='''
resource "aws_db_instance" "db" {
  engine = "postgres"
  tags = {
    Project = "pacs"
  }
}
''',
    compliant='''
resource "aws_db_instance" "db" {
  engine = "postgres"
  tags = {
    Project     = "pacs"
    Environment = "production"
    Purpose     = "imaging archive"
  }
}
''',
    resource_types=("aws_db_instance", "aws_rds_cluster"),
    check=check,
    parameters=(Param("required_tags", ["Project", "Environment", "Purpose"], "the tag names every database must carry", list[str]),),
)
