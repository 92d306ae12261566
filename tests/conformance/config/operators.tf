# Arithmetic, comparison and logical operators, precedence and conversions.
output "op_001" { value = 1 + 2 * 3 }
output "op_002" { value = (1 + 2) * 3 }
output "op_003" { value = 10 - 4 - 3 }
output "op_004" { value = 2 * 3 % 4 }
output "op_005" { value = 7 % 3 }
output "op_006" { value = -7 % 3 }
output "op_007" { value = 7 % -3 }
output "op_008" { value = 7.5 % 2 }
output "op_009" { value = 10 / 4 }
output "op_010" { value = 1 / 3 }
output "op_011" { value = 2 / 3 * 3 }
output "op_012" { value = 0.1 + 0.2 }
output "op_013" { value = 1e3 }
output "op_014" { value = 1.5e-3 * 1000 }
output "op_015" { value = -(-3) }
output "op_016" { value = - 2 * 3 }
output "op_017" { value = 9007199254740993 }
output "op_018" { value = 9007199254740993 + 0 }
output "op_019" { value = 123456789 * 1000000 }
output "op_020" { value = 3 - 5 }
output "op_021" { value = "16.1" + 0 }
output "op_022" { value = "16" * 2 }
output "op_023" { value = "5" == 5 }
output "op_024" { value = "5" != 5 }
output "op_025" { value = 5 == 5.0 }
output "op_026" { value = true == "true" }
output "op_027" { value = true == 1 }
output "op_028" { value = null == null }
output "op_029" { value = "a" == null }
output "op_030" { value = [1, 2] == [1, 2] }
output "op_031" { value = [1, 2] == [2, 1] }
output "op_032" { value = { a = 1 } == { a = 1 } }
output "op_033" { value = { a = 1 } == { a = "1" } }
output "op_034" { value = [] == [] }
output "op_035" { value = {} == {} }
output "op_036" { value = tolist([]) == [] }
output "op_037" { value = tolist(["a"]) == ["a"] }
output "op_038" { value = tomap({ a = "b" }) == { a = "b" } }
output "op_039" { value = toset(["a"]) == toset(["a"]) }
output "op_040" { value = 1 < 2 }
output "op_041" { value = 2 <= 2 }
output "op_042" { value = 3 > 4 }
output "op_043" { value = 3 >= 3.5 }
output "op_044" { value = "10" > 9 }
output "op_045" { value = "10" < "9" }
output "op_046" { value = true && false }
output "op_047" { value = true || false }
output "op_048" { value = !true }
output "op_049" { value = !false && true }
output "op_050" { value = "true" && true }
output "op_051" { value = !"false" }
output "op_052" { value = true || false && false }
output "op_053" { value = (true || false) && false }
output "op_054" { value = 1 + 2 == 3 && 4 > 3 }
output "op_055" { value = 1 == 1 == true }
output "op_056" { value = !(1 > 2) }
output "op_057" { value = true ? "y" : "n" }
output "op_058" { value = false ? "y" : "n" }
output "op_059" { value = 1 > 2 ? 1 : 1 < 2 ? 2 : 3 }
output "op_060" { value = "true" ? 1 : 2 }
output "op_061" { value = true ? 1 : "two" }
output "op_062" { value = false ? 1 : "2" }
output "op_063" { value = true ? null : "x" }
output "op_064" { value = false ? [1] : [] }
output "op_065" { value = true ? { a = 1 } : { a = 2 } }
output "op_066" { value = can(1 + "a") }
output "op_067" { value = can("a" * 2) }
output "op_068" { value = can(true + 1) }
output "op_069" { value = can(null + 1) }
output "op_070" { value = can(!null) }
output "op_071" { value = can(null ? 1 : 2) }
output "op_072" { value = can(1 / 0) }
output "op_073" { value = can(1 % 0) }
output "op_074" { value = can([1] == 1) }
output "op_075" { value = can(1 < "a") }
output "op_076" { value = can(true ? 1 : [1]) }
output "op_077" { value = can(-"a") }
output "op_078" { value = can(- true) }
output "op_079" { value = -"3" }
output "op_080" { value = 1 + 0.5 }
output "op_081" { value = 0.5 * 4 }
output "op_082" { value = 1.0 }
output "op_083" { value = 100 / 3 * 3 }
output "op_084" { value = 2 * 0.1 }
output "op_085" { value = 5 % 2.5 }
