# METADATA
# title: No shadowed filter rules
# description: |
#   No network ACL entry is shadowed and no security group rule is
#   redundant. A network ACL applies the first entry, lowest rule number
#   first, whose protocol, ports and CIDR match; an entry whose every flow
#   (protocol × ports × addresses) lower-numbered entries of its direction
#   already match never applies, whatever its action: it reads as a rule
#   that does something and does nothing (a deny that never denies). Several
#   lower entries together count (two halves of the address space, two port
#   ranges). Security group rules are a union: a rule whose every flow other
#   rules of its group and direction already admit adds nothing (of two
#   equal rules the later is reported; a rule is never reported as covered
#   by one it covers itself, so removing every reported rule changes
#   nothing). Addresses are compared as prefixes in any spelling, protocol
#   numbers as protocols, port ranges as ranges; a group reference is
#   covered only by a rule referencing the same group. Rules with unknown
#   values and prefix lists without their entries are left out. The
#   finding points at the shadowed entry or rule, with the covering ones as
#   related locations. Batfish calls this filter line reachability.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html
#     description: Network ACL rules (rule evaluation, lowest number first)
#   - ref: https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
#     description: Security group rules (evaluated together, permissive only)
# custom:
#   id: shadowed-rule
#   severity: low
#   remediation: |
#     Remove the shadowed entry or rule, or, when it was meant to apply, give
#     the network ACL entry a rule number below the entries that cover it
#     (or narrow those entries).
package vpcgate.rules.firewall.shadowed_rule

import data.vpcgate.lib

deny contains f if {
	some id, acl in input.resources.network_acl
	some sh in acl.derived.shadowed
	e := acl.entries[sh.entry]
	f := lib.finding(
		{"id": id, "entry": sh.entry},
		sprintf("network ACL %s: %s entry %d (%s) never applies: %s %s all its traffic first", [lib.label(acl), direction(e), e.rule_number, entry_text(e), numbers(acl, sh.by), plural(sh.by, "matches", "match")]),
		[lib.rel({"id": id, "entry": j}, sprintf("%s entry %d (%s), matched first", [direction(acl.entries[j]), acl.entries[j].rule_number, entry_text(acl.entries[j])])) | some j in sh.by],
		sprintf("%s %d", [direction(e), e.rule_number]),
	)
}

deny contains f if {
	some sg, group in input.resources.security_group
	some sh in group.derived.shadowed
	r := group[sh.direction][sh.rule]
	f := lib.finding(
		{"id": sg, sh.direction: sh.rule},
		sprintf("security group %s: %s rule (%s) adds nothing: %s (%s) already %s its traffic", [lib.label(group), sh.direction, rule_text(sh.direction, r), plural(sh.by, "rule", "rules"), concat("; ", [rule_text(sh.direction, group[sh.direction][j]) | some j in sh.by]), plural(sh.by, "admits", "admit")]),
		[lib.rel({"id": sg, sh.direction: j}, sprintf("covering %s rule (%s)", [sh.direction, rule_text(sh.direction, group[sh.direction][j])])) | some j in sh.by],
		sprintf("shadowed %s", [lib.rule_key(sh.direction, r)]),
	)
}

direction(e) := "outbound" if e.egress

else := "inbound"

# entry_text names an entry's action, protocol, ports and CIDR as written.
entry_text(e) := sprintf("%s %s %s %s", [action(e), lib.ports_text(e), direction_word(e), cidr(e)])

action(e) := "allow" if e.allow

else := "deny"

direction_word(e) := "to" if e.egress

else := "from"

cidr(e) := lib.or_words(concat("", [object.get(e, "cidr", ""), object.get(e, "ipv6_cidr", "")]), "a CIDR not known")

# numbers names the covering entries by rule number: "entry 100",
# "entries 100, 110".
numbers(acl, by) := sprintf("%s %s", [plural(by, "entry", "entries"), concat(", ", [sprintf("%d", [acl.entries[j].rule_number]) | some j in by])])

plural(xs, one, _) := one if count(xs) == 1

plural(xs, _, many) := many if count(xs) != 1

# rule_text names a rule's protocol, ports and peer as written.
rule_text(dir, r) := sprintf("%s %s %s", [lib.ports_text(r), rule_direction_word[dir], peer_name(r)])

rule_direction_word := {"ingress": "from", "egress": "to"}

peer_name(r) := sprintf("security group %s", [r.peer]) if r.peer_kind == "sg"

else := sprintf("prefix list %s", [r.peer]) if r.peer_kind == "prefix_list"

else := r.peer
