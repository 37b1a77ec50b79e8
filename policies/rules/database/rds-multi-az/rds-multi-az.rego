# METADATA
# title: Databases span two or more availability zones
# description: |
#   A standalone RDS instance is Multi-AZ; a DB cluster is Multi-AZ or has
#   members in two or more availability zones; and the DB subnet group of
#   either spans two or more availability zones. Instances that are members
#   of a cluster are judged through their cluster.
# related_resources:
#   - ref: https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZ.html
#     description: Multi-AZ deployments for Amazon RDS
# custom:
#   id: rds-multi-az
#   severity: medium
#   remediation: |
#     Enable Multi-AZ (multi_az = true), or add a reader in another
#     availability zone to the cluster, and give the DB subnet group subnets
#     in at least two availability zones.
package vpcgate.rules.database.rds_multi_az

import data.vpcgate.lib

deny contains f if {
	some id, db in input.resources.db_instance
	db.cluster_id == ""
	not lib.unknown(db, "multi_az")
	not db.multi_az
	f := lib.finding(
		lib.attr(id, "multi_az"),
		sprintf("RDS instance %s is single-AZ (in %s)", [lib.label(db), lib.or_words(db.availability_zone, "an availability zone not known")]),
		[],
		"single-az",
	)
}

deny contains f if {
	some id, db in input.resources.db_instance
	db.cluster_id == ""
	lib.unknown(db, "multi_az")
	f := lib.undetermined(lib.attr(id, "multi_az"), sprintf("RDS instance %s: multi_az is not known statically", [lib.label(db)]), "single-az")
}

deny contains f if {
	some id, c in input.resources.db_cluster
	not c.multi_az
	not lib.unknown(c, "multi_az")
	zones := member_azs(c)
	count(zones) == 1
	f := lib.finding(
		lib.attr(id, "multi_az"),
		sprintf("DB cluster %s has its members in %d availability zone(s) (%s)", [lib.label(c), count(zones), concat(", ", sort(zones))]),
		[lib.rel(lib.at(m), "cluster member") | some m in c.members],
		"single-az",
	)
}

# A cluster none of whose members' zones the input holds is undetermined.
deny contains f if {
	some id, c in input.resources.db_cluster
	not c.multi_az
	not lib.unknown(c, "multi_az")
	count(member_azs(c)) == 0
	f := lib.undetermined(
		lib.attr(id, "multi_az"),
		sprintf("DB cluster %s: the availability zones of its members are not known (no member with a known zone in the input), so whether it spans two is undetermined", [lib.label(c)]),
		"single-az",
	)
}

deny contains f if {
	some kind in ["db_instance", "db_cluster"]
	some id, db in input.resources[kind]
	group := input.resources.db_subnet_group[db.db_subnet_group]
	zones := group_azs(group)
	count(zones) == 1
	f := lib.finding(
		lib.attr(id, "db_subnet_group"),
		sprintf("DB subnet group %s of %s spans one availability zone (%s)", [group.id, lib.label(db), concat(", ", sort(zones))]),
		[lib.rel(lib.at(group.id), "DB subnet group")],
		"subnet-group",
	)
}

# A DB subnet group none of whose zones the input holds (its subnets are
# outside the input, or their zones unknown) is undetermined, not a
# group in zero zones.
deny contains f if {
	some kind in ["db_instance", "db_cluster"]
	some id, db in input.resources[kind]
	group := input.resources.db_subnet_group[db.db_subnet_group]
	count(group_azs(group)) == 0
	f := lib.undetermined(
		lib.attr(id, "db_subnet_group"),
		sprintf("DB subnet group %s of %s: the availability zones of its subnets are not known, so whether it spans two is undetermined", [group.id, lib.label(db)]),
		"subnet-group",
	)
}

member_azs(c) := {z |
	some m in c.members
	z := input.resources.db_instance[m].availability_zone
	z != ""
}

group_azs(group) := {z | some z in group.availability_zones; z != ""} | {z |
	some s in group.subnet_ids
	z := input.resources.subnet[s].availability_zone
	z != ""
}
