package vpcgate.rules.resilience.multi_az_test

import data.vpcgate.fixtures as fx
import data.vpcgate.rules.resilience.multi_az as rule

subnets := [fx.subnet("subnet-a", "us-east-1a", false), fx.subnet("subnet-b", "us-east-1b", false)]

test_two_az_setup_passes if {
	d := fx.doc(array.concat(subnets, [fx.lb("alb", "internet-facing", ["subnet-a", "subnet-b"]), fx.asg("web", ["subnet-a", "subnet-b"], "app")]))
	count(rule.deny) == 0 with input as d
}

test_single_az_lb_and_asg_fail if {
	d := fx.doc(array.concat(subnets, [fx.lb("alb", "internet-facing", ["subnet-a"]), fx.asg("web", ["subnet-a"], "app")]))
	findings := rule.deny with input as d
	fx.ids(findings) == {"alb", "web", "vpc-1"}
	fx.keys(findings) == {["single-az", false], ["app-tier", false]}
}

test_app_instances_in_one_az_fail if {
	d := fx.doc(array.concat(subnets, [fx.instance("i-1", "subnet-a", "app", []), fx.instance("i-2", "subnet-a", "app", [])]))
	findings := rule.deny with input as d
	fx.ids(findings) == {"vpc-1"}
	some f in findings
	count(f.related) == 2
}

test_app_instances_in_two_azs_pass if {
	d := fx.doc(array.concat(subnets, [fx.instance("i-1", "subnet-a", "app", []), fx.instance("i-2", "subnet-b", "app", [])]))
	count(rule.deny) == 0 with input as d
}

test_asg_members_judged_through_group if {
	i := object.union(fx.instance("i-1", "subnet-a", "app", []), {"autoscaling_group": "web"})
	d := fx.doc(array.concat(subnets, [i, fx.asg("web", ["subnet-a", "subnet-b"], "app")]))
	count(rule.deny) == 0 with input as d
}

# App-tier nodes whose subnets are outside the input: the tier's zones are
# not known, so the finding is undetermined (never "in 0 zone(s)").
test_app_tier_without_known_zones_is_undetermined if {
	d := fx.doc([fx.vpc("vpc-1", "production"), fx.instance("i-1", "subnet-outside", "app", [])])
	findings := rule.deny with input as d
	fx.keys(findings) == {["app-tier", true]}
	some f in findings
	contains(f.message, "availability zones of the app tier of vpc-1 are not known")
}

test_single_az_message_names_the_zone if {
	d := fx.doc(array.concat(subnets, [fx.instance("i-1", "subnet-a", "app", [])]))
	some f in rule.deny with input as d
	f.message == "the app tier of vpc-1 runs in 1 availability zone(s) (us-east-1a)"
}
