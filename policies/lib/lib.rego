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
# Input nodes carry it (n.label); an object a policy built is labelled
# here.
label(n) := l if {
	l := n.label
} else := sprintf("%s (%s)", [n.id, n.name]) if {
	n.name != ""
	n.name != n.id
} else := n.id

# tier returns the derived tier of node id ("" when undecided). A network
# interface without its own tier has its instance's (input.tiers).
tier(id) := object.get(input.tiers, id, "")

# ingress_rules lists every ingress rule of every security group as
# [sg, group, i, rule]. A rule with several bodies over the ingress rules
# walks the groups once this way (200,000 groups without rules cost one
# pass, not one per body).
ingress_rules := [[sg, group, i, r] |
	some sg, group in input.resources.security_group
	some i, r in group.ingress
]

# sg_tiers returns the set of tiers of the nodes using security group sg.
sg_tiers(sg) := {t | some t in input.resources.security_group[sg].derived.tiers; t != ""}

# kind_words names each kind of node in messages ("network interface"),
# worked out once per evaluation rather than per message.
kind_words := {k: replace(k, "_", " ") | some k, _ in input.resources}

# max_related bounds the nodes listed as related to one finding.
max_related := 10

# sg_users_in_tier returns the ids of the nodes using sg whose tier is in
# tiers: the first max_related by id. When tiers holds every tier of the
# group, they are the first of derived.used_by (sorted), taken without
# merging the tiers' lists.
sg_users_in_tier(sg, tiers) := array.slice(group.derived.used_by, 0, max_related) if {
	group := input.resources.security_group[sg]
	every t in group.derived.tiers {
		t in tiers
	}
} else := array.slice(
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
azs(n) := {z | some z in object.get(n, ["derived", "azs"], []); z != ""} | {z |
	some s in node_subnets(n)
	z := input.resources.subnet[s].availability_zone
	z != ""
}

# or_words returns s, or words when s is empty: a message never prints an
# empty placeholder ("availability zone not known").
or_words(s, words) := s if s != ""

else := words

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

# env_tag_keys is env_tags as a set.
env_tag_keys := {k | some k in env_tags}

# tag_env returns the normalised environment of tags, if any. It walks the
# tags (most nodes have none or a few) rather than the six tag names: on an
# estate of 200,000 untagged security groups that is no step per group.
tag_env(tags) := e if {
	some k, raw in tags
	env_tag_keys[k]
	v := lower(raw)
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

# proto names a protocol the way the model does ("6" is tcp, "all" is
# "-1"). Rules and entries carry it parsed (ip_protocol) and exposures are
# written with it; this is for values a user policy reads elsewhere.
proto(p) := vpcgate.protocol(p)

# The parsed facts of a rule (see README, "Parsed facts"): ip_protocol,
# ports {from, to, all, known} and peer_set {known, world, public, wide,
# text}, decided once in Go, so that no rule compares spellings.

# covers reports whether SG rule r admits protocol p ("tcp") on port.
covers(r, _, _) if r.ip_protocol == "-1"

covers(r, p, port) if {
	r.ip_protocol == p
	r.ports.from <= port
	port <= r.ports.to
}

covers(r, p, _) if {
	r.ip_protocol == p
	r.ports.all
}

# covered returns the ports of ports that rule r admits over TCP (those
# that covers(r, "tcp", port)), deciding the protocol once rather than per
# port: rules call it for every ingress rule and every exposure.
covered(r, ports) := ports if {
	r.ip_protocol == "-1"
} else := ports if {
	r.ip_protocol == "tcp"
	r.ports.all
} else := [p | some p in ports; r.ports.from <= p; p <= r.ports.to] if {
	r.ip_protocol == "tcp"
} else := []

# ports_text describes the protocol and ports of r.
ports_text(r) := "all traffic" if r.ip_protocol == "-1"

else := sprintf("all of %s", [r.ip_protocol]) if {
	r.ports.all
	not r.ip_protocol in {"tcp", "udp"}
} else := sprintf("%s port %d", [r.ip_protocol, r.ports.from]) if r.ports.from == r.ports.to

else := sprintf("%s ports %d-%d", [r.ip_protocol, r.ports.from, r.ports.to])

# world reports whether rule r admits the whole IPv4 or IPv6 internet: a
# CIDR that is the whole space in any spelling (10.0.0.0/0, 0:0:0:0:0:0:0:0/0),
# or a prefix list holding one.
world(r) if r.peer_set.world

# public reports whether rule r admits some public address: it exposes what
# it admits to that part of the internet. Private and special ranges
# (RFC 1918, RFC 6598, link-local, loopback, ULA) and security groups do not.
public(r) if r.peer_set.public

# wide reports whether rule r admits more of the internet than one
# organisation's network: the world, or more than a /24 of public IPv4
# addresses or a /48 of public IPv6 addresses (1.0.0.0/1 is wide; an
# admin's /32 or an office's /24 is not).
wide(r) if r.peer_set.wide

# peer_text names the part of the internet (or the group) r admits:
# "0.0.0.0/0", "8.8.8.0/24 (256 public addresses)", "prefix list pl-1 (…)".
peer_text(r) := r.peer_set.text

# peer_unknown reports whether r's peer is an address range the input does
# not let us tell: a CIDR or prefix list not known statically, or a prefix
# list whose entries the input does not hold. A group reference is never
# unknown in this sense: whatever its id, it is not an address range.
peer_unknown(r) if not r.peer_set.known

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

# exposure_path relates the nodes on the path of exposure i of node id
# (derived.internet_reachable[i].path): every hop but the internet, in
# order, each with its hop's detail as role. vpcgate expands it, so that a
# rule with many exposures does not build the list hop by hop in Rego.
exposure_path(id, i) := [{"id": id, "exposure_path": i}]

# ingress_finding is finding(ingress(sg, i), msg, related, key) and
# exposure_finding is finding(exposure(id, i), msg, exposure_path(id, i),
# key), each in one call: a rule that may report every group or every
# exposed host of a big estate builds its findings with them (every Rego
# function call costs a few microseconds; see README, Speed).
ingress_finding(sg, i, msg, related, key) := {
	"at": {"id": sg, "ingress": i},
	"message": msg,
	"related": related,
	"key": key,
}

exposure_finding(id, i, msg, key) := {
	"at": {"id": id, "exposure": i},
	"message": msg,
	"related": [{"id": id, "exposure_path": i}],
	"key": key,
}

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
