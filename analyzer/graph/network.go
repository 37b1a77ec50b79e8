package graph

// VPC is a virtual private cloud.
type VPC struct {
	Base
	CIDRBlocks     []string `json:"cidr_blocks"` // IPv4, primary first
	IPv6CIDRBlocks []string `json:"ipv6_cidr_blocks,omitempty"`
	IsDefault      bool     `json:"is_default"`
	State          string   `json:"state,omitempty"`
	OwnerID        string   `json:"owner_id,omitempty"`
	// BlockPublicAccess is the VPC Block Public Access mode in force for
	// the VPC's internet gateway: "block-ingress" or "block-bidirectional"
	// (both stop traffic from the internet); "" when off or excluded.
	BlockPublicAccess string `json:"block_public_access,omitempty"`
}

// Refs implements Node.
func (*VPC) Refs() []Ref { return nil }

// Subnet is a subnet of a VPC in one availability zone.
type Subnet struct {
	Base
	VPCID               string   `json:"vpc_id"`
	AvailabilityZone    string   `json:"availability_zone"`
	AvailabilityZoneID  string   `json:"availability_zone_id,omitempty"`
	CIDRBlock           string   `json:"cidr_block"`
	IPv6CIDRBlocks      []string `json:"ipv6_cidr_blocks,omitempty"`
	MapPublicIPOnLaunch bool     `json:"map_public_ip_on_launch"`
	AssignIPv6OnCreate  bool     `json:"assign_ipv6_address_on_creation"`
	State               string   `json:"state,omitempty"`
}

// Refs implements Node.
func (s *Subnet) Refs() []Ref { var r refs; r.add(EdgeInVPC, s.VPCID); return r }

// TargetKind names what a route sends traffic to.
type TargetKind string

// Route target kinds.
const (
	TargetLocal       TargetKind = "local"
	TargetIGW         TargetKind = "igw"
	TargetNAT         TargetKind = "nat"
	TargetEIGW        TargetKind = "eigw"
	TargetPeering     TargetKind = "pcx"
	TargetTGW         TargetKind = "tgw"
	TargetVGW         TargetKind = "vgw"
	TargetEndpoint    TargetKind = "vpce"
	TargetENI         TargetKind = "eni"
	TargetInstance    TargetKind = "instance"
	TargetCarrier     TargetKind = "cagw"
	TargetLocalGW     TargetKind = "lgw"
	TargetCoreNetwork TargetKind = "core_network"
	TargetUnknown     TargetKind = "unknown"
)

// TargetKindOfID guesses a route target kind from an AWS id prefix.
func TargetKindOfID(id string) TargetKind {
	switch {
	case id == "local":
		return TargetLocal
	case hasPrefix(id, "igw-"):
		return TargetIGW
	case hasPrefix(id, "nat-"):
		return TargetNAT
	case hasPrefix(id, "eigw-"):
		return TargetEIGW
	case hasPrefix(id, "pcx-"):
		return TargetPeering
	case hasPrefix(id, "tgw-"):
		return TargetTGW
	case hasPrefix(id, "vgw-"):
		return TargetVGW
	case hasPrefix(id, "vpce-"):
		return TargetEndpoint
	case hasPrefix(id, "eni-"):
		return TargetENI
	case hasPrefix(id, "i-"):
		return TargetInstance
	case hasPrefix(id, "cagw-"):
		return TargetCarrier
	case hasPrefix(id, "lgw-"):
		return TargetLocalGW
	}
	return TargetUnknown
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }

// Route is one entry of a route table. Exactly one destination is set.
type Route struct {
	DestinationCIDR       string     `json:"destination_cidr,omitempty"`
	DestinationIPv6CIDR   string     `json:"destination_ipv6_cidr,omitempty"`
	DestinationPrefixList string     `json:"destination_prefix_list,omitempty"`
	TargetKind            TargetKind `json:"target_kind"`
	TargetID              string     `json:"target_id"`
	// State is "active" or "blackhole" (the target is gone).
	State  string `json:"state,omitempty"`
	Origin string `json:"origin,omitempty"`
	Range  Range  `json:"-"`
}

// Destination returns whichever destination the route has.
func (r Route) Destination() string {
	switch {
	case r.DestinationCIDR != "":
		return r.DestinationCIDR
	case r.DestinationIPv6CIDR != "":
		return r.DestinationIPv6CIDR
	}
	return r.DestinationPrefixList
}

// RouteTableAssociation links a route table to a subnet, or marks it main.
type RouteTableAssociation struct {
	ID        string `json:"id,omitempty"`
	SubnetID  string `json:"subnet_id,omitempty"`
	GatewayID string `json:"gateway_id,omitempty"`
	Main      bool   `json:"main"`
	Range     Range  `json:"-"`
}

// RouteTable is a VPC route table.
type RouteTable struct {
	Base
	VPCID        string                  `json:"vpc_id"`
	Main         bool                    `json:"main"`
	Routes       []Route                 `json:"routes"`
	Associations []RouteTableAssociation `json:"associations,omitempty"`
}

// Refs implements Node.
func (t *RouteTable) Refs() []Ref {
	var r refs
	r.add(EdgeInVPC, t.VPCID)
	for _, a := range t.Associations {
		r.add(EdgeAssociated, a.SubnetID, a.GatewayID)
	}
	for _, rt := range t.Routes {
		if rt.TargetKind != TargetLocal {
			r.add(EdgeRoutesTo, rt.TargetID)
		}
		r.add(EdgeUsesPrefixList, rt.DestinationPrefixList)
	}
	return r
}

// InternetGateway is an internet gateway and the VPCs it is attached to.
type InternetGateway struct {
	Base
	// VPCIDs are the VPCs the gateway is attached to (state available or
	// attached).
	VPCIDs []string `json:"vpc_ids"`
}

// Refs implements Node.
func (g *InternetGateway) Refs() []Ref { var r refs; r.add(EdgeAttachedTo, g.VPCIDs...); return r }

// EgressOnlyInternetGateway is an IPv6 egress-only gateway.
type EgressOnlyInternetGateway struct {
	Base
	VPCIDs []string `json:"vpc_ids"`
}

// Refs implements Node.
func (g *EgressOnlyInternetGateway) Refs() []Ref {
	var r refs
	r.add(EdgeAttachedTo, g.VPCIDs...)
	return r
}

// NATAddress is one address of a NAT gateway.
type NATAddress struct {
	AllocationID       string `json:"allocation_id,omitempty"`
	PublicIP           string `json:"public_ip,omitempty"`
	PrivateIP          string `json:"private_ip,omitempty"`
	NetworkInterfaceID string `json:"network_interface_id,omitempty"`
	IsPrimary          bool   `json:"is_primary"`
}

// NATGateway is a NAT gateway.
type NATGateway struct {
	Base
	VPCID    string `json:"vpc_id"`
	SubnetID string `json:"subnet_id"`
	// ConnectivityType is "public" (default) or "private".
	ConnectivityType string       `json:"connectivity_type"`
	State            string       `json:"state,omitempty"`
	Addresses        []NATAddress `json:"addresses,omitempty"`
}

// Refs implements Node.
func (n *NATGateway) Refs() []Ref {
	var r refs
	r.add(EdgeInSubnet, n.SubnetID)
	for _, a := range n.Addresses {
		r.add(EdgeUsesEIP, a.AllocationID)
		r.add(EdgeHasNetworkIF, a.NetworkInterfaceID)
	}
	return r
}

// EIP is an Elastic IP address. Its id is the allocation id
// (eipalloc-…), else the public IP.
type EIP struct {
	Base
	PublicIP           string `json:"public_ip"`
	Domain             string `json:"domain,omitempty"`
	AssociationID      string `json:"association_id,omitempty"`
	InstanceID         string `json:"instance_id,omitempty"`
	NetworkInterfaceID string `json:"network_interface_id,omitempty"`
	PrivateIP          string `json:"private_ip,omitempty"`
	// NATGatewayID is set when the address is used by a NAT gateway (known
	// from the NAT side).
	NATGatewayID string `json:"nat_gateway_id,omitempty"`
	// AssociationNote says why the association is not known when
	// association_id is unknown: the address is passed to a resource or
	// module the input does not model, or an association names its
	// address through a value known only at apply.
	AssociationNote string `json:"association_note,omitempty"`
}

// Associated reports whether the address is in use.
func (e *EIP) Associated() bool {
	return e.AssociationID != "" || e.InstanceID != "" || e.NetworkInterfaceID != "" || e.NATGatewayID != ""
}

// Refs implements Node.
func (e *EIP) Refs() []Ref {
	var r refs
	r.add(EdgeAttachedTo, e.InstanceID, e.NetworkInterfaceID)
	return r
}

// PrefixList is a managed prefix list with its entries.
type PrefixList struct {
	Base
	PrefixListName string   `json:"prefix_list_name,omitempty"`
	AddressFamily  string   `json:"address_family,omitempty"`
	Entries        []string `json:"entries"` // CIDRs
	MaxEntries     int      `json:"max_entries,omitempty"`
	// EntriesKnown is false when the entries were not part of the input
	// (describe-managed-prefix-lists without get-managed-prefix-list-entries).
	EntriesKnown bool `json:"entries_known"`
}

// Refs implements Node.
func (*PrefixList) Refs() []Ref { return nil }

// VPCEndpoint is a gateway or interface VPC endpoint.
type VPCEndpoint struct {
	Base
	VPCID          string   `json:"vpc_id"`
	ServiceName    string   `json:"service_name"`
	EndpointType   string   `json:"endpoint_type"` // Gateway, Interface, GatewayLoadBalancer
	RouteTableIDs  []string `json:"route_table_ids,omitempty"`
	SubnetIDs      []string `json:"subnet_ids,omitempty"`
	SecurityGroups []string `json:"security_groups,omitempty"`
	State          string   `json:"state,omitempty"`
}

// Refs implements Node.
func (e *VPCEndpoint) Refs() []Ref {
	var r refs
	r.add(EdgeInVPC, e.VPCID)
	r.add(EdgeInSubnet, e.SubnetIDs...)
	r.add(EdgeUsesSG, e.SecurityGroups...)
	return r
}

// PeeringSide is one side of a VPC peering connection.
type PeeringSide struct {
	VPCID          string   `json:"vpc_id"`
	OwnerID        string   `json:"owner_id,omitempty"`
	Region         string   `json:"region,omitempty"`
	CIDRBlocks     []string `json:"cidr_blocks,omitempty"`
	IPv6CIDRBlocks []string `json:"ipv6_cidr_blocks,omitempty"`
}

// VPCPeering is a VPC peering connection.
type VPCPeering struct {
	Base
	Requester PeeringSide `json:"requester"`
	Accepter  PeeringSide `json:"accepter"`
	Status    string      `json:"status,omitempty"` // active, pending-acceptance…
}

// Refs implements Node.
func (p *VPCPeering) Refs() []Ref {
	var r refs
	r.add(EdgePeers, p.Requester.VPCID, p.Accepter.VPCID)
	return r
}

// TransitGateway is a transit gateway.
type TransitGateway struct {
	Base
	State string `json:"state,omitempty"`
}

// Refs implements Node.
func (*TransitGateway) Refs() []Ref { return nil }

// TransitGatewayAttachment attaches a VPC (or another resource) to a
// transit gateway.
type TransitGatewayAttachment struct {
	Base
	TransitGatewayID string   `json:"transit_gateway_id"`
	ResourceType     string   `json:"resource_type"` // vpc, vpn, peering…
	ResourceID       string   `json:"resource_id"`
	SubnetIDs        []string `json:"subnet_ids,omitempty"`
	State            string   `json:"state,omitempty"`
}

// Refs implements Node.
func (a *TransitGatewayAttachment) Refs() []Ref {
	var r refs
	r.add(EdgeBelongsTo, a.TransitGatewayID)
	r.add(EdgeAttachedTo, a.ResourceID)
	r.add(EdgeInSubnet, a.SubnetIDs...)
	return r
}
