package reach

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// blockers lists every setting that blocks traffic from the internet to t
// on proto and ports asked, each judged on its own rather than only the
// first one met: a packet must pass all of them, so each one alone is
// something to change. listening is false when t does not listen on the
// port (a load balancer without that listener, a database on another port).
func (ix *index) blockers(t *target, n graph.Node, proto string, asked spans, listening bool) []graph.Blocked {
	var out []graph.Blocked
	seen := map[string]bool{}
	add := func(b graph.Blocked) {
		k := b.Code + "\x00" + b.Node + "\x00" + b.Detail
		if seen[k] {
			return
		}
		seen[k] = true
		if b.Range.IsZero() {
			if nd := ix.g.Node(b.Node); nd != nil {
				b.Range = nd.Meta().Source.Range
			}
		}
		out = append(out, b)
	}
	what := describePorts(proto, asked)
	if t.gate != nil {
		b := t.gate.b
		b.Fix = gateFix(b.Code, n)
		add(b)
	}
	if !listening {
		code, verb := CodeNotListening, "does not listen on"
		fix := "ask about the port it listens on"
		if v, ok := n.(*graph.LoadBalancer); ok {
			code, verb, fix = CodeLBNoListener, "has no listener for", "add a listener on "+what
			if v.Type == "classic" {
				code = CodeCLBNoListener
			}
		}
		add(graph.Blocked{Code: code, Node: t.id, Detail: fmt.Sprintf("%s %s %s", t.id, verb, what), Fix: fix})
	}
	if len(t.attaches) == 0 && t.gate == nil {
		add(graph.Blocked{Code: CodeUnknownDest, Node: t.id, Detail: "no subnet of " + t.id + " is known", Fix: "include the subnets it is placed in in the input"})
	}
	for _, a := range t.attaches {
		s := ix.subnets[a.subnet]
		if s == nil {
			add(graph.Blocked{Code: CodeUnknownDest, Node: t.id, Detail: fmt.Sprintf("subnet %q of %s is not in the input", a.subnet, t.id), Fix: "include subnet " + a.subnet + " in the input"})
			continue
		}
		igw, _ := ix.igwFor(s.VPCID)
		if igw == "" {
			add(graph.Blocked{Code: CodeNoIGW, Node: s.VPCID, Detail: "no internet gateway is attached to " + s.VPCID, Fix: "attach an internet gateway to " + s.VPCID})
		}
		if vpc, ok := graph.Get[*graph.VPC](ix.g, s.VPCID); ok && (vpc.BlockPublicAccess == "block-ingress" || vpc.BlockPublicAccess == "block-bidirectional") {
			add(graph.Blocked{Code: CodeBlockPublicAccess, Node: s.VPCID, Detail: fmt.Sprintf("VPC Block Public Access (%s) stops internet traffic to %s", vpc.BlockPublicAccess, s.VPCID),
				Fix: "exclude " + s.VPCID + " from VPC Block Public Access, or turn it off", Range: vpc.AttrRange("block_public_access")})
		}
		fams := []family{ipv4}
		if !a.public {
			b := graph.Blocked{Code: CodeNoPublicIP, Node: t.id, Detail: t.noPublic, Fix: publicFix(n)}
			if nd := ix.g.Node(t.id); nd != nil {
				b.Range = publicRange(nd)
			}
			add(b)
		}
		if a.v6 {
			fams = append(fams, ipv6)
		}
		for _, f := range fams {
			if f == ipv4 && !a.public && a.v6 {
				continue // judged over IPv6, which needs no public IPv4
			}
			for _, b := range ix.pathBlockers(f, s, a, t, proto, asked) {
				add(b)
			}
		}
	}
	return out
}

// pathBlockers judges the route table, the network ACL and the security
// groups of one attachment, each on its own, for a source the groups admit
// (else any public address).
func (ix *index) pathBlockers(f family, s *graph.Subnet, a attach, t *target, proto string, asked spans) []graph.Blocked {
	var out []graph.Blocked
	rules, missing := ix.groupRules(a.sgs)
	src := representative(f)
	admitted := a.noSG
	for _, r := range rules {
		if !r.matchesProto(proto) || r.peer[f] < 0 || asked.intersect(portsOf(r.proto, r.r.FromPort, r.r.ToPort, proto)).empty() {
			continue
		}
		if !admitted {
			src = firstPublic(r.peers[f], src)
		}
		admitted = true
	}
	at := src.String()
	if !admitted || a.noSG {
		at = internetOf(f) // src stands for any public address
	}
	what := describePorts(proto, asked)
	rt, _ := ix.routeTable(s)
	if rt == nil {
		out = append(out, graph.Blocked{Code: CodeNoRoute, Node: s.ID, Detail: fmt.Sprintf("no route table is known for %s", s.ID), Fix: "associate " + s.ID + " with a route table that routes to an internet gateway"})
	} else if rti := ix.rts[rt.ID]; rti != nil {
		rc := ix.returnRoute(rti, src, f)
		if rc.why != routeOK {
			b := rc.block(rt, at).b
			dst := "0.0.0.0/0"
			if f == ipv6 {
				dst = "::/0"
			}
			b.Fix = fmt.Sprintf("route %s (or the sources' range) in %s to an internet gateway attached to %s", dst, rt.ID, rt.VPCID)
			if rc.r != nil {
				b.Range = rc.r.r.Range
			}
			out = append(out, b)
		}
	}
	if acl := ix.networkACL(s); acl != nil {
		if acli := ix.acls[acl.ID]; acli != nil {
			in, deny := aclDecide(acli.in[f], src, proto, asked)
			if len(in) == 0 {
				b := aclBlock(stNACLIn, acl, deny, proto, asked, at).b
				b.Fix = fmt.Sprintf("allow %s from %s inbound in %s", what, at, acl.ID)
				if deny != nil {
					b.Fix = fmt.Sprintf("allow %s from %s inbound in %s with a rule numbered below %d, or remove rule %d", what, at, acl.ID, deny.e.RuleNumber, deny.e.RuleNumber)
					b.Range = deny.e.Range
				}
				out = append(out, b)
			}
			reply := noPorts
			if hasPorts(proto) {
				reply = ephemeral
			}
			outAllowed, odeny := aclDecide(acli.out[f], src, proto, reply)
			if len(outAllowed) == 0 {
				b := aclBlock(stNACLOut, acl, odeny, proto, reply, at).b
				b.Fix = fmt.Sprintf("allow the reply (%s, ephemeral ports 1024-65535) to %s outbound in %s", proto, at, acl.ID)
				if odeny != nil {
					b.Range = odeny.e.Range
				}
				out = append(out, b)
			}
		}
	}
	if !admitted {
		b := ix.sgBlock(a.sgs, missing, rules, proto, asked, false, f).b
		if len(a.sgs) > 0 {
			b.Fix = fmt.Sprintf("add an inbound rule admitting %s from the sources that should reach it to %s", what, strings.Join(a.sgs, " or "))
		} else {
			b.Fix = "give the resource a security group admitting " + what
		}
		out = append(out, b)
	}
	return out
}

// representative is a public address standing for the internet.
func representative(f family) netip.Addr {
	if f == ipv6 {
		return netip.MustParseAddr("2001:4860:4860::8888")
	}
	return netip.MustParseAddr("8.8.8.8")
}

// firstPublic returns a public address of ps: def when ps holds it, else
// the first public bound of a prefix.
func firstPublic(ps []netip.Prefix, def netip.Addr) netip.Addr {
	for _, p := range ps {
		if p.Contains(def) {
			return def
		}
	}
	for _, p := range ps {
		if isPublic(p.Addr()) {
			return p.Addr()
		}
		if l := lastAddr(p); isPublic(l) {
			return l
		}
	}
	return def
}

// publicFix says how a node of n's kind gets a public address.
func publicFix(n graph.Node) string {
	switch v := n.(type) {
	case *graph.Instance:
		return "give " + v.ID + " a public IPv4 address (associate_public_ip_address / AssociatePublicIpAddress, a subnet that maps public IPs on launch) or an Elastic IP"
	case *graph.NetworkInterface:
		return "associate an Elastic IP with " + v.ID
	case *graph.LoadBalancer:
		return "make " + v.ID + " internet-facing (scheme)"
	case *graph.DBInstance, *graph.DBCluster:
		return "set publicly_accessible / PubliclyAccessible on " + n.Meta().ID
	case *graph.AutoScalingGroup:
		return "launch the instances of " + v.ID + " with a public IPv4 address (launch template network interface, or a subnet that maps public IPs)"
	case *graph.ECSService:
		return "turn on assign_public_ip for " + v.ID
	}
	return "give it a public address"
}

// publicRange is the attribute deciding a node's public address.
func publicRange(n graph.Node) graph.Range {
	b := n.Meta()
	for _, a := range []string{"public_ip", "associate_public_ip", "scheme", "publicly_accessible", "assign_public_ip"} {
		if r, ok := b.Attrs[a]; ok {
			return r
		}
	}
	return b.Source.Range
}

// gateFix says what would open a resource gate.
func gateFix(code string, n graph.Node) string {
	switch code {
	case CodeBadState:
		return "start " + n.Meta().ID
	case CodeLBNoListener, CodeCLBNoListener:
		return "add a listener to " + n.Meta().ID
	case CodeNoDestination:
		return "address a resource that accepts connections from the internet"
	}
	return ""
}
