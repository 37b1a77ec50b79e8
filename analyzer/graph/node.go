package graph

// Kind names a node type. The values are the contract of the JSON output and
// of the policy input.
type Kind string

// Node kinds.
const (
	KindVPC                       Kind = "vpc"
	KindSubnet                    Kind = "subnet"
	KindRouteTable                Kind = "route_table"
	KindInternetGateway           Kind = "internet_gateway"
	KindEgressOnlyInternetGateway Kind = "egress_only_internet_gateway"
	KindNATGateway                Kind = "nat_gateway"
	KindEIP                       Kind = "eip"
	KindSecurityGroup             Kind = "security_group"
	KindNetworkACL                Kind = "network_acl"
	KindPrefixList                Kind = "prefix_list"
	KindInstance                  Kind = "instance"
	KindNetworkInterface          Kind = "network_interface"
	KindLoadBalancer              Kind = "load_balancer"
	KindListener                  Kind = "listener"
	KindTargetGroup               Kind = "target_group"
	KindAutoScalingGroup          Kind = "autoscaling_group"
	KindLaunchTemplate            Kind = "launch_template"
	KindDBInstance                Kind = "db_instance"
	KindDBCluster                 Kind = "db_cluster"
	KindDBSubnetGroup             Kind = "db_subnet_group"
	KindVPCEndpoint               Kind = "vpc_endpoint"
	KindVPCPeering                Kind = "vpc_peering"
	KindTransitGateway            Kind = "transit_gateway"
	KindTransitGatewayAttachment  Kind = "transit_gateway_attachment"
	KindECSService                Kind = "ecs_service"
	KindVolume                    Kind = "volume"
)

// Kinds lists every node kind in output order.
var Kinds = []Kind{
	KindVPC, KindSubnet, KindRouteTable, KindInternetGateway, KindEgressOnlyInternetGateway,
	KindNATGateway, KindEIP, KindSecurityGroup, KindNetworkACL, KindPrefixList, KindInstance,
	KindNetworkInterface, KindLoadBalancer, KindListener, KindTargetGroup, KindAutoScalingGroup,
	KindLaunchTemplate, KindDBInstance, KindDBCluster, KindDBSubnetGroup, KindVPCEndpoint,
	KindVPCPeering, KindTransitGateway, KindTransitGatewayAttachment, KindECSService, KindVolume,
}

// Node is any vertex of the graph. Every node type embeds Base.
type Node interface {
	// Meta returns the fields common to every node.
	Meta() *Base
	// Refs returns the node's references to other nodes, in a stable order.
	Refs() []Ref
}

// Base holds what every node has: identity, tags, provenance and
// suppressions.
type Base struct {
	// ID is the AWS id where known (vpc-…, an ARN for load balancers,
	// listeners and target groups, the name of an Auto Scaling group, the
	// identifier of an RDS instance or cluster), else the IaC address.
	ID   string `json:"-"`
	Kind Kind   `json:"-"`
	// Name is the Name tag, or the resource's own name where it has one.
	Name string            `json:"-"`
	Tags map[string]string `json:"-"`
	// Aliases are other strings a user may name the node by (an ARN, a
	// resource name, an IaC address).
	Aliases []string `json:"-"`
	Source  Source   `json:"-"`
	// Attrs holds the ranges of individual attributes, keyed by the
	// attribute's snake_case name in this model ("publicly_accessible",
	// "multi_az", "scheme", "map_public_ip_on_launch"), so that findings point
	// at the offending attribute rather than the whole block.
	Attrs map[string]Range `json:"-"`
	// Unknown lists the attributes whose value the input leaves unknown
	// (a Terraform value known only after apply, an unresolved parameter).
	// Rules depending on them report "undetermined" instead of guessing.
	Unknown []string `json:"-"`
	// Suppressions written on the resource itself (inline comments,
	// CloudFormation metadata).
	Suppressions []Suppression `json:"-"`
}

// Meta implements Node.
func (b *Base) Meta() *Base { return b }

// AttrRange returns the range of attribute name, falling back to the node's
// own range.
func (b *Base) AttrRange(name string) Range {
	if r, ok := b.Attrs[name]; ok {
		return r
	}
	return b.Source.Range
}

// SetAttr records the range of attribute name.
func (b *Base) SetAttr(name string, r Range) {
	if b.Attrs == nil {
		b.Attrs = map[string]Range{}
	}
	b.Attrs[name] = r
}

// IsUnknown reports whether attribute name is unknown in the input.
func (b *Base) IsUnknown(name string) bool {
	for _, u := range b.Unknown {
		if u == name {
			return true
		}
	}
	return false
}

// Tag returns the value of tag key, or "".
func (b *Base) Tag(key string) string { return b.Tags[key] }

// Suppression silences one rule on one resource, with a reason.
type Suppression struct {
	RuleID string `json:"rule_id"`
	Reason string `json:"reason"`
	Range  Range  `json:"location"`
	// Source says where the suppression was written: "inline", "config",
	// "baseline".
	Source string `json:"source"`
}

// EdgeKind names a reference between two nodes.
type EdgeKind string

// Edge kinds.
const (
	EdgeInVPC          EdgeKind = "in_vpc"          // subnet, SG, route table… → vpc
	EdgeInSubnet       EdgeKind = "in_subnet"       // instance, ENI, NAT, LB, ASG… → subnet
	EdgeAssociated     EdgeKind = "associated_with" // route table / NACL → subnet
	EdgeRoutesTo       EdgeKind = "routes_to"       // route table → route target
	EdgeAttachedTo     EdgeKind = "attached_to"     // IGW → vpc, ENI → instance, EIP → ENI
	EdgeUsesSG         EdgeKind = "uses_sg"         // ENI-bearing node → security group
	EdgeAllowsFrom     EdgeKind = "allows_from"     // security group → referenced security group
	EdgeUsesPrefixList EdgeKind = "uses_prefix_list"
	EdgeListenerOf     EdgeKind = "listener_of"   // listener → load balancer
	EdgeForwardsTo     EdgeKind = "forwards_to"   // listener → target group
	EdgeTargets        EdgeKind = "targets"       // target group → target
	EdgeLaunchesFrom   EdgeKind = "launches_from" // ASG → launch template
	EdgeMemberOf       EdgeKind = "member_of"     // instance → ASG, DB instance → cluster
	EdgeSubnetGroup    EdgeKind = "in_subnet_group"
	EdgeHasNetworkIF   EdgeKind = "has_interface" // instance, NAT… → ENI
	EdgeUsesEIP        EdgeKind = "uses_eip"      // NAT, instance → EIP
	EdgePeers          EdgeKind = "peers_with"    // peering → vpc
	EdgeBelongsTo      EdgeKind = "belongs_to"    // TGW attachment → TGW
)

// Ref is a reference from a node to another node by id.
type Ref struct {
	To   string
	Kind EdgeKind
}

// Edge is a directed reference between two nodes of the graph.
type Edge struct {
	From string   `json:"from"`
	To   string   `json:"to"`
	Kind EdgeKind `json:"kind"`
}

// refs builds a reference list, skipping empty ids.
type refs []Ref

func (r *refs) add(kind EdgeKind, ids ...string) {
	for _, id := range ids {
		if id != "" {
			*r = append(*r, Ref{To: id, Kind: kind})
		}
	}
}
