# METADATA
# title: No idle Elastic IPs
# description: |
#   Every Elastic IP is associated with an instance, a network interface, a
#   NAT gateway or a network load balancer (its subnet mapping). An address
#   whose association the input does not let us know (a value known only
#   at apply, an address handed to a resource or module vpcgate does not
#   model) is undetermined, never idle. An idle address still costs the public IPv4 charge
#   (USD 0.005 per hour, about USD 3.65 a month) and is often a leftover of a
#   removed resource.
# related_resources:
#   - ref: https://aws.amazon.com/vpc/pricing/
#     description: Public IPv4 address pricing
# custom:
#   id: idle-eip
#   severity: low
#   remediation: Release the address, or associate it with the resource it was allocated for.
package vpcgate.rules.cost.idle_eip

import data.vpcgate.lib

deny contains f if {
	some id, e in input.resources.eip
	not lib.unknown(e, "association_id")
	every k in ["association_id", "instance_id", "network_interface_id", "nat_gateway_id"] {
		object.get(e, k, "") == ""
	}
	f := lib.finding(
		lib.at(id),
		sprintf("Elastic IP %s (%s) is not associated with anything and costs about USD 3.65 a month", [id, lib.or_words(e.public_ip, "address not known until allocated")]),
		[],
		"idle",
	)
}

deny contains f if {
	some id, e in input.resources.eip
	lib.unknown(e, "association_id")
	f := lib.undetermined(lib.at(id), sprintf("Elastic IP %s: its association is not known statically%s", [id, note(e)]), "idle")
}

# note says why the association is not known, when the reader knows.
note(e) := sprintf(" (%s)", [e.association_note]) if {
	object.get(e, "association_note", "") != ""
} else := ""
