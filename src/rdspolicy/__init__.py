"""rdspolicy: a compliance checker for Terraform that configures PostgreSQL on AWS
RDS and Aurora."""

__version__ = "0.1.0"


def __getattr__(name):  # keep `import rdspolicy` cheap: pluggy only when a pack needs it
    if name == "hookimpl":
        import pluggy

        return pluggy.HookimplMarker("rdspolicy")
    raise AttributeError(name)
