# METADATA
# title: App tier is private
# description: |
#   Application-tier compute (instances, Auto Scaling groups and ECS services
#   whose derived tier is `app`) sits in private subnets and has no public IP
#   address. A public subnet is one whose route table sends 0.0.0.0/0 or ::/0
#   to an internet gateway; the finding points at the node and names the
#   subnet and the route that makes it public.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/userguide/vpc-example-private-subnets-nat.html
#     description: VPC with servers in private subnets and NAT
# custom:
#   id: private-app-tier
#   severity: high
#   remediation: |
#     Move the app tier into private subnets (default route to a NAT gateway,
#     not an internet gateway), disable public IP assignment
#     (associate_public_ip_address = false, AssignPublicIp DISABLED), and let
#     the internet reach it only through a load balancer.
package vpcgate.rules.network.private_app_tier

import data.vpcgate.lib

app_kinds := ["instance", "autoscaling_group", "ecs_service"]

deny contains f if {
	some kind in app_kinds
	some id, n in input.resources[kind]
	n.derived.tier == "app"
	some sid in n.derived.subnets
	s := input.resources.subnet[sid]
	s.derived.public
	f := lib.finding(
		lib.attr(id, "subnet_id"),
		sprintf("app-tier %s %s sits in public subnet %s", [n.kind, lib.label(n), lib.label(s)]),
		array.concat([lib.rel(lib.attr(sid, "cidr_block"), "public subnet")], lib.public_route(s)),
		sprintf("public-subnet %s", [sid]),
	)
}

deny contains f if {
	some kind in app_kinds
	some id, n in input.resources[kind]
	n.derived.tier == "app"
	n.derived.public_address
	f := public_finding(n)
}

deny contains f if {
	some id, n in input.resources.ecs_service
	n.derived.tier == "app"
	not n.derived.public_address
	n.assign_public_ip
	f := public_finding(n)
}

deny contains f if {
	some id, n in input.resources.autoscaling_group
	n.derived.tier == "app"
	not n.derived.public_address
	input.resources.launch_template[n.launch_template_id].associate_public_ip == true
	f := public_finding(n)
}

public_finding(n) := lib.finding(
	lib.attr(n.id, address_attr[n.kind]),
	sprintf("app-tier %s %s has a public IP address", [n.kind, lib.label(n)]),
	address_related(n),
	"public-address",
)

deny contains f if {
	some kind in app_kinds
	some id, n in input.resources[kind]
	n.derived.tier == "app"
	n.unknown != []
	not public_address(n)
	some a in ["associate_public_ip", "public_ip", "assign_public_ip"]
	lib.unknown(n, a)
	f := lib.undetermined(
		lib.attr(id, a),
		sprintf("app-tier %s %s: whether it gets a public IP (%s) is not known until apply", [n.kind, lib.label(n), a]),
		"public-address",
	)
}

address_attr := {
	"instance": "public_ip",
	"autoscaling_group": "launch_template_id",
	"ecs_service": "assign_public_ip",
}

public_address(n) if n.derived.public_address

public_address(n) if {
	n.kind == "ecs_service"
	n.assign_public_ip
}

public_address(n) if {
	n.kind == "autoscaling_group"
	input.resources.launch_template[n.launch_template_id].associate_public_ip == true
}

address_related(n) := [lib.rel(lib.attr(n.launch_template_id, "associate_public_ip"), "launch template assigning a public IP")] if {
	n.kind == "autoscaling_group"
	input.resources.launch_template[n.launch_template_id]
} else := []
