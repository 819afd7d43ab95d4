"""Synthetic Export-DhcpServer files, written the way Windows writes them
(DhcpServerMigration.psm1: the root in its namespace, IPv4/IPv6 resetting it,
fields in the module's order, CRLF line ends), for the rules the two real
exports in tests/data do not exercise."""

NS = "http://schemas.microsoft.com/windows/DHCPServer"


def E(name, *content):
    """An element: text (str), or child elements."""
    return (name, content)


def escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render(node, depth=1, reset=False):
    name, content = node
    pad = "  " * depth
    attr = ' xmlns=""' if reset else ""
    if len(content) == 1 and isinstance(content[0], str):
        return "%s<%s%s>%s</%s>" % (pad, name, attr, escape(content[0]), name) \
            if content[0] else "%s<%s%s />" % (pad, name, attr)
    if not content:
        return "%s<%s%s />" % (pad, name, attr)
    lines = ["%s<%s%s>" % (pad, name, attr)]
    lines += [render(child, depth + 1) for child in content]
    lines.append("%s</%s>" % (pad, name))
    return "\r\n".join(lines)


def export(ipv4, ipv6=None, major="10", minor="0"):
    """The file's bytes: ipv4 is the list of IPv4's children."""
    parts = ['<?xml version="1.0" encoding="utf-8"?>',
             '<DHCPServer xmlns="%s">' % NS,
             render(E("MajorVersion", major), reset=True),
             render(E("MinorVersion", minor), reset=True),
             render(E("IPv4", *ipv4), reset=True)]
    if ipv6 is not None:
        parts.append(render(E("IPv6", *ipv6), reset=True))
    parts.append("</DHCPServer>")
    return ("\r\n".join(parts) + "\r\n").encode("utf-8")


def server_settings(attempts="0"):
    return [E("ConflictDetectionAttempts", attempts), E("NapEnabled", "false"),
            E("NpsUnreachableAction", "Full"), E("ActivatePolicies", "true")]


DEFAULT_CLASSES = [
    E("Class", E("Name", "Default Routing and Remote Access Class"), E("Type", "User"),
      E("Data", "0x525241532e4d6963726f736f6674"), E("Description", "User class for remote access clients")),
    E("Class", E("Name", "Default BOOTP Class"), E("Type", "User"),
      E("Data", "0x424f4f54502e4d6963726f736f6674"), E("Description", "User class for BOOTP Clients")),
    E("Class", E("Name", "Microsoft Windows 2000 Options"), E("Type", "Vendor"),
      E("Data", "0x4d53465420352e30"), E("Description", "Microsoft vendor-specific options")),
    E("Class", E("Name", "Microsoft Windows 98 Options"), E("Type", "Vendor"),
      E("Data", "0x4d534654203938"), E("Description", "Microsoft vendor-specific options")),
    E("Class", E("Name", "Microsoft Options"), E("Type", "Vendor"),
      E("Data", "0x4d534654"), E("Description", "Microsoft vendor-specific options")),
]


def option_def(code, name, type_, multi="false", vendor="", defaults=()):
    return E("OptionDefinition", E("Name", name), E("OptionId", str(code)), E("Type", type_),
             E("MultiValued", multi), *[E("DefaultValue", d) for d in defaults],
             E("Description", ""), E("VendorClass", vendor))


def option_value(code, *values, vendor="", user=""):
    return E("OptionValue", E("OptionId", str(code)), *[E("Value", v) for v in values],
             E("VendorClass", vendor), E("UserClass", user))


def scope(scope_id, mask, start, end, name="scope", duration="8.00:00:00", state="Active",
          type_="Dhcp", superscope="", delay="0", extra=(), exclusions=(), policies=(),
          options=(), reservations=(), leases=None):
    fields = [E("ScopeId", scope_id), E("Name", name), E("SubnetMask", mask),
              E("StartRange", start), E("EndRange", end), E("LeaseDuration", duration),
              E("State", state), E("Type", type_), E("MaxBootpClients", "4294967295"),
              E("NapEnable", "false"), E("Delay", delay), E("NapProfile", ""),
              E("Description", ""), E("ActivatePolicies", "true"),
              E("SuperScopeName", superscope)]
    fields += list(extra)
    if exclusions:
        fields.append(E("ExclusionRanges", *[E("IPRange", E("StartRange", a), E("EndRange", b))
                                             for a, b in exclusions]))
    if policies:
        fields.append(E("Policies", *policies))
    if options:
        fields.append(E("OptionValues", *options))
    if reservations:
        fields.append(E("Reservations", *reservations))
    if leases is not None:
        fields.append(E("Leases", *leases))
    return E("Scope", *fields)


def reservation(ip, client_id, name, type_="Dhcp", description="", options=()):
    fields = [E("Name", name), E("IPAddress", ip), E("ClientId", client_id), E("Type", type_),
              E("Description", description)]
    if options:
        fields.append(E("OptionValues", *options))
    return E("Reservation", *fields)


def lease(ip, scope_id, client_id, state, expiry=None, host=None, description=None,
          client_type="Dhcp", nap_capable="false", nap_status="FullAccess", probation=None):
    fields = [E("IPAddress", ip), E("ScopeId", scope_id), E("ClientId", client_id),
              E("AddressState", state), E("ClientType", client_type),
              E("NapCapable", nap_capable), E("DnsRR", "NoRegistration"),
              E("DnsRegistration", "NotApplicable")]
    if expiry:
        fields.append(E("LeaseExpiryTime", expiry))
    if probation:
        fields.append(E("ProbationEnds", probation))
    fields.append(E("NapStatus", nap_status))
    if host is not None:
        fields.append(E("HostName", host))
    if description is not None:
        fields.append(E("Description", description))
    return E("Lease", *fields)


def policy(name, order, conditions, enabled="true", condition="OR", options=(), ranges=(),
           dns_suffix=None):
    fields = [E("Name", name), E("ProcessingOrder", str(order)), E("Enabled", enabled),
              E("Condition", condition), E("Description", "")]
    for element, values in conditions:
        fields += [E(element, v) for v in values]
    if dns_suffix is not None:
        fields.append(E("DnsSuffix", dns_suffix))
    if ranges:
        fields.append(E("IPRanges", *[E("IPRange", E("StartRange", a), E("EndRange", b))
                                      for a, b in ranges]))
    if options:
        fields.append(E("OptionValues", *options))
    return E("Policy", *fields)


def ipv6_section():
    return [E("Classes", E("Class", E("Name", "Default User Class"), E("Type", "User"),
                           E("Data", "0x00"), E("Description", ""), E("VendorId", "311"))),
            E("OptionDefinitions"),
            E("StatelessStore", E("Enabled", "false"), E("PurgeInterval", "2.00:00:00")),
            E("Scopes", E("Scope", E("Prefix", "2001:db8::"), E("Name", "v6"),
                          E("Preference", "0"), E("State", "Active"),
                          E("Reservations", E("Reservation", E("Name", "r"),
                                              E("IPAddress", "2001:db8::5"),
                                              E("ClientDuid", "00-01-00-01-aa-bb-cc-dd-00-11-22-33-44-55"),
                                              E("IAID", "1"))),
                          E("Leases", E("Lease", E("IPAddress", "2001:db8::9"),
                                        E("ClientDuid", "00-03-00-01-00-11-22-33-44-66"),
                                        E("IAID", "2"), E("AddressType", "IANA")))))]
