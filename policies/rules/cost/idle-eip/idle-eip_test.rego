package vpcgate.rules.cost.idle_eip_test

import data.vpcgate.fixtures as fx
import data.vpcgate.rules.cost.idle_eip as rule

eip(fields) := object.union(
	object.union(fx.base("eip", "eipalloc-1"), {
		"public_ip": "198.51.100.1", "association_id": "", "instance_id": "",
		"network_interface_id": "", "nat_gateway_id": "",
	}),
	fields,
)

test_idle_fails if {
	fx.keys(rule.deny) == {["idle", false]} with input as fx.doc([eip({})])
}

test_associated_passes if {
	every fields in [{"association_id": "eipassoc-1"}, {"instance_id": "i-1"}, {"network_interface_id": "eni-1"}, {"nat_gateway_id": "nat-1"}] {
		count(rule.deny) == 0 with input as fx.doc([eip(fields)])
	}
}

test_unknown_association_is_undetermined if {
	fx.keys(rule.deny) == {["idle", true]} with input as fx.doc([eip({"unknown": ["association_id"]})])
}

# An address not yet allocated (Terraform: known after apply) is said in
# words, never as an empty "()".
test_missing_address_said_in_words if {
	some f in rule.deny with input as fx.doc([eip({"public_ip": ""})])
	f.message == "Elastic IP eipalloc-1 (address not known until allocated) is not associated with anything and costs about USD 3.65 a month"
}

test_undetermined_says_why if {
	e := eip({"unknown": ["association_id"], "association_note": "aws_globalaccelerator_endpoint_group.g, a resource vpcgate does not model, is given its id"})
	msgs := {f.message | some f in rule.deny} with input as fx.doc([e])
	msgs == {"Elastic IP eipalloc-1: its association is not known statically (aws_globalaccelerator_endpoint_group.g, a resource vpcgate does not model, is given its id)"}
}
