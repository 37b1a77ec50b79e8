# METADATA
# title: Only load balancers, the bastion and NAT face the internet
# description: |
#   Nothing but internet-facing load balancers, the bastion (on TCP 22 only)
#   and NAT gateways is reachable from the internet. The rule reads the
#   derived reachability (`derived.internet_reachable`: internet gateway,
#   routes back to it, public address, network ACLs and security groups,
#   evaluated by vpcgate's reachability analysis) and does not re-implement
#   it; targets reached through a load balancer (`via` a load balancer id)
#   are expected and not reported. Network interfaces attached to an
#   instance or managed by a service are reported through their owner.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/reachability/what-is-reachability-analyzer.html
#     description: VPC Reachability Analyzer (same vocabulary of paths and blocking hops)
# custom:
#   id: only-lb-public
#   severity: high
#   remediation: |
#     Put the node in a private subnet, remove its public IP or Elastic IP,
#     or tighten the security group rule that admits the internet; expose
#     services through an internet-facing load balancer.
package vpcgate.rules.network.only_lb_public

import data.vpcgate.lib

deny contains f if {
	some kind in lib.compute_kinds
	some id, n in input.resources[kind]
	some i, e in n.derived.internet_reachable
	e.via == "direct"
	not owned_interface(n)
	not allowed(n, e)
	f := lib.finding(
		lib.exposure(id, i),
		sprintf("%s %s is reachable from the internet on %s%s", [kind_word(n), lib.label(n), exposure_text(e), tier_text(n)]),
		[{"id": h.node, "kind": h.kind, "role": h.detail} | some h in e.path; h.kind != "internet"],
		sprintf("%s %d-%d ipv6=%v", [e.protocol, e.from_port, e.to_port, object.get(e, "ipv6", false)]),
	)
}

allowed(n, _) if {
	n.kind == "load_balancer"
	n.scheme == "internet-facing"
}

allowed(n, _) if n.kind == "nat_gateway"

allowed(n, e) if {
	lib.tier(n.id) == "bastion"
	lib.proto(e.protocol) == "tcp"
	e.from_port == 22
	e.to_port == 22
}

owned_interface(n) if {
	n.kind == "network_interface"
	n.instance_id != ""
}

owned_interface(n) if {
	n.kind == "network_interface"
	n.requester_managed
}

owned_interface(n) if {
	n.kind == "network_interface"
	not n.interface_type in {"", "interface"}
}

kind_word(n) := replace(n.kind, "_", " ")

exposure_text(e) := "all traffic" if e.protocol == "-1"

else := sprintf("all of %s", [lib.proto(e.protocol)]) if e.from_port == -1

else := sprintf("%s port %d", [lib.proto(e.protocol), e.from_port]) if e.from_port == e.to_port

else := sprintf("%s ports %d-%d", [lib.proto(e.protocol), e.from_port, e.to_port])

tier_text(n) := sprintf(" (tier %s)", [t]) if {
	t := lib.tier(n.id)
	t != ""
} else := ""
