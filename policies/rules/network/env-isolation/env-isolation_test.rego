package vpcgate.rules.network.env_isolation_test

import data.vpcgate.fixtures as fx
import data.vpcgate.rules.network.env_isolation as rule

vpcs := [fx.vpc_cidr("vpc-prod", "production", "10.0.0.0/16"), fx.vpc_cidr("vpc-stg", "stage", "10.1.0.0/16")]

sg_in(id, vpc, ingress) := object.union(fx.sg(id, [], ingress), {"vpc_id": vpc})

peering(status) := object.union(fx.base("vpc_peering", "pcx-1"), {
	"status": status,
	"requester": {"vpc_id": "vpc-prod"},
	"accepter": {"vpc_id": "vpc-stg"},
})

test_active_peering_fails if {
	fx.keys(rule.deny) == {["peering", false]} with input as fx.doc(array.concat(vpcs, [peering("active")]))
}

test_deleted_peering_passes if {
	count(rule.deny) == 0 with input as fx.doc(array.concat(vpcs, [peering("deleted")]))
}

test_route_to_other_env_fails if {
	rt := object.union(fx.base("route_table", "rtb-1"), {"vpc_id": "vpc-stg", "routes": [
		{"destination_cidr": "10.1.0.0/16", "target_kind": "local", "target_id": "local"},
		{"destination_cidr": "10.0.0.0/8", "target_kind": "tgw", "target_id": "tgw-1"},
		{"destination_cidr": "0.0.0.0/0", "target_kind": "nat", "target_id": "nat-1"},
	]})
	findings := rule.deny with input as fx.doc(array.concat(vpcs, [rt]))
	fx.keys(findings) == {["route 10.0.0.0/8 vpc-prod", false]}
	some f in findings
	f.at == {"id": "rtb-1", "route": 1}
}

test_sg_admitting_other_env_group_fails if {
	d := fx.doc(array.concat(vpcs, [sg_in("sg-prod", "vpc-prod", [fx.tcp_sg(5432, "sg-stg")]), sg_in("sg-stg", "vpc-stg", [])]))
	fx.keys(rule.deny) == {["ingress tcp 5432-5432 sg sg-stg", false]} with input as d
}

test_sg_admitting_other_env_cidr_fails if {
	d := fx.doc(array.concat(vpcs, [sg_in("sg-prod", "vpc-prod", [fx.tcp_cidr(443, "10.1.2.0/24"), fx.tcp_cidr(443, "0.0.0.0/0")])]))
	fx.keys(rule.deny) == {["ingress tcp 443-443 cidr 10.1.2.0/24 vpc-stg", false]} with input as d
}

test_same_env_passes if {
	d := fx.doc(array.concat(vpcs, [sg_in("sg-a", "vpc-prod", [fx.tcp_sg(5432, "sg-b"), fx.tcp_cidr(80, "10.0.1.0/24")]), sg_in("sg-b", "vpc-prod", [])]))
	count(rule.deny) == 0 with input as d
}

test_untagged_environments_are_not_compared if {
	d := fx.doc([fx.vpc_cidr("vpc-a", "", "10.0.0.0/16"), fx.vpc_cidr("vpc-b", "dev", "10.1.0.0/16"), object.union(peering("active"), {"requester": {"vpc_id": "vpc-a"}, "accepter": {"vpc_id": "vpc-b"}})])
	count(rule.deny) == 0 with input as d
}

# Addresses are prefixes in any spelling: 10.1.7.7/16 is 10.1.0.0/16 (the
# staging VPC); 10.9.0.0/0 and 0000:…:0000/0 are the world, which is left to
# admin-ports-open-to-world and only-lb-public.
test_sg_cidr_spellings if {
	d := fx.doc(array.concat(vpcs, [sg_in("sg-prod", "vpc-prod", [
		fx.tcp_cidr(443, "10.1.7.7/16"),
		fx.tcp_cidr(80, "10.9.0.0/0"),
		fx.rule("tcp", 22, 22, "ipv6_cidr", "0000:0000:0000:0000:0000:0000:0000:0000/0"),
	])]))
	fx.keys(rule.deny) == {["ingress tcp 443-443 cidr 10.1.7.7/16 vpc-stg", false]} with input as d
}
