# Strip markers on an interpolation (${~ ... ~}): the pinned python-hcl2 grammar has no
# rule for them, so rdspolicy cannot parse this file (see DISAGREEMENTS.md).
output "tpl_018" { value = "x ${~ "y" ~} z" }
