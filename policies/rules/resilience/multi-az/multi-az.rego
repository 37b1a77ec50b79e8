# METADATA
# title: Load balancers, Auto Scaling groups and the app tier span two AZs
# description: |
#   Load balancers and Auto Scaling groups have subnets (or zones) in two or
#   more availability zones, and in each VPC the app tier as a whole
#   (instances, Auto Scaling groups and ECS services whose tier is `app`)
#   spans two or more availability zones. The data tier's zones are checked
#   by rds-multi-az.
# related_resources:
#   - ref: https://docs.aws.amazon.com/wellarchitected/latest/reliability-pillar/use-fault-isolation-to-protect-your-workload.html
#     description: Well-Architected reliability, fault isolation across AZs
# custom:
#   id: multi-az
#   severity: medium
#   remediation: |
#     Add a subnet in a second availability zone to the load balancer or Auto
#     Scaling group, and run the app tier in at least two zones.
package vpcgate.rules.resilience.multi_az

import data.vpcgate.lib

deny contains f if {
	some kind in ["load_balancer", "autoscaling_group"]
	some id, n in input.resources[kind]
	zones := lib.azs(n)
	count(zones) > 0
	count(zones) < 2
	f := lib.finding(
		lib.attr(id, "subnet_ids"),
		sprintf("%s %s spans one availability zone (%s)", [replace(kind, "_", " "), lib.label(n), concat(", ", sort(zones))]),
		[lib.rel(lib.at(s), "subnet") | some s in lib.node_subnets(n)],
		"single-az",
	)
}

# app_nodes are the app-tier nodes judged directly: instances launched by
# an Auto Scaling group of the input are judged through their group.
app_nodes := [n |
	some kind in ["instance", "autoscaling_group", "ecs_service"]
	some n in input.resources[kind]
	n.derived.tier == "app"
	not input.resources.autoscaling_group[object.get(n, "autoscaling_group", "")]
]

app_by_vpc := {vpc: ids |
	some vpc in {lib.node_vpc(n) | some n in app_nodes}
	ids := [n.id | some n in app_nodes; n.derived.vpc == vpc]
}

deny contains f if {
	some vpc, ids in app_by_vpc
	zones := {z | some id in ids; some z in lib.azs(lib.node(id))}
	count(zones) == 1
	f := lib.finding(
		lib.at(vpc),
		sprintf("the app tier of %s runs in %d availability zone(s) (%s)", [vpc, count(zones), concat(", ", sort(zones))]),
		array.slice([lib.rel(lib.at(id), "app-tier node") | some id in ids], 0, lib.max_related),
		"app-tier",
	)
}

# An app tier none of whose zones the input holds is undetermined, not an
# app tier in zero zones.
deny contains f if {
	some vpc, ids in app_by_vpc
	count({z | some id in ids; some z in lib.azs(lib.node(id))}) == 0
	f := lib.undetermined(
		lib.at(vpc),
		sprintf("the availability zones of the app tier of %s are not known (no app-tier node with a known subnet or zone), so whether it spans two is undetermined", [vpc]),
		"app-tier",
	)
}
