package vpcgate.rules.network.public_subnet_auto_ip_test

import data.vpcgate.fixtures as fx
import data.vpcgate.rules.network.public_subnet_auto_ip as rule

hosting(s, ids) := object.union(s, {"derived": object.union(s.derived, {"hosts": ids})})

test_auto_ip_subnet_with_app_fails if {
	s := hosting(fx.subnet("subnet-1", "us-east-1a", true), ["i-app", "alb"])
	d := fx.doc([s, fx.instance("i-app", "subnet-1", "app", []), fx.lb("alb", "internet-facing", ["subnet-1"])])
	findings := rule.deny with input as d
	fx.keys(findings) == {["auto-ip", false]}
	some f in findings
	f.related == [{"id": "i-app", "role": "app-tier node in the subnet"}]
}

test_auto_ip_subnet_with_edge_only_passes if {
	s := hosting(fx.subnet("subnet-1", "us-east-1a", true), ["alb", "i-b"])
	d := fx.doc([s, fx.lb("alb", "internet-facing", ["subnet-1"]), fx.instance("i-b", "subnet-1", "bastion", [])])
	count(rule.deny) == 0 with input as d
}

test_no_auto_ip_passes if {
	s := hosting(fx.subnet("subnet-1", "us-east-1a", false), ["db-1"])
	count(rule.deny) == 0 with input as fx.doc([s, fx.db("db-1", "", [])])
}

test_unknown_auto_ip_is_undetermined if {
	s := object.union(hosting(fx.subnet("subnet-1", "us-east-1a", false), ["db-1"]), {"unknown": ["map_public_ip_on_launch"]})
	fx.keys(rule.deny) == {["auto-ip", true]} with input as fx.doc([s, fx.db("db-1", "", [])])
}
