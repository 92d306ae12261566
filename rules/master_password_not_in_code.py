"""RDS019 master-password-not-in-code: the master password is in the configuration, or not protected as a secret.

Why
    A master password written in a ``.tf`` file, or as the default of a variable, is in
    the repository, its history and every clone: anyone who can read the code can
    sign in as the database's most privileged user.  A variable that carries it must
    be ``sensitive = true`` so that plans, logs and outputs do not show it, and get its
    value from outside the code (``TF_VAR_...``, a secrets store).  Better still,
    ``manage_master_user_password = true`` lets RDS generate the password and keep it
    in Secrets Manager, rotated, so that it is neither in the code nor in the
    Terraform state (a ``password`` argument always is).  The rule reads how
    ``password`` (``aws_db_instance``) or ``master_password`` (``aws_rds_cluster``,
    Aurora and Multi-AZ DB clusters) is written: a value known from the configuration
    without any variable (a literal, or locals made of literals) is high; a variable
    with a default is high; a variable that is not sensitive is medium; otherwise, not
    using ``manage_master_user_password`` is low.  Databases without a password
    (replicas, restores) are not checked.  Messages never show the password.
    Controls: HIPAA 164.312(d) person or entity authentication and
    164.308(a)(5)(ii)(D) password management.
"""

from __future__ import annotations

from rdspolicy.rule import Rule, fail, passed, unknown

from . import _rds

NONCOMPLIANT = '''
resource "aws_db_instance" "pacs" {
  engine         = "postgres"
  engine_version = "16.3"
  instance_class = "db.r6g.large"
  username       = "pacs_admin"
  password       = "change-me-later"
}
'''

COMPLIANT = '''
resource "aws_db_instance" "pacs" {
  engine                      = "postgres"
  engine_version              = "16.3"
  instance_class              = "db.r6g.large"
  username                    = "pacs_admin"
  manage_master_user_password = true
}
'''

PASSWORD_ARGUMENT = {"aws_db_instance": "password", "aws_rds_cluster": "master_password"}


def _variable_verdicts(variables, at):
    for variable in variables:
        name = variable.name
        if not variable.declared:
            yield unknown(f"the master password comes from var.{name}, which is not declared, so whether it is "
                          "sensitive and has no default is unknown", at, severity="medium")
            continue
        if variable.has_default:
            yield fail(f'variable "{name}" gives the master password a default value: the password is written in '
                       "the configuration", at, severity="high")
        if not variable.sensitive:
            yield fail(f'variable "{name}" carries the master password but is not sensitive = true: plans and '
                       "logs show it", at, severity="medium")


def check(resource, ctx):
    manage = resource.attr("manage_master_user_password")
    managed = _rds.truthy(manage)
    if managed is True:
        yield passed(at=manage)
        return
    arg = PASSWORD_ARGUMENT[resource.type]
    password = resource.attr(arg)
    if password.absent:
        return  # a replica or restore, or no password at all: not this rule's business
    written = ctx.written(resource, arg)  # in the module (root or called) that declares the database
    verdicts = []
    if written is not None:
        if written.literal:
            verdicts.append(fail(f"{arg} is written in the configuration (the value is known without any "
                                 "variable): use manage_master_user_password, or a sensitive variable without "
                                 "a default", password, severity="high"))
        else:
            verdicts += _variable_verdicts(written.variables, password)
    if not any(v.status == "fail" and v.severity in ("high", "medium") for v in verdicts):
        if managed is None:
            verdicts.append(unknown(f"manage_master_user_password is unknown: {_rds.unknown_reason(manage)}",
                                    manage, severity="low"))
        else:
            verdicts.append(fail(f"{arg} is set and manage_master_user_password is not: the password is stored in "
                                 "the Terraform state; let RDS manage it in Secrets Manager "
                                 "(manage_master_user_password = true)", password, severity="low"))
    yield from verdicts


RULE = Rule(
    id="RDS019",
    name="master-password-not-in-code",
    severity="high",
    summary="The master password must not be in the code; use a sensitive variable or manage_master_user_password.",
    rationale=__doc__.split("Why", 1)[1].strip(),
    noncompliant=NONCOMPLIANT,
    compliant=COMPLIANT,
    resource_types=("aws_db_instance", "aws_rds_cluster"),
    check=check,
    references=(
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html",
        "https://developer.hashicorp.com/terraform/language/values/variables#suppressing-values-in-cli-output",
    ),
    controls=("HIPAA 164.312(d)", "HIPAA 164.308(a)(5)(ii)(D)"),
)
