# Collection functions.
output "coll_001" { value = concat([1], [2, 3], []) }
output "coll_002" { value = concat(["a"], [1]) }
output "coll_003" { value = contains(["a", "b"], "b") }
output "coll_004" { value = contains([1, 2], "1") }
output "coll_005" { value = contains(toset(["a"]), "a") }
output "coll_006" { value = distinct(["b", "a", "b", "c", "a"]) }
output "coll_007" { value = distinct([1, "1"]) }
output "coll_008" { value = element(["a", "b", "c"], 4) }
output "coll_009" { value = can(element(["a", "b", "c"], -1)) }
output "coll_010" { value = can(element([], 0)) }
output "coll_011" { value = flatten([[1, [2, [3]]], [], [[]], 4]) }
output "coll_012" { value = flatten([]) }
output "coll_013" { value = keys({ b = 1, a = 2, c = 3 }) }
output "coll_014" { value = values({ b = 1, a = 2, c = 3 }) }
output "coll_015" { value = length([1, 2, 3]) }
output "coll_016" { value = length({ a = 1 }) }
output "coll_017" { value = length(toset(["a", "a"])) }
output "coll_018" { value = lookup({ a = "x" }, "a", "d") }
output "coll_019" { value = lookup({ a = "x" }, "b", "d") }
output "coll_020" { value = can(lookup({ a = "x" }, "b")) }
output "coll_021" { value = lookup(local.dbs, "orders", null).port }
output "coll_022" { value = lookup({ a = 1 }, "b", "str") }
output "coll_023" { value = merge({ a = 1, b = 2 }, { b = 3, c = 4 }) }
output "coll_024" { value = merge() }
output "coll_025" { value = merge({ a = "x" }, { b = [1] }) }
output "coll_026" { value = merge({ tags = { a = 1 } }, { tags = { b = 2 } }) }
output "coll_027" { value = one(["x"]) }
output "coll_028" { value = can(one([1, 2])) }
output "coll_029" { value = one(toset([])) }
output "coll_030" { value = range(3) }
output "coll_031" { value = range(1, 4) }
output "coll_032" { value = range(10, 0, -3) }
output "coll_033" { value = range(0, 1, 0.25) }
output "coll_034" { value = range(0) }
output "coll_035" { value = can(range(1, 4, -1)) }
output "coll_036" { value = reverse([1, 2, 3]) }
output "coll_037" { value = setproduct(["a", "b"], [1, 2]) }
output "coll_038" { value = setproduct([], [1]) }
output "coll_039" { value = setunion(["b", "a"], ["c", "a"]) }
output "coll_040" { value = setintersection(["a", "b"], ["b", "c"]) }
output "coll_041" { value = setsubtract(["a", "b", "c"], ["b"]) }
output "coll_042" { value = slice(["a", "b", "c", "d"], 1, 3) }
output "coll_043" { value = slice([1], 1, 1) }
output "coll_044" { value = can(slice([1], 0, 2)) }
output "coll_045" { value = sort(["b", "a", "C", "10", "9"]) }
output "coll_046" { value = sort([3, 1, 2]) }
output "coll_047" { value = toset(["b", "a", "b"]) }
output "coll_048" { value = toset([3, 10, 1]) }
output "coll_049" { value = toset([true, false]) }
output "coll_050" { value = toset([1, "a"]) }
output "coll_051" { value = tolist(toset(["c", "a"])) }
output "coll_052" { value = tolist([1, "a"]) }
output "coll_053" { value = tomap({ a = 1, b = "x" }) }
output "coll_054" { value = can(tomap({ a = 1, b = [1] })) }
output "coll_055" { value = zipmap(["a", "b"], [1, 2]) }
output "coll_056" { value = zipmap(["a", "a"], [1, 2]) }
output "coll_057" { value = can(zipmap(["a"], [1, 2])) }
output "coll_058" { value = coalesce("", "a") }
output "coll_059" { value = coalesce(null, 1, 2) }
output "coll_060" { value = coalesce(1, "a") }
output "coll_061" { value = can(coalesce(null, "")) }
output "coll_062" { value = coalescelist([], ["a"], ["b"]) }
output "coll_063" { value = compact(["a", "", "b"]) }
output "coll_064" { value = index(["a", "b"], "b") }
output "coll_065" { value = can(index(["a"], "z")) }
output "coll_066" { value = alltrue([]) }
output "coll_067" { value = alltrue(["true", true]) }
output "coll_068" { value = anytrue([]) }
output "coll_069" { value = sum([1, 2.5, "3"]) }
output "coll_070" { value = can(sum([])) }
output "coll_071" { value = transpose({ a = ["1", "2"], b = ["2", "3"] }) }
output "coll_072" { value = chunklist(["a", "b", "c", "d", "e"], 2) }
output "coll_073" { value = chunklist([1, 2], 0) }
output "coll_074" { value = matchkeys(["i-1", "i-2", "i-3"], ["us", "eu", "us"], ["us"]) }
output "coll_075" { value = keys(toset(["a"]) == toset(["a"]) ? { x = 1 } : {}) }
output "coll_076" { value = [for k, v in merge(local.dbs, { extra = { engine = "x", version = "1", multi_az = false, port = 1 } }) : k] }
output "coll_077" { value = contains(keys(local.dbs), "audit") }
output "coll_078" { value = lookup(var.known.tags, "team", "none") }
output "coll_079" { value = element(local.words, 5) }
output "coll_080" { value = distinct(flatten(local.rules[*].cidrs)) }
output "coll_081" { value = sort(local.words) }
output "coll_082" { value = max(var.n_list...) }
output "coll_083" { value = can(concat(local.rules...) == [] ? 1 : 2) }
output "coll_084" { value = merge([{ a = 1 }, { b = 2 }]...) }
output "coll_085" { value = length(setproduct(local.words, [1, 2])) }
output "coll_086" { value = setsubtract(var.s_set, ["a"]) }
output "coll_087" { value = contains(var.s_set, "c") }
