# More unknown propagation and null semantics.
output "unk_201" { value = local.us != local.us }
# rdspolicy knows: true
output "unk_202" { value = local.un >= 0 || true }
output "unk_203" { value = local.ub ? local.us : local.us }
# rdspolicy knows: [{"__unknown__": true}, {"__unknown__": true}]
output "unk_204" { value = local.ub ? [1, 2] : [3, 4] }
output "unk_205" { value = length(local.ub ? [1, 2] : [3, 4]) }
output "unk_206" { value = local.ub ? null : null }
output "unk_207" { value = [for x in [1, 2] : local.ub ? x : x] }
output "unk_208" { value = { for k, v in { a = 1 } : k => local.us } }
output "unk_209" { value = { for k, v in { a = 1 } : "${k}-${local.us}" => v } }
output "unk_210" { value = length({ for k in ["a", "b"] : k => local.us }) }
output "unk_211" { value = [for x in ["a"] : x][0] }
output "unk_212" { value = [local.us][0] }
output "unk_213" { value = [local.us, "b"][1] }
output "unk_214" { value = { a = local.us, b = "b" }["b"] }
output "unk_215" { value = merge({ a = local.us }, { a = "over" }) }
output "unk_216" { value = merge({ a = "x" }, { a = local.us }) }
output "unk_217" { value = keys(merge({ a = local.us }, { b = 1 })) }
output "unk_218" { value = lookup({ a = local.us }, "a", "d") }
output "unk_219" { value = lookup({ a = "x" }, "b", local.us) }
output "unk_220" { value = coalesce(null, local.us) }
output "unk_221" { value = coalescelist([local.us], ["b"]) }
output "unk_222" { value = coalescelist([], [local.us]) }
output "unk_223" { value = contains([local.us], local.us) }
# rdspolicy knows: false
output "unk_224" { value = contains([], local.us) }
output "unk_225" { value = length(concat([local.us], [1, 2])) }
output "unk_226" { value = slice([local.us, "b", "c"], 1, 3) }
output "unk_227" { value = element([local.us, "b"], 1) }
output "unk_228" { value = reverse([local.us, "b"]) }
output "unk_229" { value = zipmap(["k"], [local.us]) }
output "unk_230" { value = values(zipmap(["k"], [local.us])) }
output "unk_231" { value = jsonencode([local.us]) }
output "unk_232" { value = jsonencode({ a = 1 }) }
output "unk_233" { value = "a%{ if true }${local.us}%{ endif }" }
output "unk_234" { value = "%{ if false }${local.us}%{ else }known%{ endif }" }
output "unk_235" { value = "%{ for x in ["a", "b"] }${x}%{ endfor }${local.us}" }
output "unk_236" { value = upper("${local.us}") }
output "unk_237" { value = "x" == local.us }
output "unk_238" { value = 5 == local.us }
output "unk_239" { value = null == local.uid }
output "unk_240" { value = [1] == [local.un, 2] }
output "unk_241" { value = { a = 1 } == { b = local.un } }
output "unk_242" { value = tolist([local.us]) }
output "unk_243" { value = tomap({ a = local.us, b = "x" }) }
output "unk_244" { value = length(tomap({ a = local.us, b = "x" })) }
output "unk_245" { value = try(local.us, null) }
output "unk_246" { value = try(tonumber("x"), local.us) }
output "unk_247" { value = try(local.us == "a" ? 1 : 2, 3) }
output "unk_248" { value = can(tonumber("x")) || can(local.us) }
output "unk_249" { value = one([]) == null }
output "unk_250" { value = alltrue([]) && local.ub }
# rdspolicy knows: true
output "unk_251" { value = !anytrue([]) || local.ub }
output "unk_252" { value = local.ul[*] == null }
output "unk_253" { value = sort([]) == [] ? "e" : "n" }
output "unk_254" { value = compact([local.us, ""]) }
output "unk_255" { value = distinct([local.us, local.us]) }
output "unk_256" { value = flatten([[], [local.us]]) }
output "unk_257" { value = index([local.us, "a"], "a") }
output "unk_258" { value = [for i in range(2) : local.un + i] }
output "unk_259" { value = formatlist("%s", [local.us, "b"]) }
output "unk_260" { value = formatlist("%s", local.ul) }
output "unk_261" { value = cidrhost("10.0.0.0/8", local.un) }
output "unk_262" { value = substr(local.us, 0, 1) }
output "unk_263" { value = regexall("a", local.us) }
output "unk_264" { value = length(regexall("a", local.us)) }
output "unk_265" { value = sha256(local.us) }
output "unk_266" { value = base64encode(local.us) }
output "unk_267" { value = tostring(local.un) }
output "unk_268" { value = tonumber(local.us) }
output "unk_269" { value = templatestring(local.tpl, { x = local.us }) }
output "unk_270" { value = yamlencode({ a = local.us }) }
output "unk_271" { value = yamldecode(local.us) }
output "unk_272" { value = jsondecode(local.us) }
# rdspolicy knows: []
output "unk_273" { value = setintersection([local.us], []) }
# rdspolicy knows: []
output "unk_274" { value = setsubtract([], [local.us]) }
output "unk_275" { value = chunklist([local.us, "b", "c"], 2) }
output "unk_276" { value = transpose({ a = ["x"], b = [local.us] }) }
output "unk_277" { value = matchkeys(["a", "b"], [local.us, "k"], ["k"]) }
output "unk_278" { value = setproduct([], [local.us]) }
output "unk_279" { value = range(local.un) }
output "unk_280" { value = concat([], local.ul) }
