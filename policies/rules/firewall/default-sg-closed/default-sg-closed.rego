# METADATA
# title: Default security groups are closed
# description: |
#   A VPC's default security group has no ingress and no egress rules, so
#   that anything launched without an explicit group gets no traffic. AWS
#   creates it with a self-referencing ingress rule and an all-traffic egress
#   rule: remove both.
# related_resources:
#   - ref: https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-2
#     description: Security Hub EC2.2 (default security group allows no traffic)
# custom:
#   id: default-sg-closed
#   severity: medium
#   remediation: |
#     Remove every rule from the default security group (Terraform:
#     aws_default_security_group with no ingress or egress blocks) and give
#     each resource its own group.
package vpcgate.rules.firewall.default_sg_closed

import data.vpcgate.lib

deny contains f if {
	some sg, group in input.resources.security_group
	group.group_name == "default"
	n := count(group.ingress) + count(group.egress)
	n > 0
	f := lib.finding(
		lib.at(sg),
		sprintf("default security group %s of %s has %d rule(s) (%d ingress, %d egress)", [sg, lib.or_words(group.vpc_id, "a VPC not known"), n, count(group.ingress), count(group.egress)]),
		array.concat(
			[lib.rel(lib.ingress(sg, i), "ingress rule") | some i, _ in group.ingress],
			[lib.rel(lib.egress(sg, i), "egress rule") | some i, _ in group.egress],
		),
		"rules",
	)
}
