# Edge cases across numbers, strings, Unicode, conversions and collections.
output "num_101" { value = signum(0) }
output "num_102" { value = ceil(-0.5) }
output "num_103" { value = floor(0.999999) }
output "num_104" { value = abs(0) }
output "num_105" { value = max(-1, -2) }
output "num_106" { value = min(0.5, "0.25") }
output "num_107" { value = pow(10, -2) }
output "num_108" { value = pow(0, 0) }
output "num_109" { value = log(1, 10) }
output "num_110" { value = log(100, 10) }
output "num_111" { value = parseint("0777", 8) }
output "num_112" { value = parseint("FF", 16) }
output "num_113" { value = parseint("+12", 10) }
output "num_114" { value = can(parseint("0x1F", 16)) }
output "num_115" { value = can(parseint("", 10)) }
output "num_116" { value = parseint("12345678901234567890", 10) }
output "num_117" { value = 1e21 }
output "num_118" { value = tostring(1e21) }
output "num_119" { value = tostring(123456789.125) }
output "num_120" { value = tostring(0.000001) }
output "num_121" { value = tostring(-0.5) }
output "num_122" { value = "${1e-7}" }
output "num_123" { value = 3 / 2 * 2 }
output "num_124" { value = 0.1 * 3 }
output "num_125" { value = 2 - 0.1 }
output "num_126" { value = 1 - 1 }
output "num_127" { value = 5 % 3.5 }
output "num_128" { value = -5 % -3 }
output "num_129" { value = tonumber("1.50") }
output "num_130" { value = tonumber("007") }
output "num_131" { value = tonumber("-0") }
output "num_132" { value = can(tonumber("1,000")) }
output "num_133" { value = can(tonumber("Infinity")) }
output "num_134" { value = can(tonumber("1.")) }
output "num_135" { value = can(tonumber(".5")) }
output "num_136" { value = sum([0.1, 0.2, 0.3]) }
output "num_137" { value = sum([10, -10]) }
output "num_138" { value = max(1, 2.5, 2) }
output "num_139" { value = jsonencode(1 / 4) }
output "num_140" { value = jsonencode(1e-10) }
output "num_141" { value = jsonencode(123456789012345678) }
output "num_142" { value = jsonencode(-0.0) }
output "num_143" { value = format("%d", 12345678901234567890) }
output "num_144" { value = format("%.2f", 2.675) }
output "num_145" { value = format("%f", 1) }
output "num_146" { value = format("%.0f", 0.5) }
output "num_147" { value = format("%.0f", 1.5) }
output "num_148" { value = format("%e", 0) }
output "num_149" { value = format("%x", "255") }
output "num_150" { value = format("%5.1f|%-7.3e|", 3.14159, 31415.9) }
output "num_151" { value = format("%03d|%+.1f|% d", 7, 2.25, 5) }
output "uni_101" { value = length("👍🏽") }
output "uni_102" { value = length("e\u0301") }
output "uni_103" { value = length("🇫🇷🇩🇪") }
output "uni_104" { value = length("👨‍👩‍👧") }
output "uni_105" { value = strrev("ae\u0301b") }
output "uni_106" { value = substr("👍🏽abc", 0, 2) }
output "uni_107" { value = upper("ǆ") }
output "uni_108" { value = title("ǆemal") }
output "uni_109" { value = lower("İ") }
output "uni_110" { value = upper("ﬀ") }
output "uni_111" { value = split("é", "aébéc") }
output "uni_112" { value = trimspace("\u00a0 x \u2003") }
output "uni_113" { value = title("élan vital") }
output "uni_114" { value = title("o'neil mc-donald") }
output "uni_115" { value = upper("ß") }
output "uni_116" { value = base64encode("👍") }
output "uni_117" { value = urlencode("~-._ !*'()") }
output "uni_118" { value = md5("é") }
output "uni_119" { value = jsonencode("é\u0000\t\u001f") }
output "uni_120" { value = jsonencode("\u007f\u0080") }
output "uni_121" { value = format("%q", "a\"b\n") }
output "uni_122" { value = format("%10s|", "é") }
output "uni_123" { value = strcontains("Ñandú", "ñ") }
output "uni_124" { value = replace("aaa", "a", "bb") }
output "uni_125" { value = replace("a.b.c", "/\\./", "-") }
output "uni_126" { value = replace("x", "/(x)/", "$1$1$$") }
output "uni_127" { value = replace("abc", "/b/", "$0") }
output "uni_128" { value = replace("abc", "/(?P<first>a)/", "$first-") }
output "uni_129" { value = replace("foo bar", "/(\\w+) (\\w+)/", "$2 $1") }
output "uni_130" { value = replace("aaa", "/a/", "") }
output "uni_131" { value = replace("héllo", "/é/", "e") }
output "uni_132" { value = replace("abc", "/x*/", "-") }
output "uni_133" { value = indent(4, "a\n\nb") }
output "uni_134" { value = chomp("x\r\n") }
output "uni_135" { value = chomp("x\n\n") }
output "uni_136" { value = trim("xxaxx", "x") }
output "uni_137" { value = trim("abc", "") }
output "uni_138" { value = trimprefix("aaa", "a") }
output "uni_139" { value = trimsuffix("file.tar.gz", ".gz") }
output "uni_140" { value = startswith("", "") }
output "uni_141" { value = endswith("abc", "") }
output "uni_142" { value = strcontains("abc", "") }
output "uni_143" { value = split(", ", "a, b, c") }
output "uni_144" { value = join("", ["a", "b"]) }
output "uni_145" { value = substr("abc", 1, 0) }
output "uni_146" { value = substr("abc", 3, -1) }
output "uni_147" { value = can(substr("abc", 4, 1)) }
output "uni_148" { value = substr("abcdef", -2, 1) }
output "cnv_101" { value = tostring("x") }
output "cnv_102" { value = tobool(true) }
output "cnv_103" { value = tobool("false") }
output "cnv_104" { value = tonumber(5) }
output "cnv_105" { value = tolist(toset([3, 1])) }
output "cnv_106" { value = toset(tolist(["b", "a", "b"])) }
output "cnv_107" { value = tomap(tomap({ a = "x" })) }
output "cnv_108" { value = tolist([[1], [2, 3]]) }
output "cnv_109" { value = can(tolist([[1], ["a"]])) }
output "cnv_110" { value = tolist([{ a = 1 }, { a = 2 }]) }
output "cnv_111" { value = can(tolist([{ a = 1 }, { b = 2 }])) }
output "cnv_112" { value = tomap({ a = [1], b = [2, 3] }) }
output "cnv_113" { value = tomap({ a = { x = 1 }, b = { x = 2 } }) }
output "cnv_114" { value = toset([[1], [1]]) }
output "cnv_115" { value = toset([null]) }
output "cnv_116" { value = tolist([null, "a"]) }
output "cnv_117" { value = tomap({ a = null, b = 1 }) }
output "cnv_118" { value = tonumber(true ? "5" : "6") }
output "cnv_119" { value = "${true}" == "true" }
output "cnv_120" { value = true ? "5" : 6 }
output "cnv_121" { value = false ? "5" : 6 }
output "cnv_122" { value = false ? true : "no" }
output "cnv_123" { value = true ? [] : ["a"] }
output "cnv_124" { value = true ? {} : { a = 1 } }
output "cnv_125" { value = can(true ? true : 1) }
output "cnv_126" { value = can(false ? "a" : [1]) }
output "cnv_127" { value = true ? null : 1 }
output "cnv_128" { value = 1 == 1.0 }
output "cnv_129" { value = "1" == "1.0" }
output "cnv_130" { value = tonumber("1") == tonumber("1.0") }
output "cnv_131" { value = [1] == tolist([1]) }
output "cnv_132" { value = tolist([1]) == tolist([1]) }
output "cnv_133" { value = tomap({ a = 1 }) == tomap({ a = 1 }) }
output "cnv_134" { value = toset(["a", "b"]) == toset(["b", "a"]) }
output "cnv_135" { value = [for x in [1] : x] == [1] }
output "cnv_136" { value = { for k, v in { a = 1 } : k => v } == { a = 1 } }
output "cnv_137" { value = keys({ a = 1 }) == ["a"] }
output "cnv_138" { value = concat(["a"], ["b"]) == ["a", "b"] }
output "cnv_139" { value = length(toset(["a", "b"])) == 2 }
output "cnv_140" { value = !(null == null) }
output "cnv_141" { value = "${null == null}" }
output "cnv_142" { value = can("a" < "b" ? 1 : 2) }
output "num_201" { value = 0.1 + 0.2 == 0.3 }
output "num_202" { value = "${0.1 + 0.2}" }
output "num_203" { value = 1.1 * 1.1 }
output "num_204" { value = 1 / 3 * 3 == 1 }
output "num_205" { value = 0.3 - 0.1 }
output "num_206" { value = 100 * 1.1 }
output "num_207" { value = 4.35 * 100 }
output "num_208" { value = 10 / 3 }
output "num_209" { value = "${10 / 3}" }
output "num_210" { value = 0.7 + 0.1 }
output "num_211" { value = 3 * 1.15 }
output "num_212" { value = sum([0.1, 0.2]) == 0.3 }
output "num_213" { value = max(0.1 + 0.2, 0.3) }
output "num_214" { value = 1e308 * 10 > 0 }
output "num_215" { value = -0 }
output "num_216" { value = "${-0}" }
output "num_217" { value = -0 == 0 }
output "num_218" { value = 0 * -1 }
output "num_219" { value = jsonencode(-0) }
output "num_220" { value = abs(-0) }
output "cnv_301" { value = sort(["a"]) == ["a"] }
output "cnv_302" { value = split(",", "a") == ["a"] }
output "cnv_303" { value = keys({ a = 1 }) == ["a"] }
output "cnv_304" { value = keys(tomap({ a = 1 })) == ["a"] }
output "cnv_305" { value = values({ a = 1 }) == [1] }
output "cnv_306" { value = values(tomap({ a = "x" })) == ["x"] }
output "cnv_307" { value = concat(tolist(["a"]), ["b"]) == ["a", "b"] }
output "cnv_308" { value = distinct(["a"]) == ["a"] }
output "cnv_309" { value = compact(["a"]) == ["a"] }
output "cnv_310" { value = reverse(["a"]) == ["a"] }
output "cnv_311" { value = slice(["a"], 0, 1) == ["a"] }
output "cnv_312" { value = flatten([["a"]]) == ["a"] }
output "cnv_313" { value = range(1) == [0] }
output "cnv_314" { value = chunklist(["a"], 1) == [["a"]] }
output "cnv_315" { value = formatlist("%s", ["a"]) == ["a"] }
output "cnv_316" { value = regexall("a", "a") == ["a"] }
output "cnv_317" { value = cidrsubnets("10.0.0.0/8", 8) == ["10.0.0.0/16"] }
output "cnv_318" { value = matchkeys(["a"], ["k"], ["k"]) == ["a"] }
output "cnv_319" { value = setproduct(["a"], ["b"]) == [["a", "b"]] }
output "cnv_320" { value = transpose({ a = ["b"] }) == { b = ["a"] } }
output "cnv_321" { value = csvdecode("a\n1\n") == [{ a = "1" }] }
output "cnv_322" { value = [{ a = 1 }][*].a == [1] }
output "cnv_323" { value = tolist([{ a = 1 }])[*].a == [1] }
output "cnv_324" { value = split(",", "a") == tolist(["a"]) }
output "cnv_325" { value = keys({ a = 1 }) == tolist(["a"]) }
output "cnv_326" { value = sort(["a"]) == tolist(["a"]) }
output "cnv_327" { value = fileset("${path.module}/files", "*.txt") == ["plain.txt"] }
output "cnv_328" { value = fileset("${path.module}/files", "*.txt") == toset(["plain.txt"]) }
output "cnv_329" { value = zipmap(["a"], [1]) == { a = 1 } }
output "cnv_330" { value = merge({ a = 1 }) == { a = 1 } }
output "cnv_331" { value = coalescelist(["a"]) == ["a"] }
output "cnv_332" { value = jsondecode("[1]") == [1] }
output "cnv_333" { value = lookup({ a = [1] }, "a") == [1] }
