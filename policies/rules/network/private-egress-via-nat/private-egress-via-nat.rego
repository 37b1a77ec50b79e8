# METADATA
# title: Private subnets reach out through a NAT gateway per AZ
# description: |
#   A private subnet that routes 0.0.0.0/0 to a NAT gateway means to have
#   egress, whether or not the compute it hosts is part of the scan (a
#   network stack scanned apart from its applications): the NAT gateway is
#   a public NAT gateway that itself sits in a public subnet, and outside
#   staging, development and test (environment tags on the subnet or its
#   VPC) each availability zone has its own NAT gateway: a subnet whose NAT
#   gateway is in another AZ loses egress when that AZ fails and pays
#   cross-AZ data transfer (USD 0.01/GB in each direction) on all its
#   egress. Egress through a transit gateway or an appliance counts as
#   egress and is not reported; a private subnet hosting the app tier with
#   no route out at all is.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-basics.html
#     description: NAT gateway basics (one NAT gateway per Availability Zone)
# custom:
#   id: private-egress-via-nat
#   severity: medium
#   remediation: |
#     Create a public NAT gateway in a public subnet of each availability
#     zone and route each private subnet's 0.0.0.0/0 to the NAT gateway of
#     its own zone.
package vpcgate.rules.network.private_egress_via_nat

import data.vpcgate.lib

# needs_egress maps each non-public subnet hosting app-tier compute to
# those hosts.
needs_egress := {sid: hosts |
	some sid, s in input.resources.subnet
	not s.derived.public
	hosts := [h |
		some h in s.derived.hosts
		input.kinds[h] != "network_interface"
		input.tiers[h] == "app"
	]
	count(hosts) > 0
}

# via_nat are the non-public subnets whose default route goes to a NAT
# gateway: they mean to have egress, whatever they host in this scan.
via_nat := {sid: s |
	some sid, s in input.resources.subnet
	not s.derived.public
	s.derived.egress == "nat"
}

deny contains f if {
	some sid, hosts in needs_egress
	s := input.resources.subnet[sid]
	s.derived.class == "isolated"
	f := lib.finding(
		lib.at(sid),
		sprintf("private subnet %s hosts the app tier but has no route out (no NAT gateway)", [lib.label(s)]),
		array.concat(
			[lib.rel(lib.at(s.derived.route_table), "route table without a default route") | s.derived.route_table != ""],
			array.slice([lib.rel(lib.at(h), "app-tier node needing egress") | some h in hosts], 0, lib.max_related),
		),
		"no-egress",
	)
}

deny contains f if {
	some sid, s in via_nat
	nat := input.resources.nat_gateway[s.derived.nat_gateway]
	not nat_public(nat)
	f := lib.finding(
		lib.at(sid),
		sprintf("private subnet %s routes egress to NAT gateway %s, which is not a public NAT gateway in a public subnet", [lib.label(s), nat.id]),
		array.concat([lib.rel(lib.at(nat.id), "NAT gateway")], nat_route(s)),
		sprintf("nat-not-public %s", [nat.id]),
	)
}

deny contains f if {
	some sid, s in via_nat
	lib.production(s)
	nat := input.resources.nat_gateway[s.derived.nat_gateway]
	nat_az := object.get(input.resources.subnet, [nat.subnet_id, "availability_zone"], "")
	nat_az != ""
	s.availability_zone != ""
	nat_az != s.availability_zone
	f := lib.finding(
		lib.at(sid),
		sprintf("subnet %s in %s sends its egress through NAT gateway %s in %s: one NAT per AZ keeps egress up when an AZ fails and avoids cross-AZ data transfer (USD 0.01/GB each way)", [lib.label(s), s.availability_zone, nat.id, nat_az]),
		array.concat([lib.rel(lib.at(nat.id), "NAT gateway in another AZ")], nat_route(s)),
		sprintf("cross-az-nat %s", [nat.id]),
	)
}

# A NAT gateway or subnet whose zone the input does not hold: whether the
# egress crosses zones is undetermined, said in words.
deny contains f if {
	some sid, s in via_nat
	lib.production(s)
	nat := input.resources.nat_gateway[s.derived.nat_gateway]
	nat_az := object.get(input.resources.subnet, [nat.subnet_id, "availability_zone"], "")
	"" in {nat_az, s.availability_zone}
	f := lib.undetermined(
		lib.at(sid),
		sprintf("subnet %s in %s sends its egress through NAT gateway %s in %s, so whether each AZ has its own NAT gateway is undetermined", [lib.label(s), lib.or_words(s.availability_zone, "an availability zone not known"), nat.id, lib.or_words(nat_az, "an availability zone not known")]),
		sprintf("cross-az-nat %s", [nat.id]),
	)
}

nat_public(nat) if {
	nat.connectivity_type in {"", "public"}
	input.resources.subnet[nat.subnet_id].derived.public
}

nat_route(s) := [lib.rel(lib.route(s.derived.route_table, s.derived.default_route), "default route to the NAT gateway") |
	s.derived.route_table != ""
	s.derived.default_route >= 0
]
