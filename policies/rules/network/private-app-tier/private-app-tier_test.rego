package vpcgate.rules.network.private_app_tier_test

import data.vpcgate.fixtures as fx
import data.vpcgate.rules.network.private_app_tier as rule

test_app_in_public_subnet_fails if {
	d := fx.doc([fx.subnet("subnet-pub", "us-east-1a", true), fx.instance("i-app", "subnet-pub", "app", [])])
	findings := rule.deny with input as d
	fx.keys(findings) == {["public-subnet subnet-pub", false]}
	some f in findings
	f.at == {"id": "i-app", "attr": "subnet_id"}
	{r.id | some r in f.related} == {"subnet-pub", "rtb-pub"}
}

test_app_with_public_ip_fails if {
	d := fx.doc([fx.subnet("subnet-priv", "us-east-1a", false), fx.public_instance("i-app", "subnet-priv", "app", [])])
	fx.keys(rule.deny) == {["public-address", false]} with input as d
}

test_private_app_passes if {
	d := fx.doc([fx.subnet("subnet-priv", "us-east-1a", false), fx.instance("i-app", "subnet-priv", "app", [])])
	count(rule.deny) == 0 with input as d
}

test_bastion_in_public_subnet_passes if {
	d := fx.doc([fx.subnet("subnet-pub", "us-east-1a", true), fx.public_instance("i-b", "subnet-pub", "bastion", [])])
	count(rule.deny) == 0 with input as d
}

test_asg_launch_template_public_ip_fails if {
	lt := object.union(fx.base("launch_template", "lt-1"), {"associate_public_ip": true})
	web := object.union(fx.asg("web", ["subnet-priv"], "app"), {"launch_template_id": "lt-1"})
	d := fx.doc([fx.subnet("subnet-priv", "us-east-1a", false), web, lt])
	findings := rule.deny with input as d
	fx.keys(findings) == {["public-address", false]}
	some f in findings
	f.related[0].id == "lt-1"
}

test_unknown_public_ip_is_undetermined if {
	i := object.union(fx.instance("i-app", "subnet-priv", "app", []), {"unknown": ["associate_public_ip"]})
	d := fx.doc([fx.subnet("subnet-priv", "us-east-1a", false), i])
	fx.keys(rule.deny) == {["public-address", true]} with input as d
}
