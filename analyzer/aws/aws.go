// Package aws holds the rules of AWS itself that every input reader needs:
// how protocols are named, the default port of each database engine, what
// AWS creates with every VPC (main route table with its local routes,
// default network ACL, default security group), the final deny entries of a
// network ACL, the ports of security group rules and network ACL entries,
// and the defaults of load balancers, listeners and target groups.
//
// The describe, Terraform and CloudFormation readers are adapters from
// their form to these rules, so that one architecture read from any form
// gives the same graph. Defaults of a form itself (the Terraform provider
// removing a new group's egress rule, CloudFormation's default instance
// type) stay in that form's reader.
//
// The package depends on analyzer/graph only.
package aws

import (
	"fmt"
	"strings"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// Protocol normalizes an IP protocol as EC2 reports it: "-1" for every
// protocol ("-1", "all" or empty), lower-case names for tcp, udp, icmp and
// icmpv6 (also when given by their numbers 6, 17, 1 and 58), any other
// protocol number as it is.
//
// It is graph.NormProtocol, the one definition the reachability analysis
// and the policy input share.
func Protocol(p string) string { return graph.NormProtocol(p) }

// ProtocolNumber returns the IP protocol number of a protocol as Protocol
// writes it ("-1" for all), or "" when p is not a known name or a number.
func ProtocolNumber(p string) string {
	switch p = Protocol(p); p {
	case "tcp":
		return "6"
	case "udp":
		return "17"
	case "icmp":
		return "1"
	case "icmpv6":
		return "58"
	}
	for _, c := range p {
		if c < '0' || c > '9' {
			if p == graph.ProtocolAll {
				return p
			}
			return ""
		}
	}
	return p
}

// IsICMP reports whether a normalized protocol is ICMP or ICMPv6, whose
// "ports" are a type and a code.
func IsICMP(proto string) bool { return proto == "icmp" || proto == "icmpv6" }

// DefaultDBPort is the port RDS gives a DB instance or cluster of engine
// when none is set: 3306 for MySQL, MariaDB and Aurora MySQL (engine
// "aurora" is Aurora MySQL 5.6), 5432 for PostgreSQL and Aurora
// PostgreSQL, 1521 for Oracle, 1433 for SQL Server, 50000 for Db2; 0 for
// an engine it does not know.
func DefaultDBPort(engine string) int {
	e := strings.ToLower(strings.TrimSpace(engine))
	switch {
	case e == "aurora", e == "aurora-mysql", e == "mysql", e == "mariadb",
		strings.HasPrefix(e, "mysql"), strings.HasPrefix(e, "mariadb"):
		return 3306
	case e == "aurora-postgresql", e == "postgres", strings.HasPrefix(e, "postgres"):
		return 5432
	case strings.HasPrefix(e, "oracle"), strings.HasPrefix(e, "custom-oracle"):
		return 1521
	case strings.HasPrefix(e, "sqlserver"), strings.HasPrefix(e, "custom-sqlserver"):
		return 1433
	case strings.HasPrefix(e, "db2"):
		return 50000
	}
	return 0
}

// SGRulePorts gives the port range of a security group rule: every port
// (-1, -1) for protocol "-1"; the stated range when given; else, for a
// rule that names no ports, all ports of tcp or udp (0-65535) and every
// type and code of ICMP or another protocol (-1, -1).
func SGRulePorts(proto string, from, to int, given bool) (int, int) {
	switch {
	case proto == graph.ProtocolAll:
		return -1, -1
	case given:
		return from, to
	case proto == "tcp" || proto == "udp":
		return 0, 65535
	}
	return -1, -1
}

// ACLPorts gives the port range of a network ACL entry as EC2 reports it:
// 0, 0 for protocol "-1"; the port range when the entry has one; the ICMP
// type and code for ICMP; -1, -1 for ICMP without them; else every port.
// ports and icmp are nil when the entry has none.
func ACLPorts(proto string, ports, icmp *[2]int) (int, int) {
	switch {
	case proto == graph.ProtocolAll:
		return 0, 0
	case IsICMP(proto) && icmp != nil:
		return icmp[0], icmp[1]
	case ports != nil:
		return ports[0], ports[1]
	case icmp != nil:
		return icmp[0], icmp[1]
	case IsICMP(proto):
		return -1, -1
	}
	return 0, 65535
}

// AllowAllEgress is the rule AWS gives every security group it creates:
// all traffic to 0.0.0.0/0.
func AllowAllEgress(r graph.Range) graph.SGRule {
	return graph.SGRule{Protocol: graph.ProtocolAll, FromPort: -1, ToPort: -1, PeerKind: graph.PeerCIDR, Peer: "0.0.0.0/0", Range: r}
}

// Default names of what AWS creates.
const (
	// DefaultGroupName is the name of a VPC's default security group.
	DefaultGroupName = "default"
	// DefaultGroupDescription is its description.
	DefaultGroupDescription = "default VPC security group"
	// DefaultVPCCIDR is the IPv4 block of a region's default VPC.
	DefaultVPCCIDR = "172.31.0.0/16"
	// ACLFinalRule is the number EC2 reports for a network ACL's final
	// "*" entry, which denies what no other entry matched and cannot be
	// removed.
	ACLFinalRule = 32767
)

// HasIPv6 reports whether a VPC has (or will have) an IPv6 block.
func HasIPv6(v *graph.VPC) bool {
	return v != nil && (len(v.IPv6CIDRBlocks) > 0 || v.IsUnknown("ipv6_cidr_blocks"))
}

// LocalRoutes are the routes every route table of v has for the VPC's own
// blocks (target "local"), IPv4 first; r is the range they are shown at.
func LocalRoutes(v *graph.VPC, r graph.Range) []graph.Route {
	var out []graph.Route
	for _, c := range v.CIDRBlocks {
		if c != "" {
			out = append(out, graph.Route{DestinationCIDR: c, TargetKind: graph.TargetLocal, TargetID: "local", State: "active", Origin: "CreateRouteTable", Range: r})
		}
	}
	for _, c := range v.IPv6CIDRBlocks {
		if c != "" {
			out = append(out, graph.Route{DestinationIPv6CIDR: c, TargetKind: graph.TargetLocal, TargetID: "local", State: "active", Origin: "CreateRouteTable", Range: r})
		}
	}
	return out
}

// AddLocalRoutes puts v's local routes first in t, unless t already has a
// local route (as a describe dump shows it).
func AddLocalRoutes(t *graph.RouteTable, v *graph.VPC, r graph.Range) {
	for _, rt := range t.Routes {
		if rt.TargetKind == graph.TargetLocal {
			return
		}
	}
	t.Routes = append(LocalRoutes(v, r), t.Routes...)
}

// MainRouteTable is the route table AWS creates with v: main, with the
// local routes only. b is its identity (id, source) in the reader's form;
// assocID the id of its main association, when the form has one.
func MainRouteTable(b graph.Base, v *graph.VPC, assocID string) *graph.RouteTable {
	b.Kind = graph.KindRouteTable
	t := &graph.RouteTable{Base: b, VPCID: v.ID, Main: true,
		Associations: []graph.RouteTableAssociation{{ID: assocID, Main: true, Range: b.Source.Range}}}
	return t
}

// FinalEntries are the "*" entries every network ACL ends with: deny all
// inbound and outbound, for IPv4 and, in a VPC with IPv6, for IPv6.
func FinalEntries(ipv6 bool, r graph.Range) []graph.ACLEntry {
	out := []graph.ACLEntry{
		{RuleNumber: ACLFinalRule, Protocol: graph.ProtocolAll, CIDR: "0.0.0.0/0", Range: r},
		{RuleNumber: ACLFinalRule, Egress: true, Protocol: graph.ProtocolAll, CIDR: "0.0.0.0/0", Range: r},
	}
	if ipv6 {
		out = append(out,
			graph.ACLEntry{RuleNumber: ACLFinalRule, Protocol: graph.ProtocolAll, IPv6CIDR: "::/0", Range: r},
			graph.ACLEntry{RuleNumber: ACLFinalRule, Egress: true, Protocol: graph.ProtocolAll, IPv6CIDR: "::/0", Range: r})
	}
	return out
}

// CompleteACL adds the final "*" entries a network ACL always has (those
// it lacks: a describe dump already shows them) and sorts the entries in
// evaluation order.
func CompleteACL(a *graph.NetworkACL, ipv6 bool, r graph.Range) {
	has := func(e graph.ACLEntry) bool {
		for _, x := range a.Entries {
			if x.RuleNumber == e.RuleNumber && x.Egress == e.Egress && x.CIDR == e.CIDR && x.IPv6CIDR == e.IPv6CIDR {
				return true
			}
		}
		return false
	}
	for _, e := range FinalEntries(ipv6, r) {
		if !has(e) {
			a.Entries = append(a.Entries, e)
		}
	}
	a.SortEntries()
}

// DefaultNetworkACL is the network ACL AWS creates with v, as AWS
// documents and describe-network-acls shows it: rule 100 allows all
// traffic in and out, the final "*" entries deny the rest; in a VPC with
// IPv6, rule 101 allows all IPv6 traffic and "*" denies the rest. Its
// subnets are left to the reader.
func DefaultNetworkACL(b graph.Base, v *graph.VPC) *graph.NetworkACL {
	b.Kind = graph.KindNetworkACL
	r := b.Source.Range
	a := &graph.NetworkACL{Base: b, VPCID: v.ID, IsDefault: true, Entries: []graph.ACLEntry{
		{RuleNumber: 100, Protocol: graph.ProtocolAll, Allow: true, CIDR: "0.0.0.0/0", Range: r},
		{RuleNumber: 100, Egress: true, Protocol: graph.ProtocolAll, Allow: true, CIDR: "0.0.0.0/0", Range: r},
	}}
	ipv6 := HasIPv6(v)
	if ipv6 {
		a.Entries = append(a.Entries,
			graph.ACLEntry{RuleNumber: 101, Protocol: graph.ProtocolAll, Allow: true, IPv6CIDR: "::/0", Range: r},
			graph.ACLEntry{RuleNumber: 101, Egress: true, Protocol: graph.ProtocolAll, Allow: true, IPv6CIDR: "::/0", Range: r})
	}
	CompleteACL(a, ipv6, r)
	return a
}

// DefaultSecurityGroup is the security group AWS creates with v: named
// "default", admitting all traffic from itself and allowing all traffic
// out (to ::/0 too in a VPC with IPv6). b is its identity in the reader's
// form (its id is the group's own peer).
func DefaultSecurityGroup(b graph.Base, v *graph.VPC) *graph.SecurityGroup {
	b.Kind = graph.KindSecurityGroup
	if b.Name == "" {
		b.Name = DefaultGroupName
	}
	r := b.Source.Range
	g := &graph.SecurityGroup{Base: b, VPCID: v.ID, GroupName: DefaultGroupName, Description: DefaultGroupDescription, OwnerID: v.OwnerID,
		Ingress: []graph.SGRule{{Protocol: graph.ProtocolAll, FromPort: -1, ToPort: -1, PeerKind: graph.PeerSG, Peer: b.ID, Range: r}},
		Egress:  []graph.SGRule{AllowAllEgress(r)},
	}
	if HasIPv6(v) {
		g.Egress = append(g.Egress, graph.SGRule{Protocol: graph.ProtocolAll, FromPort: -1, ToPort: -1, PeerKind: graph.PeerIPv6CIDR, Peer: "::/0", Range: r})
	}
	return g
}

// InDefaultGroup reports whether AWS puts n in its VPC's default security
// group because the input names no group for it: an instance (without
// network interfaces of its own), a network interface, an application
// load balancer, an ECS service in awsvpc mode, a DB instance outside a
// cluster.
func InDefaultGroup(n graph.Node) bool {
	switch n := n.(type) {
	case *graph.Instance:
		return len(n.SecurityGroups) == 0 && len(n.NetworkInterfaces) == 0 && !n.IsUnknown("security_groups")
	case *graph.NetworkInterface:
		return len(n.SecurityGroups) == 0 && !n.IsUnknown("security_groups")
	case *graph.LoadBalancer:
		return len(n.SecurityGroups) == 0 && n.Type == LBApplication && !n.IsUnknown("security_groups")
	case *graph.ECSService:
		return len(n.SecurityGroups) == 0 && len(n.SubnetIDs) > 0 && !n.IsUnknown("security_groups")
	case *graph.DBInstance:
		return len(n.SecurityGroups) == 0 && n.ClusterID == "" && !n.IsUnknown("security_groups")
	}
	return false
}

// Load balancer types and schemes.
const (
	LBApplication = "application"
	LBNetwork     = "network"
	LBGateway     = "gateway"
	LBClassic     = "classic"

	SchemeInternetFacing = "internet-facing"
	SchemeInternal       = "internal"
)

// LoadBalancerDefaults fills what ELB assumes when unset: type
// application, scheme internet-facing, IP address type ipv4, state active.
// A scheme the input leaves unknown stays unknown.
func LoadBalancerDefaults(l *graph.LoadBalancer) {
	if l.Type == "" {
		l.Type = LBApplication
	}
	if l.Scheme == "" && !l.IsUnknown("scheme") {
		l.Scheme = SchemeInternetFacing
	}
	if l.IPAddressType == "" && l.Type != LBClassic {
		l.IPAddressType = "ipv4"
	}
	if l.State == "" {
		l.State = "active"
	}
}

// ListenerProtocol is the protocol of a listener that states none: HTTP on
// an application load balancer, TCP on a network one, none on a gateway
// load balancer (its listeners carry GENEVE without a protocol).
func ListenerProtocol(lbType string) string {
	switch lbType {
	case LBApplication:
		return "HTTP"
	case LBNetwork:
		return "TCP"
	}
	return ""
}

// ActionDefaults fills what a listener action assumes when unset: a
// redirect keeps the original protocol and port ("#{protocol}",
// "#{port}").
func ActionDefaults(a *graph.ListenerAction) {
	if a.Type != "redirect" {
		return
	}
	if a.RedirectProtocol == "" {
		a.RedirectProtocol = "#{protocol}"
	}
	if a.RedirectPort == "" {
		a.RedirectPort = "#{port}"
	}
}

// TargetGroupDefaults fills what ELB assumes when unset: targets are
// instances, the health check uses the traffic port and, for an HTTP or
// HTTPS group, the path "/".
func TargetGroupDefaults(t *graph.TargetGroup) {
	if t.TargetType == "" {
		t.TargetType = "instance"
	}
	if t.HealthCheckPort == "" {
		t.HealthCheckPort = "traffic-port"
	}
	if t.HealthCheckPath == "" && (t.Protocol == "HTTP" || t.Protocol == "HTTPS") && !t.IsUnknown("health_check_path") {
		t.HealthCheckPath = "/"
	}
}

// NATDefaults fills what EC2 assumes for a NAT gateway: public
// connectivity, state available.
func NATDefaults(n *graph.NATGateway) {
	if n.ConnectivityType == "" {
		n.ConnectivityType = "public"
	}
	if n.State == "" {
		n.State = "available"
	}
}

// ClusterMultiAZ decides whether a DB cluster spans zones: a Multi-AZ DB
// cluster (it has an instance class) always does; an Aurora cluster does
// when it has two or more instances (Aurora places replicas in other
// zones). A cluster the input already says is Multi-AZ stays so.
func ClusterMultiAZ(c *graph.DBCluster) bool {
	return c.MultiAZ || c.InstanceClass != "" || len(c.Members) >= 2
}

// SetSecurityGroups sets the security groups of a node that has them
// (those InDefaultGroup knows).
func SetSecurityGroups(n graph.Node, sgs []string) {
	switch n := n.(type) {
	case *graph.Instance:
		n.SecurityGroups = sgs
	case *graph.NetworkInterface:
		n.SecurityGroups = sgs
	case *graph.LoadBalancer:
		n.SecurityGroups = sgs
	case *graph.ECSService:
		n.SecurityGroups = sgs
	case *graph.DBInstance:
		n.SecurityGroups = sgs
	}
}

// Defaults of the EC2 Auto Scaling, VPC endpoint, Elastic IP and ECS APIs
// for what an input leaves unset.
const (
	// DefaultHealthCheckType is an Auto Scaling group's health check.
	DefaultHealthCheckType = "EC2"
	// DefaultCooldown is an Auto Scaling group's cooldown, in seconds.
	DefaultCooldown = 300
	// DefaultWarmPoolState is the state of a warm pool's instances.
	DefaultWarmPoolState = "Stopped"
	// DefaultEndpointType is a VPC endpoint's type.
	DefaultEndpointType = "Gateway"
	// DefaultEIPDomain is the domain of an Elastic IP.
	DefaultEIPDomain = "vpc"
	// DefaultECSCluster is the cluster of an ECS service that names none.
	DefaultECSCluster = "default"
)

// ENIStatus is the status of a network interface: "in-use" when attached
// to an instance, else "available".
func ENIStatus(instanceID string) string {
	if instanceID != "" {
		return "in-use"
	}
	return "available"
}

// ECSLaunchType is the launch type of an ECS service that states none:
// FARGATE when its capacity provider strategy uses FARGATE or FARGATE_SPOT
// (or its task definition requires Fargate), else EC2.
func ECSLaunchType(capacityProviders []string, requiresFargate bool) string {
	for _, p := range capacityProviders {
		if strings.HasPrefix(strings.ToUpper(p), "FARGATE") {
			return "FARGATE"
		}
	}
	if requiresFargate && len(capacityProviders) == 0 {
		return "FARGATE"
	}
	return "EC2"
}

// ClassicListener is listener port of classic load balancer lb, as every
// reader names it: id "<lb id>/listener/<port>" (a classic listener has no
// ARN), the protocol in upper case, no default actions (a classic load
// balancer forwards to its registered instances on instancePort), the load
// balancer's suppressions. src is where the listener is written.
func ClassicListener(lb *graph.LoadBalancer, src graph.Source, port int, protocol string, instancePort int, certificate string) *graph.Listener {
	l := &graph.Listener{
		Base:            graph.Base{ID: fmt.Sprintf("%s/listener/%d", lb.ID, port), Kind: graph.KindListener, Source: src, Suppressions: lb.Suppressions},
		LoadBalancerARN: lb.ID, Port: port, Protocol: strings.ToUpper(protocol), InstancePort: instancePort,
		DefaultActions: []graph.ListenerAction{},
	}
	if certificate != "" {
		l.Certificates = []string{certificate}
	}
	return l
}

// OutsideGroup returns the node that stands for a standalone security
// group rule (aws_security_group_rule, aws_vpc_security_group_ingress_rule,
// AWS::EC2::SecurityGroupIngress…) whose group is not part of the input:
// the rule still exists and still opens what it opens, so it is kept as a
// group node of its own, with the rule's id and source, marked with how the
// rule names the group (ref) and with its VPC unknown. b must carry the
// rule's id, source and suppressions.
func OutsideGroup(b graph.Base, ref string) *graph.SecurityGroup {
	b.Kind = graph.KindSecurityGroup
	if ref == "" {
		ref = "not known statically"
	}
	if !b.IsUnknown("vpc_id") {
		b.Unknown = append(b.Unknown, "vpc_id")
	}
	return &graph.SecurityGroup{Base: b, OutsideGroup: ref, Ingress: []graph.SGRule{}, Egress: []graph.SGRule{}}
}

// UsedByLoadBalancer records that a network load balancer's subnet mapping
// (Terraform subnet_mapping.allocation_id, CloudFormation SubnetMappings
// AllocationId, describe LoadBalancerAddresses) uses Elastic IP e: AWS
// associates the address with the load balancer's interface in that
// subnet, so it is in use. The association is the load balancer's id when
// the input states none.
func UsedByLoadBalancer(e *graph.EIP, lb string) {
	if e.AssociationID == "" {
		e.AssociationID = lb
	}
}

// EIPAssociationUnknown marks an Elastic IP that has no known association
// as one whose association is not known, with why: a value known only at
// apply, or a resource or module vpcgate does not model that is handed the
// address. Rules then say undetermined rather than idle.
func EIPAssociationUnknown(e *graph.EIP, why string) {
	if e.Associated() {
		return
	}
	if !e.IsUnknown("association_id") {
		e.Unknown = append(e.Unknown, "association_id")
	}
	if e.AssociationNote == "" {
		e.AssociationNote = why
	} else if !strings.Contains(e.AssociationNote, why) {
		e.AssociationNote += "; " + why
	}
}
