# METADATA
# title: Admin and database ports closed to the world
# description: |
#   No security group rule admits SSH (22), RDP (3389) or a database port
#   (3306, 5432, 1433, 1521, 27017, 6379) from the internet at large: the
#   whole IPv4 or IPv6 space in any spelling (0.0.0.0/0, 10.0.0.0/0, ::/0,
#   0:0:0:0:0:0:0:0/0), or any range holding more public addresses than a
#   /24 of IPv4 or a /48 of IPv6 (1.0.0.0/1 is half the internet), directly
#   or through a prefix list. An admin's /32 or an office's /24 is not the
#   internet at large; private and special ranges (RFC 1918, RFC 6598,
#   link-local, loopback, ULA) and security group references never are.
#   TCP rules whose port range includes one of those ports and all-traffic
#   rules (protocol -1, any port spelling) count; UDP rules do not. Every
#   security group is checked, used or not: an unused group is one
#   attachment away from exposure. A standalone rule whose group is not part
#   of the input is judged on its own.
# related_resources:
#   - ref: https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-13
#     description: Security Hub EC2.13/EC2.14 (no 0.0.0.0/0 to 22 or 3389)
# custom:
#   id: admin-ports-open-to-world
#   severity: critical
#   remediation: |
#     Admit these ports only from a security group (the bastion's, the app
#     tier's) or from specific admin CIDRs; reach instances through SSM
#     Session Manager or a bastion instead of opening SSH to the internet.
package vpcgate.rules.firewall.admin_ports_open_to_world

import data.vpcgate.lib

watched := array.concat(lib.admin_ports, lib.db_ports)

deny contains f if {
	some [sg, group, i, r] in lib.ingress_rules
	r.ports.known
	lib.wide(r)
	ports := lib.covered(r, watched)
	count(ports) > 0
	f := lib.finding(
		lib.ingress(sg, i),
		sprintf("%s admits %s from %s, opening port %s to %s", [subject(group), lib.ports_text(r), lib.peer_text(r), concat(", ", [sprintf("%d", [p]) | some p in ports]), internet_part(r)]),
		[{"id": u, "role": "uses the group"} | some u in array.slice(group.derived.used_by, 0, lib.max_related)],
		lib.rule_key("ingress", r),
	)
}

deny contains f if {
	some [sg, group, i, r] in lib.ingress_rules
	undecidable(r)
	f := lib.undetermined(
		lib.ingress(sg, i),
		sprintf("%s: an ingress rule's peer or ports are not known statically (%s), so whether it opens admin or database ports to the internet is undetermined", [subject(group), why(r)]),
		lib.rule_key("ingress", r),
	)
}

# undecidable: the source may be the internet and is not known, or the
# source is the internet and the ports are not known. A group reference,
# known id or not, never is the internet.
undecidable(r) if {
	lib.peer_unknown(r)
	not r.ports.known
}

undecidable(r) if {
	lib.peer_unknown(r)
	r.ports.known
	count(lib.covered(r, watched)) > 0
}

undecidable(r) if {
	lib.wide(r)
	not r.ports.known
}

why(r) := sprintf("prefix list %s without its entries", [r.peer]) if {
	r.peer_kind == "prefix_list"
	r.peer != ""
	not r.unknown
} else := "its ports are unknown until apply" if {
	r.peer_set.known
} else := "its source is unknown until apply"

# subject names the group of a rule: a standalone rule whose group is not
# part of the input is its own node, and the message says so.
subject(group) := sprintf("security group rule %s (its group, %s, is not part of the input)", [group.id, group.outside_group]) if {
	object.get(group, "outside_group", "") != ""
} else := sprintf("security group %s", [lib.label(group)])

internet_part(r) := "the internet" if lib.world(r)

else := "that part of the internet"
