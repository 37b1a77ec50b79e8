package vpcgate.rules.firewall.ssh_via_bastion_only_test

import data.vpcgate.fixtures as fx
import data.vpcgate.rules.firewall.ssh_via_bastion_only as rule

world := {
	fx.instance("i-bastion", "subnet-pub", "bastion", ["sg-bastion"]),
	fx.instance("i-app", "subnet-priv", "app", ["sg-app"]),
}

doc(bastion_rules, app_rules) := fx.doc(array.concat([n | some n in world], [
	fx.sg("sg-bastion", ["i-bastion"], bastion_rules),
	fx.sg("sg-app", ["i-app"], app_rules),
]))

test_good_setup_passes if {
	d := doc([fx.tcp_cidr(22, "198.51.100.7/32")], [fx.tcp_sg(22, "sg-bastion"), fx.tcp_sg(8080, "sg-lb")])
	count(rule.deny) == 0 with input as d
}

test_app_ssh_from_cidr_fails if {
	d := doc([fx.tcp_cidr(22, "198.51.100.7/32")], [fx.tcp_cidr(22, "10.0.0.0/16")])
	findings := rule.deny with input as d
	fx.keys(findings) == {["ingress tcp 22-22 cidr 10.0.0.0/16", false]}
	some f in findings
	f.at == {"id": "sg-app", "ingress": 0}
}

test_app_rdp_from_other_sg_fails if {
	d := doc([], [fx.rule("tcp", 3389, 3389, "sg", "sg-other")])
	count(rule.deny) == 1 with input as d
}

test_app_all_traffic_from_self_fails_on_both_ports if {
	d := doc([], [fx.rule("-1", -1, -1, "sg", "sg-app")])
	some f in rule.deny with input as d
	contains(f.message, "SSH (22) and RDP (3389)")
}

test_udp_22_is_not_ssh if {
	d := doc([], [fx.rule("udp", 22, 22, "cidr", "10.0.0.0/8")])
	count(rule.deny) == 0 with input as d
}

test_bastion_ssh_from_world_fails if {
	every peer in ["0.0.0.0/0", "::/0"] {
		kind := {"0.0.0.0/0": "cidr", "::/0": "ipv6_cidr"}[peer]
		d := doc([fx.rule("tcp", 22, 22, kind, peer)], [])
		fx.keys(rule.deny) == {[sprintf("bastion ingress tcp 22-22 %s %s", [kind, peer]), false]} with input as d
	}
}

test_unused_group_is_ignored if {
	d := fx.doc([fx.sg("sg-1", [], [fx.tcp_cidr(22, "10.0.0.0/8")])])
	count(rule.deny) == 0 with input as d
}

test_unknown_rule_is_undetermined if {
	d := doc([], [fx.unknown_rule(22)])
	fx.keys(rule.deny) == {["ingress tcp 22-22 cidr ", true]} with input as d
}

# A public host with SSH open to the world is an exposed host, not a
# bastion: the rule reports it on the host itself, at the exposure.
test_exposed_host_reported_on_the_instance if {
	i := fx.exposed(fx.public_instance("i-web", "subnet-pub", "", ["sg-web"]), [fx.exposure("tcp", 22, 22, "direct")])
	d := fx.doc([i, fx.sg("sg-web", ["i-web"], [fx.tcp_cidr(22, "0.0.0.0/0")])])
	findings := rule.deny with input as d
	{f.at | some f in findings} == {{"id": "i-web", "exposure": 0}, {"id": "sg-web", "ingress": 0}}
	some f in findings
	f.at.id == "i-web"
	f.message == "instance i-web is reachable from the internet on SSH (22) from 0.0.0.0/0 directly, not through a bastion (an exposed host: exposure alone does not make a bastion)"
	f.key == "exposed tcp 22-22 ipv6=false"
}

# All traffic from a part of the internet reaches both SSH and RDP; the
# finding names the part ("8.8.8.0/24 (256 public addresses)").
test_exposed_all_traffic_names_both_ports_and_source if {
	i := fx.exposed(fx.public_instance("i-x", "subnet-pub", "", []), [fx.exposure_from("-1", -1, -1, "direct", "8.8.8.0/24")])
	some f in rule.deny with input as fx.doc([i])
	f.message == "instance i-x is reachable from the internet on SSH (22) and RDP (3389) from 8.8.8.0/24 (256 public addresses) directly, not through a bastion (an exposed host: exposure alone does not make a bastion)"
}

# A node of a tier is reported through its groups' rules, not twice.
test_tiered_exposure_left_to_group_rules if {
	i := fx.exposed(fx.public_instance("i-app", "subnet-pub", "app", []), [fx.exposure("tcp", 22, 22, "direct")])
	count(rule.deny) == 0 with input as fx.doc([i])
}

test_bastion_exposure_and_lb_targets_pass if {
	b := fx.exposed(fx.public_instance("i-bastion", "subnet-pub", "bastion", []), [fx.exposure("tcp", 22, 22, "direct")])
	t := fx.exposed(fx.instance("i-app", "subnet-priv", "app", []), [fx.exposure("tcp", 22, 22, "nlb")])
	count(rule.deny) == 0 with input as fx.doc([b, t])
}

# The users listed with a group's finding are its first ten by id that are
# not the bastion, whether or not the bastion shares the group.
test_related_users_leave_out_the_bastion if {
	apps := [fx.instance(sprintf("i-app%02d", [k]), "subnet-priv", "app", ["sg-shared", "sg-apps"]) | some k in numbers.range(1, 12)]
	d := fx.doc(array.concat(apps, [
		fx.instance("i-bastion", "subnet-pub", "bastion", ["sg-shared"]),
		fx.instance("i-untiered", "subnet-priv", "", ["sg-apps"]),
		fx.sg("sg-shared", array.concat(["i-bastion"], [a.id | some a in apps]), [fx.tcp_cidr(22, "10.0.0.0/16")]),
		fx.sg("sg-apps", array.concat(["i-untiered"], [a.id | some a in apps]), [fx.tcp_cidr(3389, "10.0.0.0/16")]),
	]))
	findings := rule.deny with input as d
	first := [sprintf("i-app%02d", [k]) | some k in numbers.range(1, 10)]
	some shared in findings
	shared.at == {"id": "sg-shared", "ingress": 0}
	[r.id | some r in shared.related] == first
	some apps_group in findings
	apps_group.at == {"id": "sg-apps", "ingress": 0}
	[r.id | some r in apps_group.related] == first
	every r in array.concat(shared.related, apps_group.related) {
		r.role == "non-bastion node using the group"
	}
}
