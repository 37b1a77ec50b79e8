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
	f := lib.exposure_finding(
		id, i,
		sprintf("%s %s is reachable from the internet on %s%s%s", [lib.kind_words[kind], n.label, lib.ports_text(e), source_text(e), tier_text(id)]),
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
	e.ip_protocol == "tcp"
	e.ports.from == 22
	e.ports.to == 22
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

# source_text names the part of the internet the exposure admits:
# " from 0.0.0.0/0", " from 8.8.8.0/24 (256 public addresses)".
source_text(e) := sprintf(" from %s", [e.source_set.text]) if e.source_set.text != ""

else := ""

tier_text(id) := sprintf(" (tier %s)", [t]) if {
	t := lib.tier(id)
	t != ""
} else := ""
