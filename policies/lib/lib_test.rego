package vpcgate.lib_test

import data.vpcgate.lib

# facts gives a rule the parsed facts InputDocument writes.
facts(p, from, to) := {"ip_protocol": vpcgate.protocol(p), "ports": object.union(vpcgate.ports(p, from, to), {"known": true})}

# covered decides the protocol once; port by port it agrees with covers.
test_covered_agrees_with_covers if {
	rules := [
		facts("-1", -1, -1), facts("all", 0, 0), facts("6", 0, 65535), facts("tcp", -1, -1),
		facts("tcp", 22, 22), facts("tcp", 20, 3000), facts("tcp", 23, 3388), facts("tcp", 3389, 3389),
		facts("tcp", 0, 0), facts("udp", 0, 65535), facts("17", 22, 22), facts("icmp", -1, -1),
		facts("58", 22, 22),
	]
	every r in rules {
		every ports in [lib.admin_ports, lib.db_ports, [], [22, 22, 3389]] {
			lib.covered(r, ports) == [p | some p in ports; lib.covers(r, "tcp", p)]
		}
	}
	lib.covered(facts("-1", -1, -1), lib.admin_ports) == [22, 3389]
	lib.covered(facts("tcp", 20, 3000), lib.admin_ports) == [22]
	lib.covered(facts("tcp", 23, 3388), lib.admin_ports) == []
	lib.covered(facts("udp", 0, 65535), lib.admin_ports) == []
}

# The one-call constructors build what the nested ones do.
test_one_call_constructors if {
	lib.exposure_finding("i-1", 2, "m", "k") == lib.finding(lib.exposure("i-1", 2), "m", lib.exposure_path("i-1", 2), "k")
	related := [lib.rel(lib.at("i-1"), "uses the group")]
	lib.ingress_finding("sg-1", 0, "m", related, "k") == lib.finding(lib.ingress("sg-1", 0), "m", related, "k")
}

test_kind_words if {
	words := lib.kind_words with input as {"resources": {"network_interface": {}, "instance": {}, "egress_only_internet_gateway": {}}}
	words == {"network_interface": "network interface", "instance": "instance", "egress_only_internet_gateway": "egress only internet gateway"}
}
