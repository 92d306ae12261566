# null semantics and unknown values.
output "null_001" { value = null }
output "null_002" { value = [null] }
output "null_003" { value = { a = null } }
output "null_004" { value = coalesce(null, "x") }
output "null_005" { value = try(null.a, "fallback") }
output "null_006" { value = null == false }
output "null_007" { value = null != null }
output "null_008" { value = merge({ a = 1 }, null) }
output "null_009" { value = length([null, null]) }
output "null_010" { value = compact(["a", null, "", "b"]) }
output "null_011" { value = lookup({ a = null }, "a", "d") }
output "null_012" { value = jsonencode(null) }
output "null_013" { value = jsonencode({ a = null }) }
output "null_014" { value = tostring(null) }
output "null_015" { value = tonumber(null) }
output "null_016" { value = can(upper(null)) }
output "null_017" { value = can(length(null)) }
output "null_018" { value = one([]) }
output "null_019" { value = try(local.nested.x, null) }
output "null_020" { value = concat([null], [1]) }
output "null_021" { value = can(contains([null], null)) }
output "null_022" { value = coalescelist([], [null]) }

# unknowns: known whenever the result does not depend on them
output "unk_001" { value = local.us }
output "unk_002" { value = local.uid }
output "unk_003" { value = [1, local.us, "b"] }
output "unk_004" { value = { a = local.un, b = 2 } }
output "unk_005" { value = length([local.us, 1]) }
output "unk_006" { value = length({ a = local.us }) }
output "unk_007" { value = keys({ a = local.us, b = 1 }) }
output "unk_008" { value = values({ a = local.us, b = 1 }) }
output "unk_009" { value = local.us == local.us }
output "unk_010" { value = upper(local.us) }
output "unk_011" { value = "pre-${local.us}" }
output "unk_012" { value = local.un + 1 }
output "unk_013" { value = local.un * 0 }
output "unk_014" { value = local.ub ? "a" : "b" }
# rdspolicy knows: "same"
output "unk_015" { value = local.ub ? "same" : "same" }
output "unk_016" { value = true ? "known" : local.us }
output "unk_017" { value = false ? local.us : "known" }
# rdspolicy knows: true
output "unk_018" { value = true || local.ub }
# rdspolicy knows: true
output "unk_019" { value = local.ub || true }
# rdspolicy knows: false
output "unk_020" { value = false && local.ub }
# rdspolicy knows: false
output "unk_021" { value = local.ub && false }
output "unk_022" { value = false || local.ub }
output "unk_023" { value = true && local.ub }
output "unk_024" { value = !local.ub }
output "unk_025" { value = local.uid == null }
output "unk_026" { value = local.uid != null }
output "unk_027" { value = local.us == null }
output "unk_028" { value = [local.us] == [1, 2] }
output "unk_029" { value = [for x in local.ul : x] }
output "unk_030" { value = [for x in ["a", "b"] : local.us] }
output "unk_031" { value = [for x in ["a", "b"] : x if local.ub] }
output "unk_032" { value = { for k in ["a", "b"] : k => local.un } }
output "unk_033" { value = { for k in ["a"] : local.us => k } }
output "unk_034" { value = local.ul[0] }
output "unk_035" { value = local.um.a }
output "unk_036" { value = local.ul[*] }
output "unk_037" { value = [local.um][*].a }
output "unk_038" { value = ["a", "b"][local.un] }
output "unk_039" { value = { a = 1 }[local.us] }
output "unk_040" { value = merge({ a = local.us }, { b = 1 }) }
output "unk_041" { value = merge({ a = 1 }, local.um) }
output "unk_042" { value = concat([local.us], ["b"]) }
output "unk_043" { value = concat(local.ul, ["b"]) }
output "unk_044" { value = contains(["a", local.us], "a") }
output "unk_045" { value = contains(["a", local.us], "z") }
output "unk_046" { value = coalesce("x", local.us) }
output "unk_047" { value = coalesce(local.us, "x") }
output "unk_048" { value = coalesce(local.uid, "x") }
output "unk_049" { value = lookup({ a = 1, b = local.un }, "a") }
output "unk_050" { value = lookup({ a = 1 }, local.us, 0) }
output "unk_051" { value = element(["a", local.us], 0) }
output "unk_052" { value = flatten([[local.us], ["b"]]) }
output "unk_053" { value = jsonencode({ a = local.us }) }
output "unk_054" { value = try(local.us, "fallback") }
output "unk_055" { value = try(local.um.zzz, "fallback") }
output "unk_056" { value = can(local.us) }
output "unk_057" { value = can(local.um.zzz) }
output "unk_058" { value = tostring(local.us) }
output "unk_059" { value = format("%s-%s", "a", local.us) }
output "unk_060" { value = join(",", ["a", local.us]) }
output "unk_061" { value = join(",", local.ul) }
output "unk_062" { value = split(",", local.us) }
output "unk_063" { value = length(local.ul) }
output "unk_064" { value = length(split(",", local.us)) }
output "unk_065" { value = distinct(["a", local.us]) }
output "unk_066" { value = toset(["a", local.us]) }
output "unk_067" { value = length(toset(["a", local.us])) }
output "unk_068" { value = sort(["b", local.us]) }
output "unk_069" { value = reverse([1, local.un]) }
output "unk_070" { value = slice([1, local.un, 3], 0, 1) }
output "unk_071" { value = zipmap(["a", "b"], [1, local.un]) }
output "unk_072" { value = zipmap(["a", local.us], [1, 2]) }
output "unk_073" { value = tomap({ a = local.us }) }
output "unk_074" { value = tolist([local.us, "b"]) }
output "unk_075" { value = max(1, local.un) }
output "unk_076" { value = min(local.un) }
output "unk_077" { value = abs(local.un) }
output "unk_078" { value = one([local.us]) }
output "unk_079" { value = compact(["a", local.us]) }
output "unk_080" { value = index(["a", local.us], "a") }
output "unk_081" { value = alltrue([true, local.ub]) }
output "unk_082" { value = alltrue([false, local.ub]) }
output "unk_083" { value = anytrue([true, local.ub]) }
output "unk_084" { value = anytrue([false, local.ub]) }
output "unk_085" { value = sum([1, local.un]) }
output "unk_086" { value = setunion(["a"], [local.us]) }
output "unk_087" { value = "%{ if local.ub }a%{ else }b%{ endif }" }
output "unk_088" { value = "%{ for x in local.ul }${x}%{ endfor }" }
output "unk_089" { value = cidrsubnet(local.us, 8, 1) }
output "unk_090" { value = regex("a", local.us) }
output "unk_091" { value = replace(local.us, "a", "b") }
output "unk_092" { value = startswith(local.us, "a") }
output "unk_093" { value = timestamp() }
output "unk_094" { value = uuid() }
output "unk_095" { value = length(uuid()) }
output "unk_096" { value = [local.us, local.un][1] }
output "unk_097" { value = local.ul == null }
output "unk_098" { value = [local.us] == [local.us] }
output "unk_099" { value = local.un > 3 }
output "unk_100" { value = can(local.un + 1) }
output "unk_101" { value = try(local.un + 1, 0) }
output "unk_102" { value = nonsensitive(sensitive(local.us)) }
output "unk_103" { value = local.ub == true }
output "unk_104" { value = { a = local.us }.a }
output "unk_105" { value = { a = local.us, b = "k" }.b }
output "unk_106" { value = [local.us, "k"][1] }
output "unk_107" { value = coalescelist([], [local.us]) }
output "unk_108" { value = setproduct(["a"], [local.us]) }
output "unk_109" { value = transpose({ a = [local.us] }) }
output "unk_110" { value = templatefile("${path.module}/files/greeting.tftpl", { name = local.us, ports = [1] }) }
