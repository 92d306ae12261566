# Numeric, type conversion, encoding, IP network, filesystem, hash and date functions.
output "num_001" { value = min(3, 1, 2) }
output "num_002" { value = max(3, 1.5, "2") }
output "num_003" { value = abs(-5.5) }
output "num_004" { value = ceil(4.1) }
output "num_005" { value = floor(-4.1) }
output "num_006" { value = signum(-3) }
output "num_007" { value = log(8, 2) }
output "num_008" { value = pow(2, 10) }
output "num_009" { value = pow(2, 0.5) }
output "num_010" { value = parseint("ff", 16) }
output "num_011" { value = parseint("-1011", 2) }
output "num_012" { value = parseint("zz", 36) }
output "num_013" { value = can(parseint("12", 1)) }
output "num_014" { value = can(parseint("9", 8)) }
output "num_015" { value = can(min()) }
output "num_016" { value = ceil(5) }
output "num_017" { value = floor(1e20 + 0.5) }
output "type_001" { value = tobool("true") }
output "type_002" { value = can(tobool("yes")) }
output "type_003" { value = can(tobool(1)) }
output "type_004" { value = tonumber("16.1") }
output "type_005" { value = can(tonumber("0x10") == null ? 1 : 2) }
output "type_006" { value = can(tonumber("0x10")) }
output "type_007" { value = can(tonumber("1e3")) }
output "type_008" { value = can(tonumber(" 1")) }
output "type_009" { value = can(tonumber("abc")) }
output "type_010" { value = tonumber("-0.5") }
output "type_011" { value = tostring(5) }
output "type_012" { value = tostring(true) }
output "type_013" { value = tostring(1.25) }
output "type_014" { value = can(tostring([1])) }
output "type_015" { value = tolist(["a", "b"]) }
output "type_016" { value = tolist([1, "2"]) }
output "type_017" { value = can(tolist([1, [2]])) }
output "type_018" { value = tomap({ a = true, b = "x" }) }
output "type_019" { value = can(tomap({ a = 1, b = true }) == null ? 1 : 2) }
output "type_020" { value = can(tomap({ a = 1, b = true })) }
output "type_021" { value = try(tonumber("x"), "n/a") }
output "type_022" { value = try(local.dbs.missing.port, local.dbs.orders.port) }
output "type_023" { value = try(local.dbs.orders.missing, "default") }
output "type_024" { value = try({ a = 1 }.a, 2) }
output "type_025" { value = can(local.dbs.orders.port) }
output "type_026" { value = can(local.dbs.orders.nope) }
output "type_027" { value = try(regex("x", "y"), "none") }
output "type_029" { value = nonsensitive(sensitive("s")) }
output "enc_001" { value = jsonencode({ b = [1, "x", true, null], a = { z = 1.5 } }) }
output "enc_002" { value = jsonencode("<tag> & \u2028") }
output "enc_003" { value = jsonencode(1e20) }
output "enc_004" { value = jsonencode(0.1) }
output "enc_005" { value = jsonencode(toset(["b", "a"])) }
output "enc_006" { value = jsonencode([]) }
output "enc_007" { value = jsonencode(tomap({})) }
output "enc_008" { value = jsondecode("{\"a\": [1, 2.5, null, true], \"b\": {\"c\": \"d\"}}") }
output "enc_009" { value = jsondecode("\"s\"") }
output "enc_010" { value = jsondecode("1e3") }
output "enc_011" { value = jsondecode("null") }
output "enc_012" { value = can(jsondecode("{bad")) }
output "enc_013" { value = jsondecode(jsonencode(local.dbs)) == local.dbs }
output "enc_014" { value = base64encode("Hello, World!") }
output "enc_015" { value = base64decode("SGVsbG8sIFdvcmxkIQ==") }
output "enc_016" { value = can(base64decode("not base64")) }
output "enc_017" { value = base64encode("é") }
output "enc_018" { value = urlencode("a b&c=d/é") }
output "enc_019" { value = csvdecode("a,b\n1,2\n3,4") }
output "enc_020" { value = yamldecode("a: 1\nb: [x, y]\nc: {d: true}\n") }
output "enc_021" { value = yamldecode("- 1\n- two\n- 3.5\n- null\n- ~\n") }
output "enc_022" { value = yamldecode("yes") }
output "enc_023" { value = yamldecode("on") }
output "enc_024" { value = yamldecode("y") }
output "enc_025" { value = yamldecode("'yes'") }
output "enc_026" { value = yamldecode("0x1F") }
output "enc_027" { value = yamldecode("0o17") }
output "enc_028" { value = yamldecode("017") }
output "enc_029" { value = yamldecode("1_000") }
output "enc_030" { value = yamldecode("1e3") }
output "enc_031" { value = yamldecode("2001-12-14") }
output "enc_032" { value = yamldecode("a: &x 1\nb: *x\n") }
output "enc_033" { value = yamldecode("s: |\n  line1\n  line2\n") }
output "enc_034" { value = can(yamldecode("")) }
output "enc_035" { value = yamldecode("key: value # comment") }
output "enc_036" { value = can(yamldecode("a: [")) }
output "enc_037" { value = yamldecode("1: one\ntrue: t\n") }
output "enc_038" { value = yamldecode("---\nfoo: bar\n") }
output "enc_039" { value = yamldecode("v: 16.10") }
output "enc_040" { value = yamldecode("v: \"16.10\"") }
output "enc_041" { value = yamldecode("NO") }
output "enc_042" { value = yamldecode(".inf") == 1 ? 1 : 2 }
output "enc_043" { value = yamlencode({ a = 1 }) }
output "cidr_001" { value = cidrhost("10.12.112.0/20", 16) }
output "cidr_002" { value = cidrhost("10.12.112.0/20", 268) }
output "cidr_003" { value = cidrhost("10.12.112.0/20", -1) }
output "cidr_004" { value = cidrhost("fd00:fd12:3456:7890::/56", 16) }
output "cidr_005" { value = can(cidrhost("10.0.0.0/30", 4)) }
output "cidr_006" { value = cidrnetmask("172.16.0.0/12") }
output "cidr_007" { value = cidrnetmask("10.0.0.0/32") }
output "cidr_008" { value = can(cidrnetmask("fd00::/8")) }
output "cidr_009" { value = cidrsubnet("172.16.0.0/12", 4, 2) }
output "cidr_010" { value = cidrsubnet("10.1.2.0/24", 4, 15) }
output "cidr_011" { value = cidrsubnet("fd00:fd12:3456:7890::/56", 16, 162) }
output "cidr_012" { value = cidrsubnet("10.0.0.5/16", 8, 1) }
output "cidr_013" { value = can(cidrsubnet("10.0.0.0/24", 4, 16)) }
output "cidr_014" { value = cidrsubnets("10.1.0.0/16", 4, 4, 8, 4) }
output "cidr_015" { value = cidrsubnets("fd00:fd12:3456:7890::/56", 16, 16, 16, 32) }
output "cidr_016" { value = cidrsubnets("10.0.0.0/8") }
output "cidr_017" { value = can(cidrsubnet("not a cidr", 1, 1)) }
output "cidr_018" { value = cidrhost("10.0.0.0/8", 0) }
output "file_001" { value = file("${path.module}/files/plain.txt") }
output "file_002" { value = jsondecode(file("${path.module}/files/db.json")) }
output "file_003" { value = fileexists("${path.module}/files/plain.txt") }
output "file_004" { value = fileexists("${path.module}/files/nope.txt") }
output "file_005" { value = templatefile("${path.module}/files/greeting.tftpl", { name = "db", ports = [5432, 5433] }) }
output "file_006" { value = templatefile("${path.module}/files/json.tftpl", { name = "x", n = 2 }) }
output "file_007" { value = templatefile("${path.module}/files/bare.tftpl", { n = 5 }) }
output "file_008" { value = templatefile("${path.module}/files/cond.tftpl", { enabled = false }) }
output "file_009" { value = can(templatefile("${path.module}/files/greeting.tftpl", { name = "db" })) }
output "file_010" { value = can(templatefile("${path.module}/files/nope.tftpl", {})) }
output "file_011" { value = filemd5("${path.module}/files/plain.txt") }
output "file_012" { value = filesha256("${path.module}/files/plain.txt") }
output "file_013" { value = filebase64("${path.module}/files/plain.txt") }
output "file_014" { value = basename("a/b/c.txt") }
output "file_015" { value = dirname("a/b/c.txt") }
output "file_016" { value = dirname("c.txt") }
output "file_017" { value = basename("") }
output "file_018" { value = startswith(abspath(path.module), "/") }
output "file_019" { value = endswith(abspath("${path.module}/files"), "/files") }
output "file_020" { value = abspath("/a/b/../c") }
output "file_021" { value = path.module }
output "file_022" { value = fileset("${path.module}/files", "*.txt") }
output "file_023" { value = length(fileset("${path.module}/files", "*.tftpl")) }
output "hash_001" { value = md5("hello") }
output "hash_002" { value = sha1("hello") }
output "hash_003" { value = sha256("hello") }
output "hash_004" { value = sha512("hello") }
output "hash_005" { value = base64sha256("hello") }
output "hash_006" { value = base64sha512("hello") }
output "hash_007" { value = uuidv5("dns", "example.com") }
output "hash_008" { value = uuidv5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "x") }
output "time_001" { value = formatdate("YYYY-MM-DD hh:mm:ss ZZZ", "2018-01-02T23:12:01Z") }
output "time_002" { value = formatdate("EEEE, DD MMM YYYY", "2024-02-29T00:00:00Z") }
output "time_003" { value = formatdate("h:mmaa", "2018-01-02T23:12:01-05:00") }
output "time_004" { value = timeadd("2017-11-22T00:00:00Z", "10m") }
output "time_005" { value = timeadd("2017-11-22T00:00:00Z", "-1h30m") }
output "time_006" { value = timecmp("2017-11-22T00:00:00Z", "2017-11-22T01:00:00+01:00") }
output "time_007" { value = timecmp("2017-11-22T00:00:01Z", "2017-11-22T00:00:00Z") }
output "time_008" { value = can(timeadd("bad", "1h")) }
output "time_010" { value = bcrypt("x") }
output "time_011" { value = textencodebase64("hi", "UTF-16LE") }
output "time_012" { value = base64gzip("hi") }
output "time_013" { value = templatestring(local.tpl, { x = 1 }) }
