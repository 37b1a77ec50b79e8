# METADATA
# title: vpcgate helpers
# description: |
#   Shared helpers for vpcgate rules: node lookup, tiers, environments,
#   security group rule matching, and the constructors every rule builds its
#   findings with.
package vpcgate.lib

# Node kinds that carry a derived tier.
compute_kinds := [
	"instance", "network_interface", "load_balancer", "nat_gateway",
	"db_instance", "db_cluster", "autoscaling_group", "ecs_service",
]

# Database ports that must never face the internet.
db_ports := [3306, 5432, 1433, 1521, 27017, 6379]

# Remote administration ports.
admin_ports := [22, 3389]

# Default port of an RDS engine.
engine_port(engine) := 3306 if {
	some prefix in ["mysql", "mariadb", "aurora-mysql", "aurora"]
	engine == prefix
} else := 5432 if {
	some prefix in ["postgres", "aurora-postgresql"]
	engine == prefix
} else := 1433 if {
	startswith(engine, "sqlserver")
} else := 1521 if {
	startswith(engine, "oracle")
} else := 0

# db_port is the port a DB instance or cluster listens on.
db_port(db) := db.port if db.port > 0

else := engine_port(db.engine)

# node returns the node with id, whatever its kind.
node(id) := input.resources[input.kinds[id]][id]

# label names a node for messages: its id, with its Name in parentheses.
label(n) := sprintf("%s (%s)", [n.id, n.name]) if {
	n.name != ""
	n.name != n.id
} else := n.id

# tier returns the derived tier of node id ("" when undecided). A network
# interface without its own tier has its instance's (input.tiers).
tier(id) := object.get(input.tiers, id, "")

# sg_tiers returns the set of tiers of the nodes using security group sg.
sg_tiers(sg) := {t | some t in input.resources.security_group[sg].derived.tiers; t != ""}

# max_related bounds the nodes listed as related to one finding.
max_related := 10

# sg_users_in_tier returns the ids of the nodes using sg whose tier is in tiers.
sg_users_in_tier(sg, tiers) := array.slice(
	sort([id |
		some t in tiers
		some id in array.slice(object.get(input.resources.security_group[sg].derived.used_by_tier, t, []), 0, max_related)
	]),
	0, max_related,
)

# node_subnets returns the ids of the subnets node n sits in (derived.subnets).
node_subnets(n) := {s | some s in n.derived.subnets}

# node_vpc returns the VPC of node n.
node_vpc(n) := n.derived.vpc if {
	n.derived.vpc != ""
} else := n.vpc_id if {
	n.vpc_id != ""
} else := v if {
	some s in node_subnets(n)
	v := input.resources.subnet[s].vpc_id
}

# azs returns the availability zones node n spans (derived.azs, and its
# subnets' zones).
azs(n) := {z | some z in object.get(n, ["derived", "azs"], [])} | {z |
	some s in node_subnets(n)
	z := input.resources.subnet[s].availability_zone
}

# unknown reports whether attribute attr of node n is unknown in the input.
unknown(n, attr) if attr in n.unknown

# Environment names, normalised.
env_names := {
	"production": "production", "prod": "production", "prd": "production", "live": "production",
	"staging": "staging", "stage": "staging", "stg": "staging", "preprod": "staging",
	"development": "development", "dev": "development", "test": "test", "testing": "test",
	"qa": "test", "sandbox": "development",
}

env_tags := ["Environment", "environment", "Env", "env", "Stage", "stage"]

# tag_env returns the normalised environment of tags, if any.
tag_env(tags) := e if {
	some k in env_tags
	v := lower(tags[k])
	e := object.get(env_names, v, v)
}

# env returns the environment of node n: its own tag, else its VPC's.
env(n) := e if {
	e := tag_env(n.tags)
} else := e if {
	e := tag_env(input.resources.vpc[node_vpc(n)].tags)
}

# production reports whether node n is production, or untagged.
production(n) if env(n) == "production"

production(n) if not env(n)

# proto returns the protocol name of a rule ("6" is tcp).
proto(p) := object.get({"6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6"}, p, lower(p))

# covers reports whether SG rule r admits protocol p ("tcp") on port.
covers(r, _, _) if r.protocol == "-1"

covers(r, p, port) if {
	proto(r.protocol) == p
	r.from_port <= port
	port <= r.to_port
}

covers(r, p, _) if {
	proto(r.protocol) == p
	r.from_port == -1
	r.to_port == -1
}

# covered returns the ports of ports that rule r admits over TCP.
covered(r, ports) := [p | some p in ports; covers(r, "tcp", p)]

# ports_text describes the protocol and ports of r.
ports_text(r) := "all traffic" if r.protocol == "-1"

else := sprintf("%s port %d", [proto(r.protocol), r.from_port]) if r.from_port == r.to_port

else := sprintf("%s ports %d-%d", [proto(r.protocol), r.from_port, r.to_port])

# world_cidr reports whether c is the whole IPv4 or IPv6 internet.
world_cidr(c) if c in {"0.0.0.0/0", "::/0"}

# world reports whether rule r admits the whole internet, directly or
# through a prefix list holding 0.0.0.0/0 or ::/0.
world(r) if {
	r.peer_kind in {"cidr", "ipv6_cidr"}
	world_cidr(r.peer)
}

world(r) if {
	r.peer_kind == "prefix_list"
	some e in input.resources.prefix_list[r.peer].entries
	world_cidr(e)
}

# peer_unknown reports whether r's peer is a prefix list whose entries the
# input does not hold.
peer_unknown(r) if {
	r.peer_kind == "prefix_list"
	not input.resources.prefix_list[r.peer].entries_known
}

# rule_key is a discriminator for an SG rule that survives reordering.
rule_key(dir, r) := sprintf("%s %s %d-%d %s %s", [dir, r.protocol, r.from_port, r.to_port, r.peer_kind, r.peer])

# public_route returns the related entries that make subnet s public: its
# route table's default route.
public_route(s) := [rel(route(s.derived.route_table, s.derived.default_route), "route to the internet gateway") |
	s.derived.route_table != ""
	s.derived.default_route >= 0
]

# Locators: where a finding or a related entry points.
at(id) := {"id": id}

attr(id, name) := {"id": id, "attr": name}

ingress(sg, i) := {"id": sg, "ingress": i}

egress(sg, i) := {"id": sg, "egress": i}

route(rt, i) := {"id": rt, "route": i}

exposure(id, i) := {"id": id, "exposure": i}

# rel marks a locator as related, with its role.
rel(loc, role) := object.union(loc, {"role": role})

# finding builds a finding at loc. key discriminates findings of one rule on
# one resource; it must not contain line numbers.
finding(loc, msg, related, key) := {
	"at": loc,
	"message": msg,
	"related": related,
	"key": key,
}

# undetermined builds a finding saying the input does not let the rule
# decide (an unknown attribute, an unresolved rule peer).
undetermined(loc, msg, key) := {
	"at": loc,
	"message": msg,
	"related": [],
	"key": key,
	"undetermined": true,
}

# as_finding normalises what a deny rule yields: an object from finding or
# undetermined, or a plain message string (conftest style).
as_finding(x) := x if is_object(x)

as_finding(x) := {"message": x, "related": [], "key": x} if is_string(x)
