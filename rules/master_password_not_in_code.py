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
    Aurora and Multi-AZ DB clusters) is written, in the module that declares the
    database: a value known from the configuration without any variable (a literal, or
    locals made of literals, there or in the module call that gives the variable it
    comes from) is high; a variable with a default is high; a variable that is not
    sensitive is medium; otherwise, not using ``manage_master_user_password`` is low.
    The write-only ``password_wo`` / ``master_password_wo`` (Terraform 1.11, AWS
    provider 5.x: sent to AWS, never stored in the plan or the state) are judged the
    same way, except that they are not in the state: a literal is still a password in
    the repository (high), and one from an ``ephemeral = true`` (or sensitive) variable
    without a default passes.  Databases without a password (replicas, restores) are
    not checked.  Messages never show the password.
    Controls: HIPAA 164.312(d) person or entity authentication and
    164.308(a)(5)(ii)(D) password management.
"""

from __future__ import annotations

from rdspolicy.rule import Fix, MarkSensitive, NoFix, ReplaceArgument, Rule, fail, passed, unknown

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
# write-only (AWS provider 5.x and later, Terraform 1.11): sent to AWS, never stored in
# the plan or the state
WRITE_ONLY_ARGUMENT = {"aws_db_instance": "password_wo", "aws_rds_cluster": "master_password_wo"}


def _variable_verdicts(variables, at, write_only=False):
    for variable in variables:
        name = variable.name
        if not variable.declared:
            yield unknown(f"the master password comes from var.{name}, which is not declared, so whether it is "
                          "sensitive and has no default is unknown", at, severity="medium")
            continue
        if variable.has_default:
            yield fail(f'variable "{name}" gives the master password a default value: the password is written in '
                       "the configuration", at, severity="high")
        if not variable.sensitive and not variable.ephemeral:
            yield fail(f'variable "{name}" carries the master password but is not sensitive = true'
                       f'{" or ephemeral = true" if write_only else ""}: plans and logs show it', at,
                       severity="medium")


def check(resource, ctx):
    manage = resource.attr("manage_master_user_password")
    managed = _rds.truthy(manage)
    if managed is True:
        yield passed(at=manage)
        return
    write_only = resource.attr(WRITE_ONLY_ARGUMENT[resource.type])
    if write_only.is_set is not False:
        yield from _write_only(resource, ctx, write_only)
    arg = PASSWORD_ARGUMENT[resource.type]
    password = resource.attr(arg)
    if password.absent:
        return  # a replica or restore, or no password at all: not this rule's business
    verdicts = _how_written(resource, ctx, password)
    if not any(v.status == "fail" and v.severity in ("high", "medium") for v in verdicts):
        if managed is None:
            verdicts.append(unknown(f"manage_master_user_password is unknown: {_rds.unknown_reason(manage)}",
                                    manage, severity="low"))
        else:
            verdicts.append(fail(f"{arg} is set and manage_master_user_password is not: the password is stored in "
                                 "the Terraform state; let RDS manage it in Secrets Manager "
                                 "(manage_master_user_password = true)", password, severity="low"))
    yield from verdicts


def _how_written(resource, ctx, password, write_only=False) -> list:
    """The verdicts on how a password argument is written, in the module (root or
    called) that declares the database: a literal (there or in the call that gives it),
    a variable with a default, a variable that is not sensitive (nor ephemeral, for a
    write-only argument)."""
    written = ctx.written(resource, password.name)
    if written is None:
        return []
    if written.literal:
        how = ("the value is known without any variable" if not written.variables else
               "a literal, written here or in the module call that gives "
               + ", ".join(f"var.{v.name}" for v in written.variables))
        return [fail(f"{password.name} is written in the configuration ({how}): use "
                     "manage_master_user_password, or a sensitive variable without a default",
                     password, severity="high")]
    return list(_variable_verdicts(written.variables, password, write_only))


def _write_only(resource, ctx, password):
    """``password_wo`` / ``master_password_wo``: never in the plan or the state, so only
    how it is written counts; from an ephemeral (or sensitive) variable without a
    default it is what the policy asks for."""
    verdicts = _how_written(resource, ctx, password, write_only=True)
    yield from verdicts or [passed(at=password)]

ROTATES = ("RDS sets a new master password and keeps it in Secrets Manager: clients that use the current password "
           "lose access until they read the secret")


def fix(resource, ctx, verdict):
    arg = getattr(verdict.at, "name", None)  # the argument judged: password or its write-only form
    if arg not in (PASSWORD_ARGUMENT[resource.type], WRITE_ONLY_ARGUMENT[resource.type]):
        arg = PASSWORD_ARGUMENT[resource.type]
    if "is not sensitive = true" in verdict.message:
        name = verdict.message.split('"')[1]
        return Fix(f"mark variable {name} sensitive = true", (MarkSensitive(name),))
    if "gives the master password a default value" in verdict.message:
        return NoFix("remove the variable's default and give the password from outside the code (TF_VAR_..., "
                     "a secret store), or set manage_master_user_password = true")
    return Fix(f"manage_master_user_password = true instead of {arg}",
               (ReplaceArgument(arg, "manage_master_user_password", True),), unsafe=ROTATES)


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
    fix=fix,
)
