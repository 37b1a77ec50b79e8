package vpcgate.rules.network.only_lb_public_test

import data.vpcgate.fixtures as fx
import data.vpcgate.rules.network.only_lb_public as rule

test_app_instance_reachable_fails if {
	i := fx.exposed(fx.public_instance("i-app", "subnet-pub", "app", []), [fx.exposure("tcp", 22, 22, "direct")])
	findings := rule.deny with input as fx.doc([i])
	fx.keys(findings) == {["tcp 22-22 ipv6=false", false]}
	some f in findings
	f.at == {"id": "i-app", "exposure": 0}
	f.related == [{"id": "i-app", "exposure_path": 0}] # vpcgate lists the path's hops (lib.exposure_path)
}

test_internet_facing_lb_passes if {
	l := fx.exposed(fx.lb("alb", "internet-facing", []), [fx.exposure("tcp", 443, 443, "direct")])
	count(rule.deny) == 0 with input as fx.doc([l])
}

test_internal_lb_reachable_fails if {
	l := fx.exposed(fx.lb("alb", "internal", []), [fx.exposure("tcp", 443, 443, "direct")])
	count(rule.deny) == 1 with input as fx.doc([l])
}

test_bastion_ssh_passes_other_ports_fail if {
	b := fx.exposed(fx.public_instance("i-b", "subnet-pub", "bastion", []), [fx.exposure("tcp", 22, 22, "direct"), fx.exposure("tcp", 3389, 3389, "direct")])
	fx.keys(rule.deny) == {["tcp 3389-3389 ipv6=false", false]} with input as fx.doc([b])
}

test_nat_passes if {
	n := fx.exposed(fx.nat("nat-1", "subnet-pub"), [fx.exposure("-1", -1, -1, "direct")])
	count(rule.deny) == 0 with input as fx.doc([n])
}

test_targets_behind_lb_pass if {
	i := fx.exposed(fx.instance("i-app", "subnet-priv", "app", []), [fx.exposure("tcp", 8080, 8080, "alb")])
	count(rule.deny) == 0 with input as fx.doc([i])
}

test_instance_interface_reported_through_instance if {
	eni := fx.exposed(object.union(fx.base("network_interface", "eni-1"), {"instance_id": "i-app", "requester_managed": false, "interface_type": "interface", "derived": {"tier": "app"}}), [fx.exposure("tcp", 22, 22, "direct")])
	count(rule.deny) == 0 with input as fx.doc([eni])
}

test_database_reachable_fails if {
	db := fx.exposed(fx.db("db-1", "", []), [fx.exposure("tcp", 5432, 5432, "direct")])
	fx.ids(rule.deny) == {"db-1"} with input as fx.doc([db])
}

test_icmp_message if {
	i := fx.exposed(fx.public_instance("i-app", "subnet-pub", "app", []), [fx.exposure("icmp", -1, -1, "direct")])
	some f in rule.deny with input as fx.doc([i])
	contains(f.message, "on all of icmp from 0.0.0.0/0 (tier app)")
}

# The finding says which part of the internet reaches the node: the world,
# or a public range with its size (AWS: a security group rule's source is
# any CIDR; the internet gateway admits public sources only).
test_message_names_part_of_internet if {
	i := fx.exposed(fx.public_instance("i-app", "subnet-pub", "app", []), [
		fx.exposure_from("6", 8080, 8080, "direct", "8.8.8.0/24"),
		fx.exposure_from("tcp", 22, 22, "direct", "0000:0000:0000:0000:0000:0000:0000:0000/0"),
	])
	msgs := {f.message | some f in rule.deny} with input as fx.doc([i])
	msgs == {
		"instance i-app is reachable from the internet on tcp port 8080 from 8.8.8.0/24 (256 public addresses) (tier app)",
		"instance i-app is reachable from the internet on tcp port 22 from ::/0 (tier app)",
	}
}

# An exposure whose sources the input does not name prints no empty "from".
test_message_without_sources if {
	e := object.union(fx.exposure("tcp", 80, 80, "direct"), {"sources": [], "source_set": {"known": false, "world": false, "public": false, "wide": false, "text": ""}})
	i := fx.exposed(fx.public_instance("i-app", "subnet-pub", "app", []), [e])
	msgs := {f.message | some f in rule.deny} with input as fx.doc([i])
	msgs == {"instance i-app is reachable from the internet on tcp port 80 (tier app)"}
}

# Protocol numbers are the protocols they name: a bastion's exposure on
# protocol 6, port 22 is its SSH.
test_bastion_ssh_by_number_passes if {
	b := fx.exposed(fx.public_instance("i-b", "subnet-pub", "bastion", []), [fx.exposure("6", 22, 22, "direct")])
	count(rule.deny) == 0 with input as fx.doc([b])
}
