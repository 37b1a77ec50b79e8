# METADATA
# title: SSH and RDP only through the bastion
# description: |
#   On every node other than the bastion, TCP 22 and 3389 are admitted only
#   from the bastion's security group (a group used by a node whose tier is
#   `bastion`). The bastion itself admits SSH and RDP only from specific admin
#   CIDRs, never from the internet at large (0.0.0.0/0 or ::/0 in any
#   spelling, or more than a /24 of public IPv4 or a /48 of public IPv6). UDP rules are not SSH or RDP; rules
#   with protocol -1 and port ranges including 22 or 3389 count. Security
#   groups used by no node are left to admin-ports-open-to-world. A public
#   host with SSH open to the world is an exposed host, not a bastion (a
#   bastion is declared one, by the vpcgate:tier, Tier or Role tag or its
#   name, or is what other groups admit SSH or RDP from): a node without a
#   tier that the internet reaches directly on SSH or RDP
#   (derived.internet_reachable) is reported on the node itself, with the
#   part of the internet and the path (nodes of a tier are reported through
#   their groups' rules).
# related_resources:
#   - ref: https://docs.aws.amazon.com/whitepapers/latest/aws-best-practices-ddos-resiliency/bastion-hosts.html
#     description: Bastion hosts
# custom:
#   id: ssh-via-bastion-only
#   severity: high
#   remediation: |
#     Admit 22/3389 on internal nodes only from the bastion's security group,
#     and restrict the bastion's own SSH rule to your admin CIDRs (or replace
#     the bastion with SSM Session Manager).
package vpcgate.rules.firewall.ssh_via_bastion_only

import data.vpcgate.lib

# group_tiers is [sg, tier] for each tier of each security group: the
# groups are walked once for both sets below.
group_tiers := [[sg, t] |
	some sg, group in input.resources.security_group
	some t in group.derived.tiers
]

bastion_sgs := {sg |
	some [sg, t] in group_tiers
	t == "bastion"
}

# internal_sgs are the groups used by at least one node that is not the bastion.
internal_sgs := {sg |
	some [sg, t] in group_tiers
	t != "bastion"
}

deny contains f if {
	some sg in internal_sgs
	group := input.resources.security_group[sg]
	some i, r in group.ingress
	r.ports.known
	ports := lib.covered(r, lib.admin_ports)
	count(ports) > 0
	not from_bastion(r)
	not unknown_group(r)
	f := lib.ingress_finding(
		sg, i,
		sprintf("security group %s admits %s from %s, not from the bastion's security group", [group.label, port_list(ports), lib.peer_text(r)]),
		[{"id": u, "role": "non-bastion node using the group"} | some u in lib.sg_users_in_tier(sg, {t | some t in group.derived.tiers; t != "bastion"})],
		lib.rule_key("ingress", r),
	)
}

# A node without a tier reached from the internet on SSH or RDP (an
# exposed host): reported on the node, at the exposure (its path is the
# finding's path).
deny contains f if {
	some kind in ["instance", "network_interface", "ecs_service", "autoscaling_group"]
	some id, n in input.resources[kind]
	some i, e in n.derived.internet_reachable
	e.via == "direct"
	lib.tier(id) == ""
	not owned_interface(n)
	ports := lib.covered(e, lib.admin_ports)
	count(ports) > 0
	f := lib.exposure_finding(
		id, i,
		sprintf("%s %s is reachable from the internet on %s%s directly, not through a bastion (an exposed host: exposure alone does not make a bastion)", [lib.kind_words[kind], n.label, port_list(ports), source_text(e)]),
		sprintf("exposed %s %d-%d ipv6=%v", [e.ip_protocol, e.ports.from, e.ports.to, object.get(e, "ipv6", false)]),
	)
}

owned_interface(n) if {
	n.kind == "network_interface"
	n.instance_id != ""
}

owned_interface(n) if {
	n.kind == "network_interface"
	n.requester_managed
}

source_text(e) := sprintf(" from %s", [e.source_set.text]) if e.source_set.text != ""

else := ""

deny contains f if {
	some sg in bastion_sgs
	group := input.resources.security_group[sg]
	some i, r in group.ingress
	r.ports.known
	ports := lib.covered(r, lib.admin_ports)
	count(ports) > 0
	lib.wide(r)
	f := lib.finding(
		lib.ingress(sg, i),
		sprintf("bastion security group %s admits %s from %s; admit only admin CIDRs", [group.label, port_list(ports), lib.peer_text(r)]),
		[lib.rel(lib.at(u), "bastion") | some u in lib.sg_users_in_tier(sg, {"bastion"})],
		sprintf("bastion %s", [lib.rule_key("ingress", r)]),
	)
}

deny contains f if {
	some sg in (internal_sgs | bastion_sgs)
	group := input.resources.security_group[sg]
	some i, r in group.ingress
	r.unknown
	undecided(r)
	f := lib.undetermined(
		lib.ingress(sg, i),
		sprintf("security group %s: an ingress rule's ports or source are not known statically, so whether it admits SSH/RDP from outside the bastion is undetermined", [group.label]),
		lib.rule_key("ingress", r),
	)
}

# undecided: the ports are unknown, or the source is unknown (a group
# with an unknown id may or may not be the bastion's).
undecided(r) if not r.ports.known

undecided(r) if {
	r.ports.known
	count(lib.covered(r, lib.admin_ports)) > 0
}

unknown_group(r) if {
	r.peer_kind == "sg"
	r.unknown
}

unknown_group(r) if lib.peer_unknown(r)

from_bastion(r) if {
	r.peer_kind == "sg"
	r.peer in bastion_sgs
}

port_list(ports) := concat(" and ", [name | some p in ports; name := {22: "SSH (22)", 3389: "RDP (3389)"}[p]])
