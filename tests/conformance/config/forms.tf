# for expressions, templates, directives, heredocs, escapes.
output "for_001" { value = [for x in [1, 2, 3] : x * 2] }
output "for_002" { value = [for x in [1, 2, 3] : x if x != 2] }
output "for_003" { value = [for i, x in ["a", "b"] : "${i}=${x}"] }
output "for_004" { value = { for k, v in { a = 1, b = 2 } : v => k } }
output "for_005" { value = { for x in ["a", "b", "a"] : x => x... } }
output "for_006" { value = { for k, v in local.dbs : k => v.port if v.engine == "postgres" } }
output "for_007" { value = [for k, v in local.dbs : k] }
output "for_008" { value = [for v in local.dbs : v.version] }
output "for_009" { value = [for k in { b = 1, a = 2, c = 3 } : k] }
output "for_010" { value = { for w in local.words : substr(w, 0, 1) => w } }
output "for_011" { value = { for w in local.words : length(w) => w... } }
output "for_012" { value = [for r in local.rules : [for c in r.cidrs : "${r.port}:${c}"]] }
output "for_013" { value = flatten([for r in local.rules : [for c in r.cidrs : { port = r.port, cidr = c }]]) }
output "for_014" { value = [for s in toset(["b", "a"]) : upper(s)] }
output "for_015" { value = [for i, s in toset(["b", "a"]) : i] }
output "for_016" { value = can([for c in "abc" : c if false] == [] ? "x" : "y") }
output "for_017" { value = [for x in [] : x] }
output "for_018" { value = { for x in [] : x => x } }
output "for_019" { value = [for x in [3, 1] : x if x > 5] }
output "for_020" { value = can({ for x in ["a", "a"] : x => 1 }) }
output "for_021" { value = can([for x in null : x]) }
output "for_022" { value = { for i, v in ["x", "y"] : i => v } }
output "for_023" { value = [for k, v in { a = [1], b = [2, 3] } : length(v)] }
output "for_024" { value = { for k, v in { a = 1 } : upper(k) => v * 10 } }
output "for_025" { value = [for x in range(5) : x * x if x % 2 == 0] }
output "for_026" { value = { for p in [{ n = "a", v = 1 }, { n = "b", v = 2 }] : p.n => p } }
output "for_027" { value = [for x in [null, 1, null] : x == null] }
output "for_028" { value = { for v in [1, 2, 3] : v % 2 == 0 ? "even" : "odd" => v... } }
output "tpl_001" { value = "n=${1 + 1}" }
output "tpl_002" { value = "${1 + 1}" }
output "tpl_003" { value = "${true}" }
output "tpl_004" { value = "a${"b"}c" }
output "tpl_005" { value = "x${1.5}y" }
output "tpl_006" { value = "${1e10}" }
output "tpl_007" { value = "v${9007199254740993}" }
output "tpl_008" { value = "v${1/3}" }
output "tpl_009" { value = "${true}!" }
output "tpl_010" { value = "%{ if true }yes%{ else }no%{ endif }" }
output "tpl_011" { value = "%{ if false }yes%{ endif }" }
output "tpl_012" { value = "%{ if "true" }s%{ endif }" }
output "tpl_013" { value = "%{ for x in [1, 2] }${x};%{ endfor }" }
output "tpl_014" { value = "%{ for k, v in { b = 2, a = 1 } }${k}=${v},%{ endfor }" }
output "tpl_015" { value = "%{ for x in [] }${x}%{ endfor }" }
output "tpl_016" { value = "[%{ for i, x in ["a", "b"] }${i}:${x} %{ endfor }]" }
output "tpl_017" { value = "a  %{~ if true ~}  b  %{~ endif ~}  c" }
output "tpl_019" { value = "$${literal}" }
output "tpl_020" { value = "%%{literal}" }
output "tpl_022" { value = "tab\there\nnew \"q\" back\\slash" }
output "tpl_023" { value = "\u00e9\U0001F600" }
output "tpl_024" { value = "$" }
output "tpl_025" { value = "100%" }
output "tpl_026" { value = "a$b%c" }
output "tpl_027" { value = "${"${"nested"}"}" }
output "tpl_028" { value = "%{ for w in local.words }%{ if length(w) > 5 }${w} %{ endif }%{ endfor }" }
output "tpl_029" { value = can("${[1]}") }
output "tpl_030" { value = can("${null}") }
output "tpl_031" { value = can("a${null}") }
output "tpl_032" { value = can("%{ if null }x%{ endif }") }
output "tpl_033" { value = "${"a"}" == "a" }
output "tpl_034" { value = "${5}" == 5 }
output "tpl_035" { value = "${5}x" == "5x" }
output "tpl_036" { value = "${[1, 2]}" }
output "tpl_037" { value = "${null}" }
output "tpl_038" { value = "" }

output "heredoc_001" {
  value = <<EOT
hello
  world
EOT
}

output "heredoc_002" {
  value = <<-EOT
    indented
      more
    back
  EOT
}

output "heredoc_003" {
  value = <<-EOT
    a
  b
  EOT
}

output "heredoc_004" {
  value = <<EOT
x = ${1 + 2}
$${not}
%{ for x in ["a", "b"] ~}
- ${x}
%{ endfor ~}
end
EOT
}

output "heredoc_005" {
  value = <<-EOT
	tab
	  tab2
  EOT
}

output "heredoc_006" {
  value = <<-EOT

    blank line above
    
    blank line with spaces above
  EOT
}

output "heredoc_007" {
  value = <<EOT
no "escapes" \n here \t
EOT
}

output "heredoc_008" {
  value = <<-EOT
      ${"interp"} first
    second
  EOT
}

output "heredoc_009" {
  value = <<EOT
EOT
}

output "heredoc_010" {
  value = <<-EOT
    %{ if true }yes%{ endif }
  EOT
}

output "heredoc_011" {
  value = jsondecode(<<EOT
{"a": [1, 2, {"b": null}]}
EOT
  )
}
