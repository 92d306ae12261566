# Tuples, objects, indexing, attributes, splats.
output "ex_001" { value = [1, "a", true, null] }
output "ex_002" { value = [] }
output "ex_003" { value = {} }
output "ex_004" { value = { a = 1, "b-c" = 2, "d" : 3 } }
output "ex_005" { value = { (local.words[0]) = 1 } }
output "ex_006" { value = { "${"k"}${1}" = true } }
output "ex_007" { value = { 1 = "one" } }
output "ex_008" { value = { true = "t" } }
output "ex_009" { value = [1, 2, 3][1] }
output "ex_010" { value = [1, 2, 3]["1"] }
output "ex_011" { value = { a = 1 }["a"] }
output "ex_012" { value = { a = 1 }.a }
output "ex_013" { value = local.nested.a.b.c[2] }
output "ex_014" { value = local.nested["a"]["b"].c[0] }
output "ex_015" { value = local.dbs.orders.version }
output "ex_016" { value = local.dbs["billing"].port }
output "ex_017" { value = [[1, 2], [3]][0][1] }
output "ex_018" { value = [[1, 2]][0].1 }
output "ex_019" { value = local.rules[*].port }
output "ex_020" { value = local.rules.*.port }
output "ex_021" { value = local.rules[*].cidrs[0] }
output "ex_022" { value = local.rules.*.cidrs }
output "ex_023" { value = [{ a = { b = 1 } }, { a = { b = 2 } }][*].a.b }
output "ex_024" { value = [[1, 2], [3, 4]][*][0] }
output "ex_025" { value = { x = 1 }[*] }
output "ex_026" { value = "s"[*] }
output "ex_027" { value = var.nullable_default[*] }
output "ex_028" { value = length(var.nullable_default[*]) }
output "ex_029" { value = [][*].a }
output "ex_030" { value = [{ a = 1 }][*]["a"] }
output "ex_031" { value = can([1][5]) }
output "ex_032" { value = can({ a = 1 }.b) }
output "ex_033" { value = can({ a = 1 }["b"]) }
output "ex_034" { value = can([1][-1]) }
output "ex_035" { value = can([1][0.5]) }
output "ex_036" { value = can(null.a) }
output "ex_037" { value = can("abc"[0]) }
output "ex_038" { value = can([1]["a"]) }
output "ex_039" { value = var.known.name }
output "ex_040" { value = var.known.opt }
output "ex_041" { value = var.known.tags }
output "ex_042" { value = var.known }
output "ex_043" { value = var.n_list }
output "ex_044" { value = var.s_set }
output "ex_045" { value = var.nullable_default }
output "ex_046" { value = var.nullable_default == null }
output "ex_047" { value = var.known.port + 1 }
output "ex_048" { value = local.dbs }
output "ex_049" { value = keys(local.dbs) }
output "ex_050" { value = [for s in var.s_set : s] }
output "ex_051" { value = var.s_set[*] }
output "ex_052" { value = tolist(var.s_set)[0] }
output "ex_053" { value = can(var.s_set[0]) }
output "ex_054" { value = { for k, v in var.known.tags : k => v } }
output "ex_055" { value = var.known.tags["env"] }
