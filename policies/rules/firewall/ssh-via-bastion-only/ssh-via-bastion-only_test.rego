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
