"""Tests of the IP network functions (rdspolicy.evaluate.functions.cidr)."""

from __future__ import annotations

from function_checks import ID, errors, known_results, unknown_when_depending


KNOWN = [
    ("cidrhost", ["10.12.112.0/20", 16], "10.12.112.16"),
    ("cidrhost", ["10.12.112.0/20", 268], "10.12.113.12"),
    ("cidrhost", ["10.12.112.0/20", -1], "10.12.127.255"),
    ("cidrhost", ["fd00:fd12:3456:7890:00a2::/72", 34], "fd00:fd12:3456:7890::22"),
    ("cidrhost", ["10.0.0.5/24", 1], "10.0.0.1"),
    ("cidrnetmask", ["172.16.0.0/12"], "255.240.0.0"),
    ("cidrnetmask", ["10.0.0.0/32"], "255.255.255.255"),
    ("cidrsubnet", ["172.16.0.0/12", 4, 2], "172.18.0.0/16"),
    ("cidrsubnet", ["10.1.2.0/24", 4, 15], "10.1.2.240/28"),
    ("cidrsubnet", ["fd00:fd12:3456:7890::/56", 16, 162], "fd00:fd12:3456:7800:a200::/72"),
    ("cidrsubnet", ["010.1.0.0/16", 8, 1], "10.1.1.0/24"),
    ("cidrsubnets", ["10.1.0.0/16", 4, 4, 8, 4], ["10.1.0.0/20", "10.1.16.0/20", "10.1.32.0/24", "10.1.48.0/20"]),
    ("cidrsubnets", ["fd00:fd12:3456:7890::/56", 16, 16, 16, 32],
     ["fd00:fd12:3456:7800::/72", "fd00:fd12:3456:7800:100::/72", "fd00:fd12:3456:7800:200::/72",
      "fd00:fd12:3456:7800:300::/88"]),
    ("cidrsubnets", ["10.0.0.0/8"], []),
]
test_known_results = known_results(KNOWN)


ERRORS = [
    ("cidrhost", ["10.0.0.0/30", 4], "prefix of 30 does not accommodate a host numbered 4"),
    ("cidrhost", ["10.0.0.0/30", -5], "does not accommodate a host numbered -5"),
    ("cidrhost", ["nope", 1], "invalid CIDR expression"),
    ("cidrhost", ["10.0.0.0", 1], "invalid CIDR expression"),
    ("cidrhost", ["10.0.0.0/33", 1], "invalid CIDR expression"),
    ("cidrnetmask", ["fd00::/64"], "IPv6 addresses cannot have a netmask"),
    ("cidrsubnet", ["10.0.0.0/8", 30, 0], "insufficient address space to extend prefix of 8 by 30"),
    ("cidrsubnet", ["10.0.0.0/24", 2, 4], "prefix extension of 2 does not accommodate a subnet numbered 4"),
    ("cidrsubnet", ["10.0.0.0/24", 2, -1], "does not accommodate a subnet numbered -1"),
    ("cidrsubnets", ["10.0.0.0/30", 1, 1, 1], "not enough remaining address space for a subnet with a prefix of 31"),
    ("cidrsubnets", ["10.0.0.0/24", 0], "must extend prefix by at least one bit"),
    ("cidrsubnets", ["fd00::/56", 33], "may not extend prefix by more than 32 bits"),
    ("cidrsubnets", ["10.0.0.0/24", 9], "would extend prefix to 33 bits, which is too long for an IPv4 address"),
]
test_errors = errors(ERRORS)


UNKNOWN_WHEN_DEPENDING = [
    ("cidrsubnet", [ID, 8, 1]),
    ("cidrhost", ["10.0.0.0/8", ID]),
]
test_unknown_when_result_depends_on_unknowns = unknown_when_depending(UNKNOWN_WHEN_DEPENDING)
