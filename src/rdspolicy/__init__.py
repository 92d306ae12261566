"""rdspolicy: a compliance checker for Terraform that configures PostgreSQL on AWS
RDS and Aurora."""

__version__ = "0.1.0"

# set by the console script (cli.console_main), which leaves with os._exit: what a
# check parsed and built is kept here rather than freed object by object (several
# percent of a large run), since the process ends at once anyway
keep_until_exit: list | None = None


def __getattr__(name):  # keep `import rdspolicy` cheap: pluggy only when a pack needs it
    if name == "hookimpl":
        import pluggy

        return pluggy.HookimplMarker("rdspolicy")
    raise AttributeError(name)
