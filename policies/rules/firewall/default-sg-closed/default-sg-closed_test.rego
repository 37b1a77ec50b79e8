package vpcgate.rules.firewall.default_sg_closed_test

import data.vpcgate.fixtures as fx
import data.vpcgate.rules.firewall.default_sg_closed as rule

default_sg(ingress, egress) := object.union(fx.sg("sg-def", [], ingress), {"group_name": "default", "egress": egress})

test_aws_default_rules_fail if {
	d := fx.doc([default_sg([fx.tcp_sg(0, "sg-def")], [fx.rule("-1", -1, -1, "cidr", "0.0.0.0/0")])])
	some f in rule.deny with input as d
	f.at == {"id": "sg-def"}
	count(f.related) == 2
	contains(f.message, "1 ingress, 1 egress")
}

test_empty_default_passes if {
	d := fx.doc([default_sg([], [])])
	count(rule.deny) == 0 with input as d
}

test_other_groups_are_not_checked if {
	d := fx.doc([fx.sg("sg-1", [], [fx.tcp_cidr(22, "0.0.0.0/0")])])
	count(rule.deny) == 0 with input as d
}

# A default group whose VPC the input does not name says so in words.
test_missing_vpc_said_in_words if {
	d := fx.doc([object.union(default_sg([], [fx.rule("-1", -1, -1, "cidr", "0.0.0.0/0")]), {"vpc_id": ""})])
	some f in rule.deny with input as d
	f.message == "default security group sg-def of a VPC not known has 1 rule(s) (0 ingress, 1 egress)"
}
