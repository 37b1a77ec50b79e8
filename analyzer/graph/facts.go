package graph

// Facts are derived from the nodes once per analysis (package reach) and
// read by policies, cost, the CLI and the language server.
type Facts struct {
	// Subnets maps a subnet id to its derived facts.
	Subnets map[string]*SubnetFacts `json:"subnets"`
	// Nodes maps an ENI-bearing or compute node id (instance, ENI, load
	// balancer, NAT gateway, DB instance/cluster, ASG, ECS service) to its
	// derived facts.
	Nodes map[string]*NodeFacts `json:"nodes"`
	// SGLinks is the internal reachability graph: which security group
	// admits which other group, on what.
	SGLinks []SGLink `json:"sg_links"`
	// LBTargets lists, for each listener, the targets it forwards to and
	// whether their groups admit the load balancer.
	LBTargets []LBTarget `json:"lb_targets"`
}

// SubnetClass is the routing class of a subnet.
type SubnetClass string

// Subnet classes.
const (
	SubnetPublic   SubnetClass = "public"   // a default route to an internet gateway
	SubnetPrivate  SubnetClass = "private"  // egress through a NAT gateway (or instance, TGW…)
	SubnetIsolated SubnetClass = "isolated" // no route out
)

// Egress values of SubnetFacts.
const (
	EgressIGW  = "igw"
	EgressNAT  = "nat"
	EgressNone = "none"
)

// SubnetFacts are the derived facts of a subnet.
type SubnetFacts struct {
	// RouteTable is the effective route table: the explicit association,
	// else the VPC's main table; "" when none is known.
	RouteTable string `json:"route_table"`
	// RouteTableExplicit is false when the main route table applies.
	RouteTableExplicit bool `json:"route_table_explicit"`
	// Public is true when 0.0.0.0/0 or ::/0 routes to an internet gateway.
	Public     bool        `json:"public"`
	PublicIPv6 bool        `json:"public_ipv6"`
	Class      SubnetClass `json:"class"`
	// Egress is "igw", "nat" or "none" for the IPv4 default route.
	Egress string `json:"egress"`
	// NATGateway is the NAT gateway of the default route, when Egress is
	// "nat".
	NATGateway string `json:"nat_gateway,omitempty"`
	// DefaultRoute is the index in the route table of the route that
	// decides Egress (-1 when there is none).
	DefaultRoute int `json:"default_route"`
	// NetworkACL is the effective network ACL ("" when none is known).
	NetworkACL string `json:"network_acl"`
}

// Tier is the architectural role of a compute node.
type Tier string

// Tiers.
const (
	TierEdge    Tier = "edge"    // internet-facing load balancer
	TierBastion Tier = "bastion" // SSH/RDP jump host
	TierApp     Tier = "app"     // application compute
	TierData    Tier = "data"    // databases
	TierNone    Tier = ""        // undetermined
)

// Hop is one step of a reachability path.
type Hop struct {
	Node   string `json:"node"`
	Kind   Kind   `json:"kind"`
	Detail string `json:"detail"`
}

// Blocked says which hop stops traffic, with a code in the vocabulary of
// AWS Reachability Analyzer (NO_ROUTE_TO_IGW, IGW_REQUIRES_PUBLIC_IP,
// SUBNET_ACL_RESTRICTION, ENI_SG_RULES_MISMATCH…).
type Blocked struct {
	Code   string `json:"code"`
	Node   string `json:"node"`
	Detail string `json:"detail"`
	// Fix says what would change it (set on the blockers of an explained
	// path).
	Fix string `json:"fix,omitempty"`
	// Range is where the blocking setting is written (an ACL entry, a
	// route, the attribute), when known; else the node's own range applies.
	Range Range `json:"-"`
}

// Verdict is the answer to "can the internet reach this node on this
// protocol and port".
type Verdict struct {
	Reachable bool     `json:"reachable"`
	Path      []Hop    `json:"path"`
	BlockedBy *Blocked `json:"blocked_by,omitempty"`
	// Blockers lists every setting that blocks the traffic, each judged on
	// its own, in the order a packet meets them (as AWS Reachability
	// Analyzer lists the explanations of a blocked path): the resource's
	// state or listeners, the internet gateway, the public address, the
	// return route, the network ACL inbound and for the reply, the security
	// groups.
	Blockers []Blocked `json:"blockers,omitempty"`
}

// Exposure is a range of ports on which the internet reaches a node.
type Exposure struct {
	Protocol string `json:"protocol"` // tcp, udp, icmp, -1
	FromPort int    `json:"from_port"`
	ToPort   int    `json:"to_port"`
	IPv6     bool   `json:"ipv6,omitempty"`
	// Via is "direct", or the id of the load balancer that forwards to the
	// node.
	Via  string `json:"via"`
	Path []Hop  `json:"path"`
	// Sources are the peers (CIDR, IPv6 CIDR or prefix list id, as written)
	// of the security group rules that admit the traffic, sorted. For an
	// exposure via a load balancer they are the load balancer's sources.
	Sources []string `json:"sources,omitempty"`
	// Rule is the range of the security group rule that admits the traffic.
	Rule Range `json:"-"`
}

// NodeFacts are the derived facts of a compute or ENI-bearing node.
type NodeFacts struct {
	Tier Tier `json:"tier"`
	// TierReason explains how the tier was decided ("behind target group
	// …", "tag Tier=app", "tag vpcgate:tier").
	TierReason string `json:"tier_reason,omitempty"`
	// PublicAddress is true when the node has a public IPv4 or EIP.
	PublicAddress     bool       `json:"public_address"`
	InternetReachable []Exposure `json:"internet_reachable"`
	// InternetBlocked is the first hop that stops traffic from the
	// internet on the most open path, when nothing reaches the node
	// directly (it may still be reachable via a load balancer).
	InternetBlocked *Blocked `json:"internet_blocked,omitempty"`
	// Subnets the node sits in.
	Subnets []string `json:"subnets,omitempty"`
	// SecurityGroups effective for the node.
	SecurityGroups []string `json:"security_groups,omitempty"`
}

// SGLink says that security group To admits traffic from group From.
type SGLink struct {
	From     string `json:"from"`
	To       string `json:"to"`
	Protocol string `json:"protocol"`
	FromPort int    `json:"from_port"`
	ToPort   int    `json:"to_port"`
	Rule     Range  `json:"-"`
}

// LBTarget is one listener → target group → target edge.
type LBTarget struct {
	LoadBalancer string `json:"load_balancer"`
	Listener     string `json:"listener"`
	TargetGroup  string `json:"target_group"`
	Target       string `json:"target"` // instance, IP, ASG, ECS service id
	Port         int    `json:"port"`
	// Admitted is true when the target's security groups admit the load
	// balancer on Port.
	Admitted bool `json:"admitted"`
}
