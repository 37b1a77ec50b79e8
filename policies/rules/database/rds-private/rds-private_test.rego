package vpcgate.rules.database.rds_private_test

import data.vpcgate.fixtures as fx
import data.vpcgate.rules.database.rds_private as rule

base_nodes := [
	fx.subnet("subnet-a", "us-east-1a", false),
	fx.subnet("subnet-b", "us-east-1b", false),
	fx.subnet("subnet-pub", "us-east-1a", true),
	fx.instance("i-app", "subnet-a", "app", ["sg-app"]),
	fx.instance("i-bastion", "subnet-pub", "bastion", ["sg-bastion"]),
	fx.sg("sg-app", ["i-app"], []),
	fx.sg("sg-bastion", ["i-bastion"], []),
]

doc(db, group_subnets, db_rules) := fx.doc(array.concat(base_nodes, [
	db,
	fx.db_group("grp", group_subnets),
	fx.sg("sg-db", [db.id], db_rules),
]))

test_private_db_passes if {
	d := doc(fx.db("db-1", "grp", ["sg-db"]), ["subnet-a", "subnet-b"], [fx.tcp_sg(5432, "sg-app"), fx.tcp_sg(5432, "sg-db")])
	count(rule.deny) == 0 with input as d
}

test_publicly_accessible_fails if {
	db := object.union(fx.db("db-1", "grp", ["sg-db"]), {"publicly_accessible": true})
	d := doc(db, ["subnet-a", "subnet-b"], [])
	fx.keys(rule.deny) == {["publicly-accessible", false]} with input as d
}

test_public_subnet_in_group_fails if {
	d := doc(fx.db("db-1", "grp", ["sg-db"]), ["subnet-a", "subnet-pub"], [])
	findings := rule.deny with input as d
	fx.keys(findings) == {["public-subnet subnet-pub", false]}
	some f in findings
	{r.id | some r in f.related} == {"subnet-pub", "rtb-pub"}
}

test_db_port_from_cidr_fails if {
	d := doc(fx.db("db-1", "grp", ["sg-db"]), ["subnet-a", "subnet-b"], [fx.tcp_cidr(5432, "10.0.0.0/16")])
	fx.keys(rule.deny) == {["db-1 ingress tcp 5432-5432 cidr 10.0.0.0/16", false]} with input as d
}

test_db_port_from_bastion_sg_fails if {
	d := doc(fx.db("db-1", "grp", ["sg-db"]), ["subnet-a", "subnet-b"], [fx.tcp_sg(5432, "sg-bastion")])
	count(rule.deny) == 1 with input as d
}

test_engine_default_port_and_all_traffic if {
	db := object.union(fx.db("db-1", "grp", ["sg-db"]), {"port": 0, "engine": "mysql"})
	d := doc(db, ["subnet-a", "subnet-b"], [fx.rule("-1", -1, -1, "cidr", "10.0.0.0/8"), fx.tcp_cidr(5432, "10.0.0.0/8")])
	fx.keys(rule.deny) == {["db-1 ingress -1 -1--1 cidr 10.0.0.0/8", false]} with input as d
}

test_unknown_rule_is_undetermined if {
	d := doc(fx.db("db-1", "grp", ["sg-db"]), ["subnet-a", "subnet-b"], [fx.unknown_rule(5432)])
	fx.keys(rule.deny) == {["db-1 ingress tcp 5432-5432 cidr ", true]} with input as d
}
