package vpcgate.rules.firewall.sg_reference_between_tiers_test

import data.vpcgate.fixtures as fx
import data.vpcgate.rules.firewall.sg_reference_between_tiers as rule

nodes(tier, ingress) := [
	fx.instance("i-1", "subnet-1", tier, ["sg-1"]),
	fx.sg("sg-1", ["i-1"], ingress),
]

test_app_admits_cidr_fails if {
	d := fx.doc(nodes("app", [fx.tcp_cidr(8080, "10.0.0.0/16")]))
	findings := rule.deny with input as d
	fx.keys(findings) == {["ingress tcp 8080-8080 cidr 10.0.0.0/16", false]}
	some f in findings
	f.related == [{"id": "i-1", "role": "app-tier node using the group"}]
}

test_data_admits_prefix_list_fails if {
	d := fx.doc(nodes("data", [fx.rule("tcp", 5432, 5432, "prefix_list", "pl-1")]))
	count(rule.deny) == 1 with input as d
}

test_app_admits_sg_passes if {
	d := fx.doc(nodes("app", [fx.tcp_sg(8080, "sg-lb"), fx.tcp_sg(8080, "sg-1")]))
	count(rule.deny) == 0 with input as d
}

test_edge_and_bastion_may_admit_cidrs if {
	every tier in ["edge", "bastion", ""] {
		d := fx.doc(nodes(tier, [fx.tcp_cidr(443, "0.0.0.0/0")]))
		count(rule.deny) == 0 with input as d
	}
}

test_eni_takes_instance_tier if {
	eni := object.union(fx.base("network_interface", "eni-1"), {"instance_id": "i-1", "derived": {"tier": ""}})
	d := fx.doc([fx.instance("i-1", "subnet-1", "app", []), eni, fx.sg("sg-1", ["eni-1"], [fx.tcp_cidr(80, "10.0.0.0/8")])])
	count(rule.deny) == 1 with input as d
}

test_unknown_source_is_undetermined if {
	d := fx.doc(nodes("app", [fx.unknown_rule(8080)]))
	fx.keys(rule.deny) == {["ingress tcp 8080-8080 cidr ", true]} with input as d
}
