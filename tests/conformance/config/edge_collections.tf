# More collection functions, splats, for expressions and nulls.
output "more_101" { value = [for s in toset(["b", "a"]) : s] }
output "more_102" { value = { for s in toset(["b", "a"]) : s => upper(s) } }
output "more_103" { value = [for k, v in toset(["x"]) : "${k}:${v}"] }
output "more_104" { value = toset(["b", "a"])[*] }
output "more_105" { value = [for x in toset([3, 20, 100]) : x] }
output "more_106" { value = can(toset(["a"])[0]) }
output "more_107" { value = contains(toset([1, 2]), 2) }
output "more_108" { value = setunion(toset(["a"]), ["b"]) }
output "more_109" { value = setproduct(toset(["a", "b"]), toset(["x"])) }
output "more_110" { value = flatten(toset([["a"]]) ) == ["a"] ? 1 : 2 }
output "more_111" { value = length(setintersection(["a", "b"], ["c"])) }
output "more_112" { value = sort(distinct(concat(local.words, ["alpha"]))) }
output "more_113" { value = element(local.words, length(local.words)) }
output "more_114" { value = index(local.words, "charlie") }
output "more_115" { value = slice(local.words, 0, 2) }
output "more_116" { value = reverse(local.words) }
output "more_117" { value = lookup(local.dbs.orders, "engine", "x") }
output "more_118" { value = lookup(local.dbs.orders, "nope", "x") }
output "more_119" { value = { for k, v in local.dbs : k => v if v.multi_az } }
output "more_120" { value = [for k, v in local.dbs : "${k}=${v.version}" if startswith(v.engine, "postgres")] }
output "more_121" { value = { for k, v in local.dbs : v.engine => k... } }
output "more_122" { value = merge([for k, v in local.dbs : { (k) = v.port }]...) }
output "more_123" { value = zipmap(keys(local.dbs), [for v in values(local.dbs) : v.port]) }
output "more_124" { value = transpose({ for k, v in local.dbs : k => [v.engine] }) }
output "more_125" { value = matchkeys(keys(local.dbs), [for v in values(local.dbs) : v.engine], ["postgres"]) }
output "more_126" { value = [for r in local.rules : r.port if contains(r.cidrs, "0.0.0.0/0")] }
output "more_127" { value = anytrue([for r in local.rules : contains(r.cidrs, "0.0.0.0/0")]) }
output "more_128" { value = alltrue([for v in values(local.dbs) : v.port > 1000]) }
output "more_129" { value = sum([for v in values(local.dbs) : v.port]) }
output "more_130" { value = max([for v in values(local.dbs) : tonumber(split(".", v.version)[0])]...) }
output "more_131" { value = coalesce(lookup(local.dbs.orders, "identifier", null), "orders-db") }
output "more_132" { value = coalescelist(lookup(local.dbs.orders, "sgs", []), ["sg-default"]) }
output "more_133" { value = try(local.dbs.orders.backup.retention, 7) }
output "more_134" { value = try(local.dbs["orders"]["port"], 0) }
output "more_135" { value = can(local.dbs.orders.port + "x") }
output "more_136" { value = one([for k, v in local.dbs : k if v.port == 5433]) }
output "more_137" { value = one([for k, v in local.dbs : k if v.port == 1]) }
output "more_138" { value = local.nested.a.b.c[*] }
output "more_139" { value = [local.nested][*].a.b.c[1] }
output "more_140" { value = [{ a = [1, 2] }, { a = [3] }][*].a[0] }
output "more_141" { value = [[{ x = 1 }]][0][*].x }
output "more_142" { value = ({ a = 1 }).a }
output "more_143" { value = [1, 2, 3][length([1, 2, 3]) - 1] }
output "more_144" { value = { for i in range(3) : "k${i}" => i * i } }
output "more_145" { value = chunklist(range(7), 3) }
output "more_146" { value = flatten(chunklist(range(4), 2)) }
output "more_147" { value = setsubtract(range(5), [1, 3]) }
output "more_148" { value = distinct([[1], [1], [2]]) }
output "more_149" { value = distinct([{ a = 1 }, { a = 1 }]) }
output "more_150" { value = compact([]) }
output "more_151" { value = can(concat()) }
output "more_152" { value = merge({}, {}) }
output "more_153" { value = merge({ a = { x = 1 } }, { a = null }) }
output "more_154" { value = keys({}) }
output "more_155" { value = values({ b = "2", a = "1" }) }
output "more_156" { value = zipmap([], []) }
output "more_157" { value = reverse([]) }
output "more_158" { value = length([[]]) }
output "more_159" { value = length({ a = {} }) }
output "more_160" { value = [null][*] }
output "more_163" { value = lookup({}, "a", null) }
output "more_164" { value = coalesce(null, null, "z") }
output "more_165" { value = can(coalesce(null, null)) }
output "more_166" { value = can(coalescelist([], [])) }
output "more_167" { value = can(one("x")) }
output "more_168" { value = element([1, 2, 3], 7) }
output "more_169" { value = index([1, 2, 3], 2) }
output "more_170" { value = contains([[1]], [1]) }
output "more_171" { value = contains([{ a = 1 }], { a = 1 }) }
output "more_172" { value = sort(["B", "a", "_", "1"]) }
output "more_173" { value = sort([]) }
output "more_174" { value = range(-3) == [] ? 1 : 2 }
output "more_175" { value = range(2, -2) }
output "more_176" { value = range(0.5, 2) }
output "more_177" { value = slice([1, 2, 3], 3, 3) }
output "more_178" { value = can(slice([1, 2, 3], 2, 1)) }
output "more_179" { value = transpose({}) }
output "more_180" { value = setproduct(["a"], ["b"], ["c"]) }
output "more_181" { value = jsonencode(setproduct(["a", "b"], [1])) }
output "more_182" { value = jsondecode("[]") }
output "more_183" { value = jsondecode("{}") }
output "more_184" { value = jsondecode("  [1, {\"a\": []}]  ") }
output "more_185" { value = can(jsondecode("[1,]")) }
output "more_186" { value = can(jsondecode("1 2")) }
output "more_187" { value = jsondecode("12345678901234567890") }
output "more_188" { value = jsondecode("\"\\u00e9\"") }
output "more_189" { value = jsonencode(jsondecode("{\"b\":1,\"a\":2}")) }
output "more_190" { value = csvdecode("a,b\n\"x,y\",\"q\"\"\"\n") }
output "more_191" { value = can(csvdecode("a,b\n1\n")) }
output "more_192" { value = csvdecode("a\n") }
output "more_193" { value = base64decode("") }
output "more_194" { value = can(base64decode("YQ")) }
output "more_195" { value = urlencode("") }
output "more_196" { value = cidrsubnet("10.0.0.0/16", 0, 0) }
output "more_197" { value = cidrsubnets("10.0.0.0/24", 2, 2, 2, 2) }
output "more_198" { value = can(cidrsubnets("10.0.0.0/24", 2, 2, 2, 2, 2)) }
output "more_199" { value = cidrhost("10.0.0.0/24", 255) }
output "more_200" { value = can(cidrhost("10.0.0.0/24", 256)) }
output "more_201" { value = cidrnetmask("10.0.0.0/0") }
output "more_202" { value = [for i in range(3) : cidrsubnet("10.0.0.0/16", 8, i)] }
output "more_203" { value = cidrhost("::/64", 1) }
output "more_204" { value = cidrsubnet("2001:db8::/32", 8, 255) }
output "more_205" { value = formatdate("DD MMM YYYY hh:mm ZZZZ", "2020-06-15T08:05:09+02:00") }
output "more_206" { value = can(formatdate("EEE, D M YY H:m:s A", "2020-06-05T18:05:09Z")) }
output "more_207" { value = formatdate("'literal' YYYY", "2020-06-05T18:05:09Z") }
output "more_208" { value = formatdate("ZZZZZ", "2020-06-05T18:05:09-07:30") }
output "more_209" { value = timeadd("2020-01-31T00:00:00Z", "24h") }
output "more_210" { value = timeadd("2020-01-01T00:00:00Z", "1.5h") }
output "more_211" { value = timeadd("2020-01-01T00:00:00+05:00", "0s") }
output "more_212" { value = timecmp("2020-01-01T00:00:00Z", "2020-01-01T00:00:00Z") }
output "more_213" { value = can(timeadd("2020-01-01T00:00:00Z", "1d")) }
output "more_214" { value = sha1("") }
output "more_215" { value = sha256(jsonencode({ a = 1 })) }
output "more_216" { value = base64sha256("") }
output "more_217" { value = uuidv5("url", "https://example.com") }
output "more_218" { value = uuidv5("oid", "1.2.3") }
output "more_219" { value = uuidv5("x500", "cn=x") }
output "more_220" { value = can(uuidv5("bad", "x")) }
output "more_221" { value = basename("/a/b/") }
output "more_222" { value = basename("a") }
output "more_223" { value = pathexpand("/abs/path") }
output "more_224" { value = can(fileexists("${path.module}/files") == false ? 1 : 2) }
output "more_225" { value = can(file("${path.module}/files")) }
output "more_226" { value = templatefile("${path.module}/files/cond.tftpl", { enabled = true, extra = 1 }) }
output "more_227" { value = can(templatefile("${path.module}/files/cond.tftpl", { "bad-name" = 1, enabled = true })) }
output "more_228" { value = templatestring(local.tpl, { x = [1][0] }) }
output "more_229" { value = fileset(path.module, "files/*.{json,txt}") }
output "more_230" { value = fileset("${path.module}/files", "**") }
output "more_231" { value = fileset(path.module, "**/bare.*") }
output "more_232" { value = fileset(path.module, "nothing/*") }
output "more_233" { value = length(fileset(path.module, "*.tf")) > 5 }
output "more_234" { value = yamldecode("a:\n  - b: 1\n    c: [x, 'y', \"z\"]\n") }
output "more_235" { value = yamldecode("base: &b {x: 1, y: 2}\nderived:\n  <<: *b\n  y: 3\n") }
output "more_236" { value = yamldecode("!!str 123") }
output "more_237" { value = yamldecode("text: >\n  folded\n  line\n") }
output "more_238" { value = yamldecode("[1, 2, {a: b}]") }
output "more_239" { value = yamldecode("t: 2001-12-14 21:59:43.10") }
output "more_240" { value = can(yamldecode("a: 1\n---\nb: 2\n")) }
output "more_241" { value = can(yamldecode("# only a comment\n")) }
output "more_242" { value = yamldecode("? complex\n: value\n") }
output "more_243" { value = yamldecode("key with spaces: v") }
output "more_244" { value = yamldecode("n: -12\nf: -1.5e+3\nh: 0x0\n") }
output "more_301" { value = yamlencode({ b = "x", a = [1, 2], c = { d = null, e = true } }) }
output "more_302" { value = yamlencode([{ name = "orders", port = 5432 }, "multi\nline"]) }
output "more_303" { value = yamlencode("a: b") }
output "more_304" { value = yamlencode(1.5) }
output "more_305" { value = yamlencode(local.dbs) }
output "more_306" { value = yamldecode(yamlencode(local.dbs)) == local.dbs }
output "more_307" { value = yamlencode({ k = [[], {}, ["x\ny\n"]] }) }
