# METADATA
# title: Staging and production are isolated
# description: |
#   Nodes of the staging and production environments cannot reach each
#   other: no active VPC peering joins a staging VPC to a production VPC, no
#   route in one sends traffic for the other's CIDR anywhere but local, and
#   no security group of one admits a security group of the other or a CIDR
#   overlapping the other's VPC (0.0.0.0/0 and ::/0 are left to
#   admin-ports-open-to-world and only-lb-public). A node's environment is
#   its Environment, Env or Stage tag, else its VPC's (prod, prd and live
#   mean production; stage, stg and preprod mean staging).
# related_resources:
#   - ref: https://docs.aws.amazon.com/prescriptive-guidance/latest/security-reference-architecture/workloads-ou.html
#     description: Separate environments into their own VPCs and accounts
# custom:
#   id: env-isolation
#   severity: high
#   remediation: |
#     Remove the peering, route or security group rule that joins the two
#     environments; share services through endpoints or separate accounts.
package vpcgate.rules.network.env_isolation

import data.vpcgate.lib

isolated := {"production", "staging"}

vpc_env := {id: e |
	some id, v in input.resources.vpc
	e := lib.tag_env(v.tags)
	e in isolated
}

other(e) := o if {
	some o in isolated
	o != e
}

deny contains f if {
	some id, p in input.resources.vpc_peering
	not p.status in {"rejected", "deleted", "failed", "expired"}
	a := vpc_env[p.requester.vpc_id]
	b := vpc_env[p.accepter.vpc_id]
	a != b
	f := lib.finding(
		lib.at(id),
		sprintf("peering %s joins %s VPC %s and %s VPC %s", [id, a, p.requester.vpc_id, b, p.accepter.vpc_id]),
		[lib.rel(lib.at(p.requester.vpc_id), sprintf("%s VPC", [a])), lib.rel(lib.at(p.accepter.vpc_id), sprintf("%s VPC", [b]))],
		"peering",
	)
}

deny contains f if {
	some id, rt in input.resources.route_table
	e := vpc_env[rt.vpc_id]
	some i, r in rt.routes
	r.target_kind != "local"
	dest := object.get(r, "destination_cidr", "")
	dest != ""
	not r.destination_set.world
	some vid, o in vpc_env
	o == other(e)
	some c in input.resources.vpc[vid].cidr_blocks
	net.cidr_intersects(dest, c)
	f := lib.finding(
		lib.route(id, i),
		sprintf("%s route table %s routes %s (%s VPC %s) to %s %s", [e, id, dest, o, vid, lib.or_words(r.target_kind, "a target"), lib.or_words(r.target_id, "not known")]),
		[lib.rel(lib.at(vid), sprintf("%s VPC", [o])), lib.rel(lib.at(r.target_id), "route target")],
		sprintf("route %s %s", [dest, vid]),
	)
}

deny contains f if {
	some [sg, group, i, r] in lib.ingress_rules
	not r.unknown
	r.peer_kind == "sg"
	e := sg_env(group)
	o := sg_env(input.resources.security_group[r.peer])
	o == other(e)
	f := lib.finding(
		lib.ingress(sg, i),
		sprintf("%s security group %s admits %s security group %s (%s)", [e, lib.label(group), o, r.peer, lib.ports_text(r)]),
		[lib.rel(lib.at(r.peer), sprintf("%s security group", [o]))],
		lib.rule_key("ingress", r),
	)
}

deny contains f if {
	some [sg, group, i, r] in lib.ingress_rules
	not r.unknown
	r.peer_kind in {"cidr", "ipv6_cidr"}
	not lib.world(r)
	e := sg_env(group)
	some vid, o in vpc_env
	o == other(e)
	some c in input.resources.vpc[vid].cidr_blocks
	net.cidr_intersects(r.peer, c)
	f := lib.finding(
		lib.ingress(sg, i),
		sprintf("%s security group %s admits %s, which overlaps %s VPC %s (%s)", [e, lib.label(group), r.peer, o, vid, c]),
		[lib.rel(lib.at(vid), sprintf("%s VPC", [o]))],
		sprintf("%s %s", [lib.rule_key("ingress", r), vid]),
	)
}

sg_env(group) := e if {
	e := lib.tag_env(group.tags)
	e in isolated
} else := e if {
	not lib.tag_env(group.tags)
	e := vpc_env[group.vpc_id]
}
