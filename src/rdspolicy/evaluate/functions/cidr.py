"""IP network functions: ``cidrhost``, ``cidrnetmask``, ``cidrsubnet``, ``cidrsubnets``."""

from __future__ import annotations

import ipaddress

from .arguments import string_arg, whole_number_arg
from .registry import argument_error, fail, list_type, register


def _parse_cidr(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    address, slash, bits = text.partition("/")
    if not slash or not bits.isascii() or not bits.isdigit():
        fail(f"invalid CIDR expression: invalid CIDR address: {text}")
    if "." in address and ":" not in address:  # Terraform reads "010" as decimal 10
        address = ".".join(str(int(part)) if part.isascii() and part.isdigit() else part for part in address.split("."))
    try:
        return ipaddress.ip_network(f"{address}/{int(bits)}", strict=False)
    except ValueError:
        fail(f"invalid CIDR expression: invalid CIDR address: {text}")


@register("cidrhost")
def _cidrhost(prefix, hostnum):
    network = _parse_cidr(string_arg(prefix, "prefix"))
    number = whole_number_arg(hostnum, "hostnum")
    highest = network.num_addresses - 1
    host = highest + number + 1 if number < 0 else number
    if host < 0 or host > highest:
        fail(f"prefix of {network.prefixlen} does not accommodate a host numbered {number}")
    return str(network.network_address + host)


@register("cidrnetmask")
def _cidrnetmask(prefix):
    text = string_arg(prefix, "prefix")
    network = _parse_cidr(text)
    if network.version != 4:
        fail(f"IPv6 addresses cannot have a netmask: {text}")
    return str(network.netmask)


@register("cidrsubnet")
def _cidrsubnet(prefix, newbits, netnum):
    network = _parse_cidr(string_arg(prefix, "prefix"))
    extra, number = whole_number_arg(newbits, "newbits"), whole_number_arg(netnum, "netnum")
    if extra < 0:
        raise argument_error("newbits", "must not be negative")
    length = network.prefixlen + extra
    if length > network.max_prefixlen:
        fail(f"insufficient address space to extend prefix of {network.prefixlen} by {extra}")
    if number < 0 or number >= (1 << extra):
        fail(f"prefix extension of {extra} does not accommodate a subnet numbered {number}")
    start = int(network.network_address) + (number << (network.max_prefixlen - length))
    return str(type(network)((start, length)))


@register("cidrsubnets", returns=list_type)
def _cidrsubnets(prefix, *newbits):
    network = _parse_cidr(string_arg(prefix, "prefix"))
    if not newbits:
        return []
    bits, base, kind = network.max_prefixlen, int(network.network_address), type(network)
    lengths = []
    for value in newbits:
        extra = whole_number_arg(value, "newbits")
        if extra < 1:
            raise argument_error("newbits", "must extend prefix by at least one bit")
        if extra > 32:
            raise argument_error("newbits", "may not extend prefix by more than 32 bits")
        lengths.append(network.prefixlen + extra)
        if lengths[-1] > bits:
            raise argument_error("newbits", f"would extend prefix to {lengths[-1]} bits, which is too long for an "
                                            f"IPv{network.version} address")
    # start just before the base prefix, as Terraform does, then allocate consecutively
    space = 1 << bits
    before = (base - 1) % space
    current, current_len = before - before % (1 << (bits - lengths[0])), lengths[0]
    out = []
    for length in lengths:
        last = current + (1 << (bits - current_len)) - 1
        block = 1 << (bits - length)
        following = last - last % block + block
        if following >= space or not base <= following < base + network.num_addresses:
            raise argument_error("newbits", f"not enough remaining address space for a subnet with a prefix of "
                                            f"{length} bits after {kind((current, current_len))}")
        current, current_len = following, length
        out.append(str(kind((current, current_len))))
    return out
