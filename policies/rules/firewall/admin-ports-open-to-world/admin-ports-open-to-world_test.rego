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
	# Every spelling of the whole space is the world (AWS reads the prefix
	# under its mask).
	{"name": "non-canonical 10.0.0.0/0", "rule": fx.tcp_cidr(22, "10.0.0.0/0"), "want": 1},
	{"name": "ipv6 world spelled out", "rule": fx.rule("tcp", 22, 22, "ipv6_cidr", "0:0:0:0:0:0:0:0/0"), "want": 1},
	{"name": "ipv6 world zero-padded", "rule": fx.rule("tcp", 22, 22, "ipv6_cidr", "0000:0000:0000:0000:0000:0000:0000:0000/0"), "want": 1},
	{"name": "ipv6 world non-canonical", "rule": fx.rule("tcp", 22, 22, "ipv6_cidr", "2001:db8::/0"), "want": 1},
	# A wide part of the internet is the internet at large.
	{"name": "half the internet", "rule": fx.tcp_cidr(22, "1.0.0.0/1"), "want": 1},
	{"name": "public /16", "rule": fx.tcp_cidr(3389, "8.8.0.0/16"), "want": 1},
	{"name": "public ipv6 /32", "rule": fx.rule("tcp", 22, 22, "ipv6_cidr", "2001:db8::/32"), "want": 1},
	# One organisation's network is not.
	{"name": "public /24", "rule": fx.tcp_cidr(22, "8.8.8.0/24"), "want": 0},
	{"name": "public ipv6 /48", "rule": fx.rule("tcp", 22, 22, "ipv6_cidr", "2001:db8:1::/48"), "want": 0},
	# Private and special ranges never are, however wide.
	{"name": "rfc 1918 10/8", "rule": fx.tcp_cidr(22, "10.0.0.0/8"), "want": 0},
	{"name": "rfc 1918 172.16/12", "rule": fx.tcp_cidr(22, "172.16.0.0/12"), "want": 0},
	{"name": "rfc 1918 192.168/16", "rule": fx.tcp_cidr(22, "192.168.0.0/16"), "want": 0},
	{"name": "rfc 6598 100.64/10", "rule": fx.tcp_cidr(22, "100.64.0.0/10"), "want": 0},
	{"name": "link-local", "rule": fx.tcp_cidr(22, "169.254.0.0/16"), "want": 0},
	{"name": "loopback", "rule": fx.tcp_cidr(22, "127.0.0.0/8"), "want": 0},
	{"name": "ipv6 ula", "rule": fx.rule("tcp", 22, 22, "ipv6_cidr", "fc00::/7"), "want": 0},
	{"name": "ipv6 link-local", "rule": fx.rule("tcp", 22, 22, "ipv6_cidr", "fe80::/10"), "want": 0},
	# Protocols and ports as AWS reads them.
	{"name": "protocol all", "rule": fx.rule("all", 0, 0, "cidr", "0.0.0.0/0"), "want": 1},
	{"name": "protocol -1 with ports 0-0", "rule": fx.rule("-1", 0, 0, "cidr", "0.0.0.0/0"), "want": 1},
	{"name": "tcp -1/-1 is every port", "rule": fx.rule("tcp", -1, -1, "cidr", "0.0.0.0/0"), "want": 1},
	{"name": "tcp 0-0 is port 0 only", "rule": fx.rule("tcp", 0, 0, "cidr", "0.0.0.0/0"), "want": 0},
	{"name": "protocol 17 is udp", "rule": fx.rule("17", 22, 22, "cidr", "0.0.0.0/0"), "want": 0},
	{"name": "icmp is not ssh", "rule": fx.rule("1", -1, -1, "cidr", "0.0.0.0/0"), "want": 0},
	# A group reference, known id or not, is never an address range.
	{"name": "unknown group id", "rule": object.union(fx.tcp_sg(22, ""), {"unknown": true}), "want": 0},
]

test_message_names_the_part_of_the_internet if {
	d := fx.doc([fx.sg("sg-1", [], [fx.tcp_cidr(22, "1.0.0.0/1"), fx.tcp_cidr(22, "10.0.0.0/0")])])
	msgs := {f.message | some f in rule.deny} with input as d
	msgs == {
		"security group sg-1 admits tcp port 22 from 0.0.0.0/1 (2,092,957,696 public addresses), opening port 22 to that part of the internet",
		"security group sg-1 admits tcp port 22 from 0.0.0.0/0, opening port 22 to the internet",
	}
}

test_prefix_list_of_public_ranges if {
	pl := object.union(fx.base("prefix_list", "pl-1"), {"entries": ["10.0.0.0/8", "8.0.0.0/8"], "entries_known": true})
	d := fx.doc([pl, fx.sg("sg-1", [], [fx.rule("tcp", 22, 22, "prefix_list", "pl-1")])])
	msgs := {f.message | some f in rule.deny} with input as d
	msgs == {"security group sg-1 admits tcp port 22 from prefix list pl-1 (16,777,216 public addresses), opening port 22 to that part of the internet"}
}

test_unknown_ports_from_world_is_undetermined if {
	r := object.union(fx.tcp_cidr(22, "0.0.0.0/0"), {"unknown": true, "ports_unknown": true})
	d := fx.doc([fx.sg("sg-1", [], [r])])
	fx.keys(rule.deny) == {["ingress tcp 22-22 cidr 0.0.0.0/0", true]} with input as d
}

test_unknown_ports_from_private_range_passes if {
	r := object.union(fx.tcp_cidr(22, "10.0.0.0/8"), {"unknown": true, "ports_unknown": true})
	d := fx.doc([fx.sg("sg-1", [], [r])])
	count(rule.deny) == 0 with input as d
}

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

# A standalone rule whose group is not part of the input is its own node
# (outside_group says how the rule names the group): it is judged, and the
# message says the group is not known.
test_rule_of_outside_group_is_judged_on_the_rule if {
	g := object.union(fx.sg("aws_security_group_rule.ssh", [], [fx.tcp_cidr(22, "0.0.0.0/0")]), {"outside_group": "var.shared_sg_id", "vpc_id": ""})
	d := fx.doc([g])
	some f in rule.deny with input as d
	f.at == {"id": "aws_security_group_rule.ssh", "ingress": 0}
	f.message == "security group rule aws_security_group_rule.ssh (its group, var.shared_sg_id, is not part of the input) admits tcp port 22 from 0.0.0.0/0, opening port 22 to the internet"
}

test_rule_of_outside_group_from_unknown_group_is_not_the_internet if {
	g := object.union(fx.sg("aws_security_group_rule.ssh", [], [object.union(fx.tcp_sg(22, ""), {"unknown": true})]), {"outside_group": "var.shared_sg_id"})
	d := fx.doc([g])
	count(rule.deny) == 0 with input as d
}
