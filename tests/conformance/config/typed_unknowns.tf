# Unknown values whose type Terraform knows (terraform_data's output has the type of its
# input): results Terraform decides from the type alone, and results it cannot.

resource "terraform_data" "nested" {
  input = { db = { port = 5432, tags = ["a"] }, names = ["x", "y", "z"] }
}

resource "terraform_data" "tl" { input = tolist(["a", "b"]) }
resource "terraform_data" "ts" { input = toset(["a", "b"]) }
resource "terraform_data" "tm" { input = tomap({ a = 1, b = 2 }) }

locals {
  unested = terraform_data.nested.output # an unknown object of a known shape
  utl     = terraform_data.tl.output     # an unknown list of strings
  uts     = terraform_data.ts.output     # an unknown set of strings
  utm     = terraform_data.tm.output     # an unknown map of numbers
}

output "typ_001" { value = local.un == "5" }
output "typ_002" { value = local.ub == "true" }
output "typ_003" { value = local.us != 5 }
output "typ_004" { value = local.us == ["x"] }
output "typ_005" { value = local.ul == "a" }
output "typ_006" { value = local.um == 1 }
output "typ_007" { value = local.us == "x" }
output "typ_008" { value = local.un == 5 }
output "typ_009" { value = local.us == null }
output "typ_010" { value = length(local.um) }
output "typ_011" { value = length(local.unested) }
output "typ_012" { value = length(local.unested.names) }
output "typ_013" { value = length(local.unested.db.tags) }
output "typ_014" { value = local.um.a == "1" }
output "typ_015" { value = local.ul[1] == 5 }
output "typ_016" { value = local.unested.db.port == "5432" }
# Terraform's plan does not look into an unknown object indexed with brackets (nor for
# typ_041, typ_042); rdspolicy uses the object's type, which gives the value apply gives.
# rdspolicy knows: false
output "typ_017" { value = local.unested["db"]["port"] == "5432" }
output "typ_018" { value = local.unested.db.port == 5432 }
output "typ_019" { value = can(local.ul[5]) }
output "typ_020" { value = can(local.us.foo) }
output "typ_021" { value = can(local.us[0]) }
output "typ_022" { value = can(local.un.foo) }
output "typ_023" { value = can(local.unested.db.nope) }
output "typ_024" { value = try(local.unested.names[7], "fallback") }
output "typ_025" { value = try(local.unested.db.port, "fallback") }
output "typ_026" { value = can(local.um.a) }
output "typ_027" { value = can(local.ul[1]) }
output "typ_028" { value = flatten([local.um, "b"]) }
output "typ_029" { value = flatten([local.un, [local.ub]]) }
output "typ_030" { value = flatten([local.ul, "b"]) }
output "typ_031" { value = flatten([local.unested.names, "b"]) }
output "typ_032" { value = length(flatten([[local.us, local.un], ["b"]])) }
output "typ_033" { value = tomap({ a = local.un, b = "x" }).a == "5" }
output "typ_034" { value = tolist([local.un, "x"])[0] == 5 }
output "typ_035" { value = length([for x in local.ul : x]) }
output "typ_036" { value = "${local.us}" == 5 }
output "typ_037" { value = [local.us][0] == 5 }
output "typ_038" { value = { k = local.un }.k == "5" }
output "typ_039" { value = length(local.unested.db) }
output "typ_040" { value = can(local.unested.names.foo) }
# rdspolicy knows: false
output "typ_041" { value = can(local.um["zzz"]) }
# rdspolicy knows: "fallback"
output "typ_042" { value = try(local.um["zzz"], "fallback") }
output "typ_043" { value = local.ul.1 == 5 }
output "typ_044" { value = can(local.ul.5) }
output "typ_045" { value = length(local.utl) }
output "typ_046" { value = local.utl[0] == 5 }
output "typ_047" { value = can(local.uts[0]) }
output "typ_048" { value = length(local.uts) }
output "typ_049" { value = local.utm.a == "1" }
output "typ_050" { value = local.utm["a"] == 1 }
output "typ_051" { value = can(local.utl.foo) }
output "typ_052" { value = can(local.uts.foo) }
output "typ_053" { value = flatten([local.utm, [local.utl]]) }
output "typ_054" { value = local.utl == ["a", "b"] }
output "typ_055" { value = local.uts == toset(["a", "b"]) }
output "typ_056" { value = local.utm == { a = 1, b = 2 } }
output "typ_057" { value = [for k, v in local.utm : v] }
output "typ_058" { value = can(local.utm.zzz) }
output "typ_059" { value = local.utl == tolist(["a", "b"]) }
output "typ_060" { value = local.um == { a = "1" } }
output "typ_061" { value = local.um != { a = 1 } }
output "typ_062" { value = local.ul == ["a", 1] }
output "typ_063" { value = local.unested == local.um }
