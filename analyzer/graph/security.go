package graph

import "sort"

// PeerKind says what a security group rule admits or allows to.
type PeerKind string

// Security group rule peers.
const (
	PeerCIDR       PeerKind = "cidr"        // IPv4 CIDR
	PeerIPv6CIDR   PeerKind = "ipv6_cidr"   // IPv6 CIDR
	PeerSG         PeerKind = "sg"          // another (or the same) security group
	PeerPrefixList PeerKind = "prefix_list" // a managed prefix list
)

// Protocol "-1" means every protocol; ports are then ignored.
const ProtocolAll = "-1"

// SGRule is one security group rule with exactly one peer. A rule written
// with several CIDRs or groups becomes several SGRules sharing a Range.
type SGRule struct {
	// ID is the security group rule id (sgr-…) when known.
	ID string `json:"id,omitempty"`
	// Protocol is "-1", "tcp", "udp", "icmp", "icmpv6" or an IP protocol
	// number as a decimal string; names are lower case.
	Protocol string `json:"protocol"`
	// FromPort and ToPort bound the port range (ICMP type and code for
	// ICMP); -1 for all when Protocol is "-1" or ICMP all.
	FromPort int      `json:"from_port"`
	ToPort   int      `json:"to_port"`
	PeerKind PeerKind `json:"peer_kind"`
	// Peer is the CIDR, the security group id or the prefix list id.
	Peer string `json:"peer"`
	// PeerOwner is the account of a referenced group in another account or
	// across a peering connection.
	PeerOwner   string `json:"peer_owner,omitempty"`
	Description string `json:"description,omitempty"`
	// Unknown is set when the rule's peer or ports are not known statically.
	Unknown bool `json:"unknown,omitempty"`
	// PortsUnknown is set (with Unknown) when the protocol or ports are
	// what is not known; Unknown alone means the peer is not known (a
	// group reference with an unknown id is still a group, never an
	// address range).
	PortsUnknown bool  `json:"ports_unknown,omitempty"`
	Range        Range `json:"-"`
}

// AllPorts reports whether the rule covers every port of its protocol.
func (r SGRule) AllPorts() bool {
	return r.Protocol == ProtocolAll || (r.FromPort <= 0 && (r.ToPort == -1 || r.ToPort >= 65535))
}

// Covers reports whether the rule admits protocol proto on port.
func (r SGRule) Covers(proto string, port int) bool {
	if r.Protocol == ProtocolAll {
		return true
	}
	if r.Protocol != proto {
		return false
	}
	if r.FromPort == -1 && r.ToPort == -1 {
		return true
	}
	return port >= r.FromPort && port <= r.ToPort
}

// SecurityGroup is a security group with its ingress and egress rules.
type SecurityGroup struct {
	Base
	VPCID       string   `json:"vpc_id"`
	GroupName   string   `json:"group_name"`
	Description string   `json:"description,omitempty"`
	OwnerID     string   `json:"owner_id,omitempty"`
	Ingress     []SGRule `json:"ingress"`
	Egress      []SGRule `json:"egress"`
	// OutsideGroup is set on the node of a standalone rule whose group is
	// not part of the input (a variable, a data source, a literal sg-…
	// id, Fn::ImportValue, a parameter): it says how the rule names the
	// group. The node's id and source are the rule's; its rules are the
	// standalone rule's alone, since the group's others are not known.
	OutsideGroup string `json:"outside_group,omitempty"`
}

// IsDefault reports whether this is a VPC's default security group.
func (g *SecurityGroup) IsDefault() bool { return g.GroupName == "default" }

// Refs implements Node.
func (g *SecurityGroup) Refs() []Ref {
	var r refs
	r.add(EdgeInVPC, g.VPCID)
	for _, rules := range [][]SGRule{g.Ingress, g.Egress} {
		for _, rule := range rules {
			switch rule.PeerKind {
			case PeerSG:
				r.add(EdgeAllowsFrom, rule.Peer)
			case PeerPrefixList:
				r.add(EdgeUsesPrefixList, rule.Peer)
			}
		}
	}
	return r
}

// ACLEntry is one network ACL entry.
type ACLEntry struct {
	RuleNumber int    `json:"rule_number"` // 32767 is the implicit default deny
	Egress     bool   `json:"egress"`
	Protocol   string `json:"protocol"` // as in SGRule
	Allow      bool   `json:"allow"`
	CIDR       string `json:"cidr,omitempty"`
	IPv6CIDR   string `json:"ipv6_cidr,omitempty"`
	FromPort   int    `json:"from_port"` // -1 or 0..65535; both 0 with protocol -1
	ToPort     int    `json:"to_port"`
	Range      Range  `json:"-"`
}

// NetworkACL is a stateless subnet ACL.
type NetworkACL struct {
	Base
	VPCID     string `json:"vpc_id"`
	IsDefault bool   `json:"is_default"`
	// Entries sorted by egress flag, then rule number.
	Entries   []ACLEntry `json:"entries"`
	SubnetIDs []string   `json:"subnet_ids"`
}

// SortEntries puts the entries in evaluation order: inbound before
// outbound, then by rule number (stable for equal numbers).
func (a *NetworkACL) SortEntries() {
	sort.SliceStable(a.Entries, func(i, j int) bool {
		x, y := a.Entries[i], a.Entries[j]
		if x.Egress != y.Egress {
			return !x.Egress
		}
		return x.RuleNumber < y.RuleNumber
	})
}

// Refs implements Node.
func (a *NetworkACL) Refs() []Ref {
	var r refs
	r.add(EdgeInVPC, a.VPCID)
	r.add(EdgeAssociated, a.SubnetIDs...)
	return r
}
