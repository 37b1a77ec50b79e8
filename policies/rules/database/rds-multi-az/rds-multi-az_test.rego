package vpcgate.rules.database.rds_multi_az_test

import data.vpcgate.fixtures as fx
import data.vpcgate.rules.database.rds_multi_az as rule

subnets := [fx.subnet("subnet-a", "us-east-1a", false), fx.subnet("subnet-b", "us-east-1b", false)]

test_multi_az_instance_passes if {
	d := fx.doc(array.concat(subnets, [fx.db_group("grp", ["subnet-a", "subnet-b"]), fx.db("db-1", "grp", [])]))
	count(rule.deny) == 0 with input as d
}

test_single_az_instance_fails if {
	db := object.union(fx.db("db-1", "grp", []), {"multi_az": false})
	d := fx.doc(array.concat(subnets, [fx.db_group("grp", ["subnet-a", "subnet-b"]), db]))
	fx.keys(rule.deny) == {["single-az", false]} with input as d
}

test_subnet_group_in_one_az_fails if {
	d := fx.doc(array.concat(subnets, [fx.db_group("grp", ["subnet-a"]), fx.db("db-1", "grp", [])]))
	fx.keys(rule.deny) == {["subnet-group", false]} with input as d
}

test_cluster_members_in_one_az_fails if {
	m1 := object.union(fx.db("m1", "", []), {"cluster_id": "c1", "multi_az": false})
	m2 := object.union(fx.db("m2", "", []), {"cluster_id": "c1", "multi_az": false})
	c := object.union(fx.base("db_cluster", "c1"), {"multi_az": false, "members": ["m1", "m2"], "db_subnet_group": ""})
	d := fx.doc([m1, m2, c])
	fx.keys(rule.deny) == {["single-az", false]} with input as d
	fx.ids(rule.deny) == {"c1"} with input as d
}

test_cluster_members_in_two_azs_pass if {
	m1 := object.union(fx.db("m1", "", []), {"cluster_id": "c1", "multi_az": false})
	m2 := object.union(fx.db("m2", "", []), {"cluster_id": "c1", "multi_az": false, "availability_zone": "us-east-1b"})
	c := object.union(fx.base("db_cluster", "c1"), {"multi_az": false, "members": ["m1", "m2"], "db_subnet_group": ""})
	count(rule.deny) == 0 with input as fx.doc([m1, m2, c])
}

test_unknown_multi_az_is_undetermined if {
	db := object.union(fx.db("db-1", "", []), {"multi_az": false, "unknown": ["multi_az"]})
	fx.keys(rule.deny) == {["single-az", true]} with input as fx.doc([db])
}

# Missing values are said in words, never printed empty.
test_single_az_without_zone_said_in_words if {
	db := object.union(fx.db("db-1", "", []), {"multi_az": false, "availability_zone": ""})
	some f in rule.deny with input as fx.doc([db])
	f.message == "RDS instance db-1 is single-AZ (in an availability zone not known)"
}

# A cluster whose members (or their zones) are outside the input is
# undetermined, not "in 0 availability zone(s) ()".
test_cluster_without_known_member_zones_is_undetermined if {
	m1 := object.union(fx.db("m1", "", []), {"cluster_id": "c1", "multi_az": false, "availability_zone": ""})
	c := object.union(fx.base("db_cluster", "c1"), {"multi_az": false, "members": ["m1", "m-outside"], "db_subnet_group": ""})
	findings := rule.deny with input as fx.doc([m1, c])
	fx.keys(findings) == {["single-az", true]}
	every f in findings {
		not contains(f.message, "()")
		contains(f.message, "not known")
	}
}

# A DB subnet group whose subnets are outside the input: undetermined.
test_subnet_group_without_known_zones_is_undetermined if {
	d := fx.doc([fx.db_group("grp", ["subnet-outside"]), fx.db("db-1", "grp", [])])
	findings := rule.deny with input as d
	fx.keys(findings) == {["subnet-group", true]}
	every f in findings {
		contains(f.message, "availability zones of its subnets are not known")
	}
}
