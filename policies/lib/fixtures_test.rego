# Constructors for rule tests: small, complete input documents in the shape
# of InputDocument (version 1).
package vpcgate.fixtures

# doc builds an input document from nodes, computing what InputDocument
# computes in Go: input.kinds, input.tiers (an interface inherits its
# instance's tier) and each security group's derived.tiers.
doc(nodes) := {
	"version": "1",
	"resources": {k: {n.id: finish(n, nodes) | some n in nodes; n.kind == k} | some k in {n.kind | some n in nodes}},
	"kinds": {n.id: n.kind | some n in nodes},
	"tiers": tiers_of(nodes),
	"sg_links": [],
	"lb_targets": [],
}

user_tier(nodes, u) := object.get(tiers_of(nodes), u, "")

own_tiers(nodes) := {n.id: t | some n in nodes; t := object.get(n, ["derived", "tier"], ""); t != ""}

tiers_of(nodes) := object.union(
	{n.id: t |
		some n in nodes
		n.kind == "network_interface"
		object.get(n, ["derived", "tier"], "") == ""
		t := own_tiers(nodes)[n.instance_id]
	},
	own_tiers(nodes),
)

finish(n, nodes) := object.union(n, {"derived": object.union(n.derived, {
	"tiers": sort({user_tier(nodes, u) | some u in n.derived.used_by}),
	"used_by_tier": {t: [u | some u in n.derived.used_by; user_tier(nodes, u) == t] | some t in {user_tier(nodes, u) | some u in n.derived.used_by}},
})}) if {
	n.kind == "security_group"
} else := object.union(n, {"derived": object.union(n.derived, {"hosts": sort({h | some h in n.derived.hosts} | {m.id | some m in nodes; n.id in object.get(m, ["derived", "subnets"], [])})})}) if {
	n.kind == "subnet"
} else := object.union(n, {"derived": object.union({"vpc": object.get(n, "vpc_id", "vpc-1")}, n.derived)})

base(kind, id) := {"id": id, "kind": kind, "name": "", "tags": {}, "unknown": [], "form": "describe", "address": "", "derived": {}}

with_fields(n, fields) := object.union(n, fields)

# pick returns a when cond is true, else b.
pick(cond, a, _) := a if cond

pick(cond, _, b) := b if not cond

vpc(id, env) := with_fields(base("vpc", id), {
	"cidr_blocks": [sprintf("10.%d.0.0/16", [count(id)])],
	"tags": {"Environment": env},
	"is_default": false,
})

vpc_cidr(id, env, cidr) := with_fields(vpc(id, env), {"cidr_blocks": [cidr]})

# subnet: public ones route 0.0.0.0/0 to an IGW through rtb-pub route 1;
# private ones through nat to the NAT gateway.
subnet(id, az, public) := with_fields(base("subnet", id), {
	"vpc_id": "vpc-1",
	"availability_zone": az,
	"cidr_block": "10.0.0.0/24",
	"map_public_ip_on_launch": public,
	"derived": {
		"public": public,
		"class": pick(public, "public", "private"),
		"egress": pick(public, "igw", "nat"),
		"nat_gateway": pick(public, "", "nat-1"),
		"route_table": pick(public, "rtb-pub", "rtb-priv"),
		"default_route": 1,
		"hosts": [],
	},
})

isolated_subnet(id, az) := with_fields(subnet(id, az, false), {"derived": {
	"public": false, "class": "isolated", "egress": "none", "nat_gateway": "",
	"route_table": "rtb-iso", "default_route": -1, "hosts": [],
}})

subnet_via(id, az, nat) := with_fields(subnet(id, az, false), {"derived": object.union(subnet(id, az, false).derived, {"nat_gateway": nat})})

nat(id, sub) := with_fields(base("nat_gateway", id), {
	"vpc_id": "vpc-1", "subnet_id": sub, "connectivity_type": "public", "state": "available",
	"derived": {"tier": "", "public_address": true, "internet_reachable": [], "subnets": [sub], "security_groups": []},
})

instance(id, sub, tier, sgs) := with_fields(base("instance", id), {
	"vpc_id": "vpc-1",
	"subnet_id": sub,
	"availability_zone": "",
	"public_ip": "",
	"security_groups": sgs,
	"associate_public_ip": null,
	"launch_template_id": "",
	"autoscaling_group": "",
	"derived": {"tier": tier, "public_address": false, "internet_reachable": [], "subnets": [sub], "security_groups": sgs},
})

public_instance(id, sub, tier, sgs) := with_fields(instance(id, sub, tier, sgs), {
	"public_ip": "203.0.113.10",
	"derived": object.union(instance(id, sub, tier, sgs).derived, {"public_address": true}),
})

exposed(n, exposures) := with_fields(n, {"derived": object.union(n.derived, {"internet_reachable": exposures})})

exposure(proto, from, to, via) := {
	"protocol": proto, "from_port": from, "to_port": to, "via": via,
	"path": [
		{"node": "igw-1", "kind": "internet_gateway", "detail": "internet gateway"},
		{"node": "sg-x", "kind": "security_group", "detail": "admits the port"},
	],
}

asg(id, subs, tier) := with_fields(base("autoscaling_group", id), {
	"subnet_ids": subs, "availability_zones": [], "launch_template_id": "",
	"min_size": 2, "max_size": 4, "desired_capacity": 2,
	"derived": {"tier": tier, "public_address": false, "internet_reachable": [], "subnets": subs, "security_groups": []},
})

lb(id, scheme, subs) := with_fields(base("load_balancer", id), {
	"lb_name": id, "type": "application", "scheme": scheme, "vpc_id": "vpc-1",
	"subnet_ids": subs, "availability_zones": [], "security_groups": ["sg-lb"],
	"derived": {"tier": pick(scheme == "internet-facing", "edge", ""), "public_address": false, "internet_reachable": [], "subnets": subs, "security_groups": ["sg-lb"]},
})

listener(id, lb_id, proto, port, actions) := with_fields(base("listener", id), {
	"load_balancer_arn": lb_id, "protocol": proto, "port": port, "default_actions": actions,
})

db(id, group, sgs) := with_fields(base("db_instance", id), {
	"engine": "postgres", "instance_class": "db.t3.micro", "multi_az": true,
	"publicly_accessible": false, "port": 5432, "db_subnet_group": group, "vpc_id": "vpc-1",
	"security_groups": sgs, "availability_zone": "us-east-1a", "cluster_id": "",
	"derived": {"tier": "data", "public_address": false, "internet_reachable": [], "subnets": [], "security_groups": sgs},
})

db_group(id, subs) := with_fields(base("db_subnet_group", id), {"vpc_id": "vpc-1", "subnet_ids": subs, "availability_zones": []})

sg(id, used_by, ingress) := with_fields(base("security_group", id), {
	"vpc_id": "vpc-1", "group_name": id, "ingress": ingress, "egress": [],
	"derived": {"used_by": used_by},
})

rule(proto, from, to, kind, peer) := {
	"protocol": proto, "from_port": from, "to_port": to,
	"peer_kind": kind, "peer": peer, "unknown": false,
}

tcp_cidr(port, cidr) := rule("tcp", port, port, "cidr", cidr)

tcp_sg(port, group) := rule("tcp", port, port, "sg", group)

unknown_rule(port) := object.union(rule("tcp", port, port, "cidr", ""), {"unknown": true})

# keys returns the set of finding keys in deny, with their undetermined mark.
keys(deny) := {[f.key, object.get(f, "undetermined", false)] | some f in deny}

# ids returns the set of resource ids findings point at.
ids(deny) := {f.at.id | some f in deny}
