package vpcgate.rules.firewall.admin_ports_open_to_world_test

import data.vpcgate.fixtures as fx
import data.vpcgate.rules.firewall.admin_ports_open_to_world as rule

cases := [
	{"name": "ssh from ipv4 world", "rule": fx.tcp_cidr(22, "0.0.0.0/0"), "want": 1},
	{"name": "rdp from ipv6 world", "rule": fx.rule("tcp", 3389, 3389, "ipv6_cidr", "::/0"), "want": 1},
	{"name": "postgres from world", "rule": fx.tcp_cidr(5432, "0.0.0.0/0"), "want": 1},
	{"name": "range including 22", "rule": fx.rule("tcp", 0, 1024, "cidr", "0.0.0.0/0"), "want": 1},
	{"name": "all traffic", "rule": fx.rule("-1", -1, -1, "cidr", "0.0.0.0/0"), "want": 1},
	{"name": "protocol number 6", "rule": fx.rule("6", 22, 22, "cidr", "0.0.0.0/0"), "want": 1},
	{"name": "udp 22 is not ssh", "rule": fx.rule("udp", 22, 22, "cidr", "0.0.0.0/0"), "want": 0},
	{"name": "https from world", "rule": fx.tcp_cidr(443, "0.0.0.0/0"), "want": 0},
	{"name": "ssh from admin cidr", "rule": fx.tcp_cidr(22, "198.51.100.0/24"), "want": 0},
	{"name": "ssh from sg", "rule": fx.tcp_sg(22, "sg-bastion"), "want": 0},
	{"name": "range beside 22", "rule": fx.rule("tcp", 23, 1000, "cidr", "0.0.0.0/0"), "want": 0},
]

test_cases if {
	every c in cases {
		d := fx.doc([fx.sg("sg-1", ["i-1"], [c.rule])])
		got := rule.deny with input as d
		count(got) == c.want
	}
}

test_finding_points_at_rule_and_users if {
	d := fx.doc([fx.sg("sg-1", ["i-1"], [fx.tcp_cidr(443, "0.0.0.0/0"), fx.tcp_cidr(22, "0.0.0.0/0")])])
	some f in rule.deny with input as d
	f.at == {"id": "sg-1", "ingress": 1}
	f.related == [{"id": "i-1", "role": "uses the group"}]
	f.key == "ingress tcp 22-22 cidr 0.0.0.0/0"
}

test_prefix_list_holding_world if {
	pl := object.union(fx.base("prefix_list", "pl-1"), {"entries": ["0.0.0.0/0"], "entries_known": true})
	d := fx.doc([pl, fx.sg("sg-1", [], [fx.rule("tcp", 22, 22, "prefix_list", "pl-1")])])
	fx.keys(rule.deny) == {["ingress tcp 22-22 prefix_list pl-1", false]} with input as d
}

test_prefix_list_without_entries_is_undetermined if {
	pl := object.union(fx.base("prefix_list", "pl-1"), {"entries": [], "entries_known": false})
	d := fx.doc([pl, fx.sg("sg-1", [], [fx.rule("tcp", 22, 22, "prefix_list", "pl-1")])])
	fx.keys(rule.deny) == {["ingress tcp 22-22 prefix_list pl-1", true]} with input as d
}

test_unknown_rule_is_undetermined if {
	d := fx.doc([fx.sg("sg-1", [], [fx.unknown_rule(22)])])
	fx.keys(rule.deny) == {["ingress tcp 22-22 cidr ", true]} with input as d
}
