# METADATA
# title: Admin and database ports closed to the world
# description: |
#   No security group rule admits SSH (22), RDP (3389) or a database port
#   (3306, 5432, 1433, 1521, 27017, 6379) from 0.0.0.0/0 or ::/0, directly or
#   through a prefix list holding either. TCP rules whose port range includes
#   one of those ports and all-traffic rules (protocol -1) count; UDP rules do
#   not. Every security group is checked, used or not: an unused group is one
#   attachment away from exposure.
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
	some sg, group in input.resources.security_group
	some i, r in group.ingress
	not r.unknown
	lib.world(r)
	ports := lib.covered(r, watched)
	count(ports) > 0
	f := lib.finding(
		lib.ingress(sg, i),
		sprintf("security group %s admits %s from %s, opening port %s to the internet", [lib.label(group), lib.ports_text(r), r.peer, concat(", ", [sprintf("%d", [p]) | some p in ports])]),
		[{"id": u, "role": "uses the group"} | some u in array.slice(group.derived.used_by, 0, lib.max_related)],
		lib.rule_key("ingress", r),
	)
}

deny contains f if {
	some sg, group in input.resources.security_group
	some i, r in group.ingress
	undecidable(r)
	f := lib.undetermined(
		lib.ingress(sg, i),
		sprintf("security group %s: an ingress rule's peer or ports are not known statically (%s), so whether it opens admin or database ports to the internet is undetermined", [lib.label(group), why(r)]),
		lib.rule_key("ingress", r),
	)
}

undecidable(r) if r.unknown

undecidable(r) if {
	lib.peer_unknown(r)
	count(lib.covered(r, watched)) > 0
}

why(r) := "unknown until apply" if r.unknown

else := sprintf("prefix list %s without its entries", [r.peer])
