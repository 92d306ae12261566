# Strip markers on interpolations (${~ ... ~}) as well as on directives.
output "tpl_018" { value = "x ${~ "y" ~} z" }
output "tpl_101" { value = "a   ${~ 1}   b" }
output "tpl_102" { value = "a   ${1 ~}   b" }
output "tpl_103" { value = "[ ${~ "only" ~} ]" }

output "tpl_104" {
  value = <<-EOT
    items:
    %{~ for x in ["a", "b"] ~}
      ${~ x ~}
    %{~ endfor ~}
    end
  EOT
}
