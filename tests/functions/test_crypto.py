"""Tests of the hash and crypto functions (rdspolicy.evaluate.functions.crypto)."""

from __future__ import annotations

from function_checks import ID, errors, known_results, unknown_when_depending


KNOWN = [
    ("md5", ["hello world"], "5eb63bbbe01eeed093cb22bb8f5acdc3"),
    ("sha1", ["hello world"], "2aae6c35c94fcfb415dbe95f408b9ce91ee846ed"),
    ("sha256", ["hello world"], "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"),
    ("sha512", ["hello world"], "309ecc489c12d6eb4cc40f50c902f2b4d0ed77ee511a7c7a9bcd3ca86d4cd86f989dd35bc5ff49967"
                                "0da34255b45b0cfd830e81f605dcf7dc5542e93ae9cd76f"),
    ("base64sha256", ["hello world"], "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek="),
    ("base64sha512", ["hello world"], "MJ7MSJwS1utMxA9QyQLytNDtd+5RGnx6m808qG1M2G+YndNbxf9JlnDaNCVbRbDP2DDoH2Bdz33F"
                                      "VC6TrpzXbw=="),
    ("uuidv5", ["dns", "www.terraform.io"], "a5008fae-b28c-5ba5-96cd-82b4c53552d6"),
    ("uuidv5", ["url", "https://www.terraform.io/"], "9db6f67c-dd95-5ea0-aa5b-e70e5c5f7cf5"),
    ("uuidv5", ["6ba7b810-9dad-11d1-80b4-00c04fd430c8", "www.terraform.io"], "a5008fae-b28c-5ba5-96cd-82b4c53552d6"),
]
test_known_results = known_results(KNOWN)


ERRORS = [
    ("uuidv5", ["nope", "x"], "doesn't support namespace nope"),
]
test_errors = errors(ERRORS)


UNKNOWN_WHEN_DEPENDING = [
    ("md5", [ID]),
]
test_unknown_when_result_depends_on_unknowns = unknown_when_depending(UNKNOWN_WHEN_DEPENDING)
