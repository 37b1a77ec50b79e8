package reach

import (
	"net/netip"
	"sort"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// normProto names a protocol the way rules and exposures do
// (graph.NormProtocol: the one definition).
func normProto(p string) string { return graph.NormProtocol(p) }

// hasPorts reports whether proto has ports.
func hasPorts(proto string) bool { return proto == "tcp" || proto == "udp" }

// portsOf returns the ports a rule or entry covers for protocol proto.
func portsOf(ruleProto string, from, to int, proto string) spans {
	if !hasPorts(proto) {
		return noPorts
	}
	if ruleProto == graph.ProtocolAll || (from == -1 && to == -1) {
		return allPorts
	}
	lo, hi := max(from, 0), min(to, 65535)
	if lo > hi {
		return nil
	}
	return spans{{lo, hi}}
}

// sgRule is a parsed security group ingress rule.
type sgRule struct {
	sg    string
	index int // position among the group's ingress rules
	r     *graph.SGRule
	proto string
	fam   family
	pfx   netip.Prefix // CIDR peers
	isPfx bool
	// peers are the public source ranges the rule admits, by family, and
	// peer an interned id naming them (-1 when it admits no public
	// source of that family: a group, a private CIDR, an unknown list).
	peers [2][]netip.Prefix
	peer  [2]int
	one   [1]netip.Prefix // backing store of peers for a CIDR
}

func (r *sgRule) matchesProto(p string) bool { return r.proto == graph.ProtocolAll || r.proto == p }

// sgInfo is a security group with its parsed ingress rules.
type sgInfo struct {
	g     *graph.SecurityGroup
	rules []*sgRule
}

// plInfo is a prefix list with parsed entries.
type plInfo struct {
	pl    *graph.PrefixList
	known bool
	v4    []netip.Prefix
	v6    []netip.Prefix
}

func (p *plInfo) entries(f family) []netip.Prefix {
	if f == ipv6 {
		return p.v6
	}
	return p.v4
}

// route is a parsed route (one per prefix list entry for prefix list
// destinations).
type route struct {
	index  int
	r      *graph.Route
	pfx    netip.Prefix
	viaPL  bool
	target graph.TargetKind
}

type rtInfo struct {
	t      *graph.RouteTable
	routes [2][]route // by family
}

// lookup returns the longest-prefix match for a, or nil. A CIDR route wins
// over a prefix list route of the same length.
func (t *rtInfo) lookup(a netip.Addr, f family) *route {
	var best *route
	for i := range t.routes[f] {
		r := &t.routes[f][i]
		if !r.pfx.Contains(a) {
			continue
		}
		if best == nil || r.pfx.Bits() > best.pfx.Bits() || (r.pfx.Bits() == best.pfx.Bits() && best.viaPL && !r.viaPL) {
			best = r
		}
	}
	return best
}

// aclEntry is a parsed network ACL entry.
type aclEntry struct {
	e     *graph.ACLEntry
	index int
	proto string
	pfx   netip.Prefix
	ok    bool
}

type aclInfo struct {
	a       *graph.NetworkACL
	in, out [2][]aclEntry // by family, ordered by rule number
}

// index holds everything Derive and Explain look up, built once.
type index struct {
	g           *graph.Graph
	subnets     map[string]*graph.Subnet
	mainRT      map[string]*graph.RouteTable // by VPC
	explicitRT  map[string]*graph.RouteTable // by subnet
	defaultACL  map[string]*graph.NetworkACL // by VPC
	explicitACL map[string]*graph.NetworkACL // by subnet
	igwByVPC    map[string]*graph.InternetGateway
	assumedIGW  map[string]string // VPC → igw id named by a route but absent from the input
	sgs         map[string]*sgInfo
	pls         map[string]*plInfo
	rts         map[string]*rtInfo
	acls        map[string]*aclInfo
	enis        map[string]*graph.NetworkInterface
	enisByInst  map[string][]string
	eniByIP     map[string]*graph.NetworkInterface
	eipByInst   map[string]*graph.EIP
	eipByENI    map[string]*graph.EIP
	listeners   map[string][]*graph.Listener // by load balancer id
	tgs         map[string]*graph.TargetGroup
	asgByTG     map[string][]*graph.AutoScalingGroup
	asgByLBName map[string][]*graph.AutoScalingGroup
	ecsByTG     map[string][]*graph.ECSService
	lts         map[string]*graph.LaunchTemplate
	dbsgs       map[string]*graph.DBSubnetGroup
	profiles    map[profileKey]*profile
	nets        map[netKey]*netEval
	ids         map[peerName]int // interned peers
	memo        map[memoKey]string
}

func newIndex(g *graph.Graph) *index {
	ix := &index{
		g:           g,
		subnets:     map[string]*graph.Subnet{},
		mainRT:      map[string]*graph.RouteTable{},
		explicitRT:  map[string]*graph.RouteTable{},
		defaultACL:  map[string]*graph.NetworkACL{},
		explicitACL: map[string]*graph.NetworkACL{},
		igwByVPC:    map[string]*graph.InternetGateway{},
		assumedIGW:  map[string]string{},
		sgs:         map[string]*sgInfo{},
		pls:         map[string]*plInfo{},
		rts:         map[string]*rtInfo{},
		acls:        map[string]*aclInfo{},
		enis:        map[string]*graph.NetworkInterface{},
		enisByInst:  map[string][]string{},
		eniByIP:     map[string]*graph.NetworkInterface{},
		eipByInst:   map[string]*graph.EIP{},
		eipByENI:    map[string]*graph.EIP{},
		listeners:   map[string][]*graph.Listener{},
		tgs:         map[string]*graph.TargetGroup{},
		asgByTG:     map[string][]*graph.AutoScalingGroup{},
		asgByLBName: map[string][]*graph.AutoScalingGroup{},
		ecsByTG:     map[string][]*graph.ECSService{},
		lts:         map[string]*graph.LaunchTemplate{},
		dbsgs:       map[string]*graph.DBSubnetGroup{},
		profiles:    map[profileKey]*profile{},
		nets:        map[netKey]*netEval{},
		ids:         map[peerName]int{},
		memo:        map[memoKey]string{},
	}
	for _, s := range g.Subnets() {
		ix.subnets[s.ID] = s
	}
	for _, p := range g.PrefixLists() {
		info := &plInfo{pl: p, known: p.EntriesKnown || len(p.Entries) > 0}
		for _, e := range p.Entries {
			if pf, ok := parsePrefix(e, ipv4); ok {
				info.v4 = append(info.v4, pf)
			} else if pf, ok := parsePrefix(e, ipv6); ok {
				info.v6 = append(info.v6, pf)
			}
		}
		ix.pls[p.ID] = info
	}
	for _, igw := range g.InternetGateways() {
		for _, v := range igw.VPCIDs {
			if _, ok := ix.igwByVPC[v]; !ok {
				ix.igwByVPC[v] = igw
			}
		}
	}
	for _, t := range g.RouteTables() {
		ix.indexRouteTable(t)
	}
	for _, a := range g.NetworkACLs() {
		ix.indexACL(a)
	}
	for _, sg := range g.SecurityGroups() {
		ix.indexSG(sg)
	}
	for _, e := range g.NetworkInterfaces() {
		ix.enis[e.ID] = e
		if e.InstanceID != "" {
			ix.enisByInst[e.InstanceID] = append(ix.enisByInst[e.InstanceID], e.ID)
		}
		if e.PrivateIP != "" {
			if _, dup := ix.eniByIP[e.PrivateIP]; !dup {
				ix.eniByIP[e.PrivateIP] = e
			}
		}
	}
	for _, e := range g.EIPs() {
		if e.InstanceID != "" && ix.eipByInst[e.InstanceID] == nil {
			ix.eipByInst[e.InstanceID] = e
		}
		if e.NetworkInterfaceID != "" && ix.eipByENI[e.NetworkInterfaceID] == nil {
			ix.eipByENI[e.NetworkInterfaceID] = e
		}
	}
	for _, l := range g.Listeners() {
		ix.listeners[l.LoadBalancerARN] = append(ix.listeners[l.LoadBalancerARN], l)
	}
	for _, t := range g.TargetGroups() {
		ix.tgs[t.ID] = t
	}
	for _, a := range g.AutoScalingGroups() {
		for _, t := range uniq(a.TargetGroupARNs) {
			ix.asgByTG[t] = append(ix.asgByTG[t], a)
		}
		for _, n := range uniq(a.LoadBalancerNames) {
			ix.asgByLBName[n] = append(ix.asgByLBName[n], a)
		}
	}
	for _, s := range g.ECSServices() {
		seen := map[string]bool{}
		for _, lb := range s.LoadBalancers {
			if lb.TargetGroupARN != "" && !seen[lb.TargetGroupARN] {
				seen[lb.TargetGroupARN] = true
				ix.ecsByTG[lb.TargetGroupARN] = append(ix.ecsByTG[lb.TargetGroupARN], s)
			}
		}
	}
	for _, t := range g.LaunchTemplates() {
		ix.lts[t.ID] = t
	}
	for _, d := range g.DBSubnetGroups() {
		ix.dbsgs[d.ID] = d
	}
	return ix
}

func (ix *index) indexRouteTable(t *graph.RouteTable) {
	info := &rtInfo{t: t}
	for i := range t.Routes {
		r := &t.Routes[i]
		kind := r.TargetKind
		if kind == "" || kind == graph.TargetUnknown {
			kind = graph.TargetKindOfID(r.TargetID)
		}
		if kind == graph.TargetIGW && r.TargetID != "" && ix.g.Node(r.TargetID) == nil && t.VPCID != "" {
			if _, ok := ix.assumedIGW[t.VPCID]; !ok {
				ix.assumedIGW[t.VPCID] = r.TargetID
			}
		}
		if p, ok := parsePrefix(r.DestinationCIDR, ipv4); ok {
			info.routes[ipv4] = append(info.routes[ipv4], route{index: i, r: r, pfx: p, target: kind})
		}
		if p, ok := parsePrefix(r.DestinationIPv6CIDR, ipv6); ok {
			info.routes[ipv6] = append(info.routes[ipv6], route{index: i, r: r, pfx: p, target: kind})
		}
		if pl := ix.pls[r.DestinationPrefixList]; pl != nil {
			for f := ipv4; f <= ipv6; f++ {
				for _, p := range pl.entries(f) {
					info.routes[f] = append(info.routes[f], route{index: i, r: r, pfx: p, viaPL: true, target: kind})
				}
			}
		}
	}
	ix.rts[t.ID] = info
	main := t.Main
	for _, a := range t.Associations {
		if a.Main {
			main = true
		}
		if a.SubnetID != "" {
			if old, ok := ix.explicitRT[a.SubnetID]; !ok || t.ID < old.ID {
				ix.explicitRT[a.SubnetID] = t
			}
		}
	}
	if main && t.VPCID != "" {
		if _, ok := ix.mainRT[t.VPCID]; !ok {
			ix.mainRT[t.VPCID] = t
		}
	}
}

func (ix *index) indexACL(a *graph.NetworkACL) {
	info := &aclInfo{a: a}
	for i := range a.Entries {
		e := &a.Entries[i]
		for f := ipv4; f <= ipv6; f++ {
			s := e.CIDR
			if f == ipv6 {
				s = e.IPv6CIDR
			}
			p, ok := parsePrefix(s, f)
			if !ok {
				continue
			}
			pe := aclEntry{e: e, index: i, proto: normProto(e.Protocol), pfx: p, ok: true}
			if e.Egress {
				info.out[f] = append(info.out[f], pe)
			} else {
				info.in[f] = append(info.in[f], pe)
			}
		}
	}
	for f := ipv4; f <= ipv6; f++ {
		for _, l := range [][]aclEntry{info.in[f], info.out[f]} {
			sort.SliceStable(l, func(i, j int) bool { return l[i].e.RuleNumber < l[j].e.RuleNumber })
		}
	}
	ix.acls[a.ID] = info
	if a.IsDefault && a.VPCID != "" {
		if _, ok := ix.defaultACL[a.VPCID]; !ok {
			ix.defaultACL[a.VPCID] = a
		}
	}
	for _, s := range a.SubnetIDs {
		old, ok := ix.explicitACL[s]
		// A subnet listed by both its VPC's default ACL and another ACL is
		// associated with the other one.
		if !ok || (old.IsDefault && !a.IsDefault) {
			ix.explicitACL[s] = a
		}
	}
}

func (ix *index) indexSG(sg *graph.SecurityGroup) {
	info := &sgInfo{g: sg, rules: make([]*sgRule, 0, len(sg.Ingress))}
	slab := make([]sgRule, len(sg.Ingress))
	for i := range sg.Ingress {
		r := &sg.Ingress[i]
		pr := &slab[i]
		*pr = sgRule{sg: sg.ID, index: i, r: r, proto: normProto(r.Protocol)}
		switch r.PeerKind {
		case graph.PeerCIDR:
			pr.pfx, pr.isPfx = parsePrefix(r.Peer, ipv4)
			pr.fam = ipv4
		case graph.PeerIPv6CIDR:
			pr.pfx, pr.isPfx = parsePrefix(r.Peer, ipv6)
			pr.fam = ipv6
		}
		for f := ipv4; f <= ipv6; f++ {
			pr.peer[f] = -1
			var ps []netip.Prefix
			switch r.PeerKind {
			case graph.PeerCIDR, graph.PeerIPv6CIDR:
				if pr.isPfx && pr.fam == f {
					pr.one[0] = pr.pfx
					ps = pr.one[:]
				}
			case graph.PeerPrefixList:
				if pl := ix.pls[r.Peer]; pl != nil && pl.known {
					ps = pl.entries(f)
				}
			}
			if len(ps) > 0 && anyPublic(ps) {
				pr.peers[f] = ps
				pr.peer[f] = ix.intern(f, r.Peer)
			}
		}
		info.rules = append(info.rules, pr)
	}
	ix.sgs[sg.ID] = info
}

// peerName is a rule's peer in one family.
type peerName struct {
	f    family
	peer string
}

// intern returns a small integer naming a peer.
func (ix *index) intern(f family, peer string) int {
	k := peerName{f, peer}
	if id, ok := ix.ids[k]; ok {
		return id
	}
	id := len(ix.ids)
	ix.ids[k] = id
	return id
}

// routeTable returns the effective route table of a subnet and whether it
// is explicitly associated.
func (ix *index) routeTable(s *graph.Subnet) (*graph.RouteTable, bool) {
	if t, ok := ix.explicitRT[s.ID]; ok {
		return t, true
	}
	return ix.mainRT[s.VPCID], false
}

// networkACL returns the effective network ACL of a subnet.
func (ix *index) networkACL(s *graph.Subnet) *graph.NetworkACL {
	if a, ok := ix.explicitACL[s.ID]; ok {
		return a
	}
	return ix.defaultACL[s.VPCID]
}

// igwFor returns the internet gateway attached to vpc: its id, and
// whether it is known only from a route naming it.
func (ix *index) igwFor(vpc string) (string, bool) {
	if g, ok := ix.igwByVPC[vpc]; ok {
		return g.ID, false
	}
	if id, ok := ix.assumedIGW[vpc]; ok {
		return id, true
	}
	return "", false
}

// uniq returns the sorted distinct non-empty strings of in (in itself
// when it already is).
func uniq(in []string) []string {
	sorted := true
	for i, s := range in {
		if s == "" || (i > 0 && in[i-1] >= s) {
			sorted = false
			break
		}
	}
	if sorted {
		return in
	}
	out := make([]string, 0, len(in))
	for _, s := range in {
		if s != "" {
			out = append(out, s)
		}
	}
	sort.Strings(out)
	w := 0
	for i, s := range out {
		if i > 0 && s == out[w-1] {
			continue
		}
		out[w] = s
		w++
	}
	return out[:w]
}
