// Package reach derives facts from the graph once per analysis: each
// subnet's effective route table, network ACL and class; what the internet
// reaches on which protocol and ports, hop by hop, or what blocks it; load
// balancer targets; the security-group-to-security-group graph; and the
// tier of each compute node.
//
// Reachability from the internet follows a packet the way AWS Reachability
// Analyzer does: an internet gateway attached to the VPC, a public address
// on the interface, the subnet route table sending replies back to the
// gateway (longest prefix match), the network ACL inbound and, for the
// reply on ephemeral ports, outbound (ordered, stateless), the union of the
// security groups (stateful), then the resource itself (running, publicly
// accessible, internet-facing, listening). Port sets are computed as
// intervals, and source addresses are split into ranges on which every
// rule decides the same way, so no port or address is enumerated.
//
// Modelling choices worth knowing:
//
//   - The internet is every public address: RFC 1918, RFC 6598, loopback,
//     link-local, multicast and reserved IPv4 ranges are never sources, and
//     for IPv6 only 2000::/3 is. A rule admitting 10.0.0.0/8 or a security
//     group is not an exposure; an unresolved prefix list is not either.
//   - The reply must go back through the internet gateway: a more specific
//     route for the source's range (to a NAT gateway, a peering…) takes that
//     range away (MORE_SPECIFIC_ROUTE), a blackhole drops it.
//   - The reply passes the outbound ACL when some port of 1024-65535 is
//     allowed to the source; a partial range is named in the path.
//   - When nothing gets through, the block reported is on the most telling
//     path: sources the security groups admit come first, then the path
//     that got furthest. A NAT gateway is never reachable (it accepts no
//     inbound connection); its PublicAddress is still true.
//   - Input gaps are never fatal: a missing network ACL is assumed open
//     (the hop says so), a missing route table, subnet or gateway blocks
//     with a code saying which.
//   - Exposures through a load balancer (Via = its id) are added to targets
//     whose groups admit the load balancer's groups, or a CIDR holding one
//     of its subnets (the source of a network load balancer without
//     groups), on the target port.
//
// Explanation codes are Reachability Analyzer's where one fits (see the
// Code constants); NO_IGW_ATTACHED and PORT_NOT_LISTENING are vpcgate's.
package reach

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// Explanation codes of a blocked verdict. Where AWS Reachability Analyzer
// has a code for the situation, that code is used; the others are
// vpcgate's own and say so.
const (
	// CodeNoIGW (vpcgate): no internet gateway is attached to the VPC.
	CodeNoIGW = "NO_IGW_ATTACHED"
	// CodeBlockPublicAccess (vpcgate): VPC Block Public Access stops
	// traffic from the internet at the VPC's internet gateway.
	CodeBlockPublicAccess = "VPC_BLOCK_PUBLIC_ACCESS"
	// CodeNoPublicIP: the interface has no public address (includes an
	// RDS database that is not publicly accessible and an internal load
	// balancer).
	CodeNoPublicIP = "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS"
	// CodeNoRoute: the subnet's route table does not send replies back to
	// the internet gateway.
	CodeNoRoute = "NO_ROUTE_TO_DESTINATION"
	// CodeMoreSpecificRoute: a more specific route (to a NAT gateway, a
	// peering connection…) overrides the route to the internet gateway for
	// the source's range.
	CodeMoreSpecificRoute = "MORE_SPECIFIC_ROUTE"
	// CodeBlackhole: the matching route is a blackhole.
	CodeBlackhole = "BAD_STATE_ROUTE"
	// CodeACL: the subnet's network ACL denies the request or its reply.
	CodeACL = "SUBNET_ACL_RESTRICTION"
	// CodeSG: no security group rule admits the traffic.
	CodeSG = "ENI_SG_RULES_MISMATCH"
	// CodeSGNoRules: the security groups have no inbound rules at all.
	CodeSGNoRules = "SG_HAS_NO_RULES"
	// CodeBadState: the resource is not running (a stopped instance, a
	// stopped database, a load balancer that is not active).
	CodeBadState = "BAD_STATE"
	// CodeLBNoListener: no listener of the load balancer accepts the
	// traffic.
	CodeLBNoListener = "ELBV2_LISTENERS_MISMATCH"
	// CodeCLBNoListener: no listener of the Classic Load Balancer accepts
	// the traffic.
	CodeCLBNoListener = "ELB_LISTENERS_MISMATCH"
	// CodeNoDestination: the resource accepts no connection from the
	// internet (a NAT gateway, a gateway load balancer).
	CodeNoDestination = "NO_POSSIBLE_DESTINATION"
	// CodeUnknownDest: the input lacks what is needed to follow the path
	// (a subnet or subnet group missing).
	CodeUnknownDest = "UNKNOWN_DESTINATION"
	// CodeNotListening (vpcgate): the database does not listen on the
	// port asked about.
	CodeNotListening = "PORT_NOT_LISTENING"
)

// KindInternet is the pseudo node kind of the first hop of every path.
const KindInternet graph.Kind = "internet"

// ViaDirect is Exposure.Via for traffic that reaches a node itself rather
// than through a load balancer.
const ViaDirect = "direct"

// ErrUnknownNode is returned by Explain for an id the graph does not hold.
var ErrUnknownNode = errors.New("unknown node")

// ErrNoNetworkPresence is returned by Explain for a node kind that traffic
// cannot be addressed to (a VPC, a route table…).
var ErrNoNetworkPresence = errors.New("node has no network presence")

// Derive computes every derived fact once and stores it in g.Facts. It
// never panics on incomplete graphs: nodes whose VPC, subnet or groups are
// missing are simply not reachable, with a blocking hop that says why.
func Derive(g *graph.Graph) { _ = DeriveContext(context.Background(), g) }

// DeriveContext is Derive that stops once ctx is done, returning its
// error; g.Facts is then left as it was.
func DeriveContext(ctx context.Context, g *graph.Graph) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	ix := newIndex(g)
	facts := graph.Facts{Subnets: make(map[string]*graph.SubnetFacts, len(ix.subnets)), Nodes: make(map[string]*graph.NodeFacts, g.Len()/2)}
	for _, s := range g.Subnets() {
		facts.Subnets[s.ID] = ix.subnetFacts(s)
	}
	var targets []*target
	// Interfaces evaluated as part of an instance, with the instance.
	evaluatedENI := map[string]string{}
	for _, k := range []graph.Kind{graph.KindInstance, graph.KindNetworkInterface, graph.KindLoadBalancer, graph.KindDBInstance, graph.KindDBCluster, graph.KindNATGateway, graph.KindAutoScalingGroup, graph.KindECSService} {
		for i, n := range g.Of(k) {
			if i&127 == 0 && ctx.Err() != nil {
				return ctx.Err()
			}
			if e, ok := n.(*graph.NetworkInterface); ok {
				// An instance's interface shares the instance's paths,
				// which run through it.
				if inst, ok := evaluatedENI[e.ID]; ok {
					inf := facts.Nodes[inst]
					if through := throughHop(inf.InternetReachable, e.ID); len(through) > 0 || len(inf.InternetReachable) == 0 {
						t := &target{id: e.ID, kind: graph.KindNetworkInterface, attaches: []attach{ix.eniAttach(e)}}
						targets = append(targets, t)
						nf := ix.baseFacts(n, t)
						nf.InternetReachable = through
						if len(through) == 0 {
							nf.InternetBlocked = inf.InternetBlocked
						}
						facts.Nodes[t.id] = nf
						continue
					}
				}
			}
			t, ok := ix.targetFor(n)
			if !ok {
				continue
			}
			targets = append(targets, t)
			if k == graph.KindInstance && t.gate == nil {
				for _, a := range t.attaches {
					if a.eni != "" {
						evaluatedENI[a.eni] = t.id
					}
				}
			}
			nf := ix.baseFacts(n, t)
			exps, blk := ix.evaluate(t, t.want)
			nf.InternetReachable = exps
			if len(exps) == 0 && blk != nil {
				b := blk.b
				nf.InternetBlocked = &b
			}
			facts.Nodes[t.id] = nf
		}
	}
	var err error
	if facts.LBTargets, err = ix.lbTargets(ctx, facts.Nodes); err != nil {
		return err
	}
	if facts.SGLinks, err = sgLinks(ctx, g); err != nil {
		return err
	}
	for _, t := range targets {
		nf := facts.Nodes[t.id]
		sortExposures(nf.InternetReachable)
		if nf.InternetReachable == nil {
			nf.InternetReachable = []graph.Exposure{}
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	assignTiers(ix, &facts)
	g.Facts = facts
	return nil
}

// baseFacts fills the facts that need no evaluation: subnets, security
// groups and whether the node has a public address.
func (ix *index) baseFacts(n graph.Node, t *target) *graph.NodeFacts {
	nf := &graph.NodeFacts{}
	var subnets, sgs []string
	if len(t.attaches) == 1 && t.attaches[0].subnet != "" {
		// The common case, without copies: attach groups are sorted.
		subnets, sgs = []string{t.attaches[0].subnet}, t.attaches[0].sgs
	} else {
		for _, a := range t.attaches {
			subnets = append(subnets, a.subnet)
			sgs = append(sgs, a.sgs...)
		}
	}
	for _, a := range t.attaches {
		if a.public {
			nf.PublicAddress = true
		}
	}
	switch v := n.(type) {
	case *graph.NATGateway:
		if v.ConnectivityType != "private" {
			for _, a := range v.Addresses {
				if a.PublicIP != "" || a.AllocationID != "" {
					nf.PublicAddress = true
				}
			}
		}
	case *graph.LoadBalancer:
		// A load balancer's nodes are public when it is internet-facing,
		// whatever subnets it names.
		nf.PublicAddress = v.InternetFacing()
	}
	nf.Subnets = uniq(subnets)
	nf.SecurityGroups = uniq(sgs)
	return nf
}

// Explain answers whether the internet reaches node id on protocol and
// port, with the hop-by-hop path, or the first hop that blocks it. Derive
// must have run (for paths through load balancers). The id may also be
// anything graph.Resolve accepts when it names exactly one node.
func Explain(g *graph.Graph, id, protocol string, port int) (graph.Verdict, error) {
	n := g.Node(id)
	if n == nil {
		switch ns := g.Resolve(id); len(ns) {
		case 0:
			return graph.Verdict{}, fmt.Errorf("explain %s: %w", id, ErrUnknownNode)
		case 1:
			n = ns[0]
		default:
			ids := make([]string, len(ns))
			for i, m := range ns {
				ids[i] = m.Meta().ID
			}
			return graph.Verdict{}, fmt.Errorf("explain %s: %w: ambiguous, it names %v", id, ErrUnknownNode, ids)
		}
	}
	proto := normProto(protocol)
	if protocol == "" {
		proto = "tcp"
	}
	if !validProto(proto) {
		return graph.Verdict{}, fmt.Errorf("explain %s: protocol %q: name one protocol (tcp, udp, icmp, icmpv6 or a number 0-255)", id, protocol)
	}
	if hasPorts(proto) && (port < 0 || port > 65535) {
		return graph.Verdict{}, fmt.Errorf("explain %s: port %d out of range 0-65535", id, port)
	}
	ix := newIndex(g)
	t, ok := ix.targetFor(n)
	if !ok {
		return graph.Verdict{}, fmt.Errorf("explain %s (%s): %w", id, n.Meta().Kind, ErrNoNetworkPresence)
	}
	asked := spans{{port, port}}
	if !hasPorts(proto) {
		asked = noPorts
	}
	w := wantOne(proto, asked)
	listening := t.want.all || !t.want.by[proto].intersect(asked).empty()
	if !listening {
		// Follow the network first: a closed port matters only when the
		// traffic would get there.
		t.listeners = nil
	}
	exps, blk := ix.evaluate(t, w)
	if !listening && len(exps) > 0 {
		code := CodeNotListening
		what := "does not listen on"
		if v, ok := n.(*graph.LoadBalancer); ok {
			code = CodeLBNoListener
			if v.Type == "classic" {
				code = CodeCLBNoListener
			}
			what = "has no listener for"
		}
		exps, blk = nil, newBlock(stGate, code, t.id, "%s %s %s", t.id, what, describePorts(proto, asked))
	}
	if len(exps) > 0 {
		sortExposures(exps)
		return graph.Verdict{Reachable: true, Path: exps[0].Path}, nil
	}
	// Not reachable directly: perhaps through a load balancer.
	if nf := g.Facts.Nodes[t.id]; nf != nil {
		for _, e := range nf.InternetReachable {
			if e.Via != ViaDirect && e.Protocol == proto && (!hasPorts(proto) || (port >= e.FromPort && port <= e.ToPort)) {
				return graph.Verdict{Reachable: true, Path: e.Path}, nil
			}
		}
	}
	v := graph.Verdict{}
	if blk != nil {
		b := blk.b
		v.BlockedBy = &b
	}
	t2, _ := ix.targetFor(n)
	v.Blockers = ix.blockers(t2, n, proto, asked, listening)
	if len(v.Blockers) == 0 && v.BlockedBy != nil {
		v.Blockers = []graph.Blocked{*v.BlockedBy}
	}
	return v, nil
}

// throughHop returns the exposures whose path runs through node id.
func throughHop(es []graph.Exposure, id string) []graph.Exposure {
	var out []graph.Exposure
	for _, e := range es {
		for _, h := range e.Path {
			if h.Node == id {
				out = append(out, e)
				break
			}
		}
	}
	return out
}

// validProto reports whether p (normalized) names one IP protocol.
func validProto(p string) bool {
	switch p {
	case "tcp", "udp", "icmp", "icmpv6":
		return true
	}
	n, err := strconv.Atoi(p)
	return err == nil && n >= 0 && n <= 255
}
