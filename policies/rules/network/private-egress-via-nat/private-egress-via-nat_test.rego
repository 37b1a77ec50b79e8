package vpcgate.rules.network.private_egress_via_nat_test

import data.vpcgate.fixtures as fx
import data.vpcgate.rules.network.private_egress_via_nat as rule

vpc(env) := fx.vpc("vpc-1", env)

test_nat_per_az_passes if {
	d := fx.doc([
		vpc("production"),
		fx.subnet("subnet-pub-a", "us-east-1a", true), fx.subnet("subnet-pub-b", "us-east-1b", true),
		fx.nat("nat-a", "subnet-pub-a"), fx.nat("nat-b", "subnet-pub-b"),
		fx.subnet_via("subnet-a", "us-east-1a", "nat-a"), fx.subnet_via("subnet-b", "us-east-1b", "nat-b"),
		fx.asg("web", ["subnet-a", "subnet-b"], "app"),
	])
	count(rule.deny) == 0 with input as d
}

test_single_nat_for_two_azs_fails_in_production if {
	d := fx.doc([
		vpc("production"),
		fx.subnet("subnet-pub-a", "us-east-1a", true),
		fx.nat("nat-a", "subnet-pub-a"),
		fx.subnet_via("subnet-a", "us-east-1a", "nat-a"), fx.subnet_via("subnet-b", "us-east-1b", "nat-a"),
		fx.asg("web", ["subnet-a", "subnet-b"], "app"),
	])
	findings := rule.deny with input as d
	fx.keys(findings) == {["cross-az-nat nat-a", false]}
	fx.ids(findings) == {"subnet-b"}
}

test_single_nat_is_fine_in_staging if {
	d := fx.doc([
		vpc("staging"),
		fx.subnet("subnet-pub-a", "us-east-1a", true),
		fx.nat("nat-a", "subnet-pub-a"),
		fx.subnet_via("subnet-b", "us-east-1b", "nat-a"),
		fx.asg("web", ["subnet-b"], "app"),
	])
	count(rule.deny) == 0 with input as d
}

test_isolated_app_subnet_fails if {
	d := fx.doc([fx.isolated_subnet("subnet-a", "us-east-1a"), fx.instance("i-app", "subnet-a", "app", [])])
	fx.keys(rule.deny) == {["no-egress", false]} with input as d
}

test_isolated_data_subnet_passes if {
	d := fx.doc([fx.isolated_subnet("subnet-a", "us-east-1a"), fx.db("db-1", "", [])])
	count(rule.deny) == 0 with input as d
}

test_nat_in_private_subnet_fails if {
	d := fx.doc([
		fx.subnet("subnet-x", "us-east-1a", false),
		fx.nat("nat-a", "subnet-x"),
		fx.subnet_via("subnet-a", "us-east-1a", "nat-a"),
		fx.instance("i-app", "subnet-a", "app", []),
	])
	fx.keys(rule.deny) == {["nat-not-public nat-a", false]} with input as d
}

# A NAT gateway whose subnet's zone the input does not hold: whether egress
# crosses zones is undetermined, and the message says the zone in words.
test_unknown_nat_zone_is_undetermined if {
	d := fx.doc([
		vpc("production"),
		fx.subnet("subnet-pub-x", "", true),
		fx.nat("nat-a", "subnet-pub-x"),
		fx.subnet_via("subnet-b", "us-east-1b", "nat-a"),
		fx.asg("web", ["subnet-b"], "app"),
	])
	findings := rule.deny with input as d
	fx.keys(findings) == {["cross-az-nat nat-a", true]}
	some f in findings
	f.message == "subnet subnet-b in us-east-1b sends its egress through NAT gateway nat-a in an availability zone not known, so whether each AZ has its own NAT gateway is undetermined"
}

# A network stack scanned apart from its applications (no compute in the
# input): a private subnet routing to a NAT gateway in another AZ means to
# have egress and is reported all the same.
test_cross_az_nat_reported_without_compute if {
	d := fx.doc([
		vpc("production"),
		fx.subnet("subnet-pub-a", "us-east-1a", true),
		fx.nat("nat-a", "subnet-pub-a"),
		fx.subnet_via("subnet-a", "us-east-1a", "nat-a"), fx.subnet_via("subnet-b", "us-east-1b", "nat-a"),
	])
	findings := rule.deny with input as d
	fx.keys(findings) == {["cross-az-nat nat-a", false]}
	fx.ids(findings) == {"subnet-b"}
}

test_private_nat_reported_without_compute if {
	d := fx.doc([
		vpc("production"),
		fx.subnet("subnet-priv-a", "us-east-1a", false),
		fx.nat("nat-a", "subnet-priv-a"),
		fx.subnet_via("subnet-a", "us-east-1a", "nat-a"),
	])
	fx.keys(rule.deny) == {["nat-not-public nat-a", false]} with input as d
}

# An isolated subnet without compute in the input is not reported: nothing
# says it needs egress.
test_isolated_subnet_without_compute_passes if {
	count(rule.deny) == 0 with input as fx.doc([fx.isolated_subnet("subnet-a", "us-east-1a")])
}
