# METADATA
# title: Tiers admit each other by security group
# description: |
#   Security groups used by the app and data tiers admit traffic from other
#   security groups, not from CIDR ranges or prefix lists: an address range
#   keeps admitting whatever lands in it, a group reference admits exactly
#   the members of the calling tier. The load balancer (edge tier) admits the
#   internet and the bastion admits admin CIDRs; neither is checked here.
#   A group referencing itself is a group reference.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html#security-group-referencing
#     description: Security group referencing
# custom:
#   id: sg-reference-between-tiers
#   severity: medium
#   remediation: |
#     Replace the CIDR source with the security group of the calling tier
#     (the load balancer's group for the app tier, the app tier's group for
#     the data tier).
package vpcgate.rules.firewall.sg_reference_between_tiers

import data.vpcgate.lib

guarded := {"app", "data"}

deny contains f if {
	some [sg, group, i, r] in lib.ingress_rules
	not r.unknown
	r.peer_kind in {"cidr", "ipv6_cidr", "prefix_list"}
	tiers := lib.sg_tiers(sg) & guarded
	count(tiers) > 0
	f := lib.finding(
		lib.ingress(sg, i),
		sprintf("security group %s of the %s tier admits %s from %s %s instead of a security group", [lib.label(group), concat(" and ", sort(tiers)), lib.ports_text(r), peer_word[r.peer_kind], lib.or_words(r.peer, "not known")]),
		[{"id": u, "role": sprintf("%s-tier node using the group", [lib.tier(u)])} | some u in lib.sg_users_in_tier(sg, tiers)],
		lib.rule_key("ingress", r),
	)
}

deny contains f if {
	some [sg, group, i, r] in lib.ingress_rules
	r.unknown
	lib.peer_unknown(r)
	tiers := lib.sg_tiers(sg) & guarded
	count(tiers) > 0
	f := lib.undetermined(
		lib.ingress(sg, i),
		sprintf("security group %s of the %s tier: an ingress rule's source is not known statically", [lib.label(group), concat(" and ", sort(tiers))]),
		lib.rule_key("ingress", r),
	)
}

peer_word := {"cidr": "CIDR", "ipv6_cidr": "IPv6 CIDR", "prefix_list": "prefix list"}
