package vpcgate.rules.firewall.shadowed_rule_test

import data.vpcgate.fixtures as fx
import data.vpcgate.rules.firewall.shadowed_rule as rule

# The shadowed facts (derived.shadowed) are computed in Go
# (graph.ShadowedEntries, graph.ShadowedRules; tested there on AWS's rules
# of evaluation). These tests check what the rule makes of them.

entry(n, egress, proto, from, to, allow, cidr) := {
	"rule_number": n, "egress": egress, "protocol": proto, "from_port": from, "to_port": to,
	"allow": allow, "cidr": cidr,
}

acl(entries, shadowed) := object.union(fx.base("network_acl", "acl-1"), {
	"vpc_id": "vpc-1", "is_default": false, "subnet_ids": [], "entries": entries,
	"derived": {"shadowed": shadowed},
})

# AWS: "as soon as a rule matches traffic, it's applied regardless of any
# higher-numbered rule that might contradict it": a deny after an allow of
# the same traffic never denies.
test_deny_after_allow_all_is_reported_on_the_entry if {
	a := acl(
		[
			entry(100, false, "-1", 0, 0, true, "0.0.0.0/0"),
			entry(200, false, "tcp", 22, 22, false, "198.51.100.0/24"),
		],
		[{"entry": 1, "by": [0]}],
	)
	findings := rule.deny with input as fx.doc([a])
	count(findings) == 1
	some f in findings
	f.at == {"id": "acl-1", "entry": 1}
	f.key == "inbound 200"
	f.message == "network ACL acl-1: inbound entry 200 (deny tcp port 22 from 198.51.100.0/24) never applies: entry 100 matches all its traffic first"
	f.related == [{"id": "acl-1", "entry": 0, "role": "inbound entry 100 (allow all traffic from 0.0.0.0/0), matched first"}]
}

test_union_of_entries_named if {
	a := acl(
		[
			entry(100, true, "tcp", 0, 1023, true, "0.0.0.0/0"),
			entry(110, true, "tcp", 1024, 65535, true, "0.0.0.0/0"),
			entry(120, true, "tcp", 443, 8443, false, "10.0.0.0/8"),
		],
		[{"entry": 2, "by": [0, 1]}],
	)
	some f in rule.deny with input as fx.doc([a])
	f.message == "network ACL acl-1: outbound entry 120 (deny tcp ports 443-8443 to 10.0.0.0/8) never applies: entries 100, 110 match all its traffic first"
	count(f.related) == 2
}

test_no_shadowed_entries_passes if {
	a := acl([entry(100, false, "tcp", 443, 443, true, "0.0.0.0/0")], [])
	count(rule.deny) == 0 with input as fx.doc([a])
}

# AWS: security group rules are evaluated together; a rule inside another
# admits nothing more.
test_redundant_sg_rule_reported_with_covering_rule if {
	g := object.union(
		fx.sg("sg-app", [], [
			fx.tcp_cidr(22, "10.0.0.0/16"),
			fx.rule("-1", -1, -1, "cidr", "10.0.0.0/8"),
		]),
		{"derived": {"used_by": [], "shadowed": [{"direction": "ingress", "rule": 0, "by": [1]}]}},
	)
	findings := rule.deny with input as fx.doc([g])
	count(findings) == 1
	some f in findings
	f.at == {"id": "sg-app", "ingress": 0}
	f.message == "security group sg-app: ingress rule (tcp port 22 from 10.0.0.0/16) adds nothing: rule (all traffic from 10.0.0.0/8) already admits its traffic"
	f.related == [{"id": "sg-app", "ingress": 1, "role": "covering ingress rule (all traffic from 10.0.0.0/8)"}]
}

test_egress_rule_and_group_peer if {
	g := object.union(fx.sg("sg-app", [], []), {
		"egress": [fx.tcp_sg(443, "sg-db"), fx.rule("tcp", 0, 65535, "sg", "sg-db")],
		"derived": {"used_by": [], "shadowed": [{"direction": "egress", "rule": 0, "by": [1]}]},
	})
	some f in rule.deny with input as fx.doc([g])
	f.at == {"id": "sg-app", "egress": 0}
	f.message == "security group sg-app: egress rule (tcp port 443 to security group sg-db) adds nothing: rule (tcp ports 0-65535 to security group sg-db) already admits its traffic"
}
