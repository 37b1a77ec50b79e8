# METADATA
# title: Subnets that auto-assign public IPs host no app or data tier
# description: |
#   A subnet with map_public_ip_on_launch gives every instance launched in
#   it a public IPv4 address unless the launch says otherwise. Such subnets
#   are for the edge (load balancers, NAT gateways, the bastion), not for
#   app-tier or data-tier nodes.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/userguide/vpc-ip-addressing.html#vpc-public-ipv4-addresses
#     description: Public IPv4 addressing attribute of a subnet
# custom:
#   id: public-subnet-auto-ip
#   severity: medium
#   remediation: |
#     Move app and data tier nodes to subnets that do not auto-assign public
#     IPs, or set map_public_ip_on_launch = false on this subnet.
package vpcgate.rules.network.public_subnet_auto_ip

import data.vpcgate.lib

deny contains f if {
	some sid, s in input.resources.subnet
	s.map_public_ip_on_launch
	hosted := [h | some h in s.derived.hosts; input.kinds[h] != "network_interface"; input.tiers[h] in {"app", "data"}]
	count(hosted) > 0
	f := lib.finding(
		lib.attr(sid, "map_public_ip_on_launch"),
		sprintf("subnet %s auto-assigns public IPs and hosts %d app or data tier node(s)", [lib.label(s), count(hosted)]),
		array.slice([lib.rel(lib.at(h), sprintf("%s-tier node in the subnet", [lib.tier(h)])) | some h in hosted], 0, lib.max_related),
		"auto-ip",
	)
}

deny contains f if {
	some sid, s in input.resources.subnet
	lib.unknown(s, "map_public_ip_on_launch")
	some h in s.derived.hosts
	lib.tier(h) in {"app", "data"}
	f := lib.undetermined(
		lib.attr(sid, "map_public_ip_on_launch"),
		sprintf("subnet %s hosts app or data tier nodes and whether it auto-assigns public IPs is not known statically", [lib.label(s)]),
		"auto-ip",
	)
}
