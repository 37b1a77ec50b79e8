# METADATA
# title: Databases are private
# description: |
#   RDS instances and clusters are not publicly accessible, their DB subnet
#   group holds only private subnets, and their security groups admit the DB
#   port (the instance's port, else the engine's default) only from security
#   groups used by the app tier (or from the database's own groups, for
#   replication). CIDR sources, prefix lists and groups of other tiers are
#   findings.
# related_resources:
#   - ref: https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html
#     description: Working with a DB instance in a VPC
# custom:
#   id: rds-private
#   severity: critical
#   remediation: |
#     Set publicly_accessible = false, use a DB subnet group of private
#     subnets only, and admit the DB port only from the app tier's security
#     group.
package vpcgate.rules.database.rds_private

import data.vpcgate.lib

dbs := object.union(
	object.get(input.resources, "db_instance", {}),
	object.get(input.resources, "db_cluster", {}),
)

deny contains f if {
	some id, db in dbs
	db.publicly_accessible
	f := lib.finding(
		lib.attr(id, "publicly_accessible"),
		sprintf("%s %s is publicly accessible", [kind_word[db.kind], lib.label(db)]),
		[],
		"publicly-accessible",
	)
}

deny contains f if {
	some id, db in dbs
	not db.publicly_accessible
	lib.unknown(db, "publicly_accessible")
	f := lib.undetermined(
		lib.attr(id, "publicly_accessible"),
		sprintf("%s %s: publicly_accessible is not known statically", [kind_word[db.kind], lib.label(db)]),
		"publicly-accessible",
	)
}

deny contains f if {
	some id, db in dbs
	some sid in object.get(input.resources.db_subnet_group, [db.db_subnet_group, "subnet_ids"], [])
	s := input.resources.subnet[sid]
	s.derived.public
	f := lib.finding(
		lib.attr(id, "db_subnet_group"),
		sprintf("%s %s can be placed in public subnet %s (DB subnet group %s)", [kind_word[db.kind], lib.label(db), lib.label(s), db.db_subnet_group]),
		array.concat([lib.rel(lib.at(sid), "public subnet")], lib.public_route(s)),
		sprintf("public-subnet %s", [sid]),
	)
}

deny contains f if {
	some id, db in dbs
	port := lib.db_port(db)
	port > 0
	some sg in db.security_groups
	group := input.resources.security_group[sg]
	some i, r in group.ingress
	not r.unknown
	lib.covers(r, "tcp", port)
	not allowed_peer(db, r)
	f := lib.finding(
		lib.ingress(sg, i),
		sprintf("security group %s of %s %s admits DB port %d from %s, not from the app tier's security group", [lib.label(group), kind_word[db.kind], lib.label(db), port, lib.peer_text(r)]),
		[lib.rel(lib.at(id), "database using the group")],
		sprintf("%s %s", [id, lib.rule_key("ingress", r)]),
	)
}

deny contains f if {
	some id, db in dbs
	some sg in db.security_groups
	group := input.resources.security_group[sg]
	some i, r in group.ingress
	r.unknown
	f := lib.undetermined(
		lib.ingress(sg, i),
		sprintf("security group %s of %s: an ingress rule's source or ports are not known statically", [lib.label(group), lib.label(db)]),
		sprintf("%s %s", [id, lib.rule_key("ingress", r)]),
	)
}

allowed_peer(_, r) if {
	r.peer_kind == "sg"
	"app" in lib.sg_tiers(r.peer)
}

allowed_peer(db, r) if {
	r.peer_kind == "sg"
	r.peer in db.security_groups
}

kind_word := {"db_instance": "RDS instance", "db_cluster": "DB cluster"}
