package reach

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strings"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// Stages of the path from the internet to a node, in the order a packet
// meets them. A block at a later stage means the traffic got further.
const (
	stGate = iota
	stSubnet
	stIGW
	stPublicIP
	stRouteTable
	stRoute
	stNACLIn
	stNACLOut
	stSG
)

// block is where traffic stops, and how far it got.
type block struct {
	stage int
	// intended is set when the security groups admit the source: a block
	// of traffic the groups mean to let in explains more than one of
	// traffic nobody meant to admit.
	intended bool
	b        graph.Blocked
}

// further returns the more telling of two blocks: traffic the security
// groups admit first, then the one that got further; a wins ties.
func further(a, b *block) *block {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	case a.intended != b.intended:
		if b.intended {
			return b
		}
		return a
	case b.stage > a.stage:
		return b
	}
	return a
}

// intend marks b as a block of traffic the security groups admit.
func intend(b *block, yes bool) *block {
	b.intended = yes
	return b
}

func newBlock(stage int, code, node, format string, args ...any) *block {
	return &block{stage: stage, b: graph.Blocked{Code: code, Node: node, Detail: fmt.Sprintf(format, args...)}}
}

// want is the set of protocols and ports a node listens on.
type want struct {
	key string
	all bool
	by  map[string]spans
}

var wantAll = want{key: "all", all: true}

func wantOne(proto string, sp spans) want {
	return want{key: fmt.Sprintf("%s%v", proto, sp), by: map[string]spans{proto: sp}}
}

// protocols lists the protocols to evaluate, in output order.
func (w want) protocols(f family, rules []*sgRule) []string {
	if !w.all {
		out := make([]string, 0, len(w.by))
		for p := range w.by {
			out = append(out, p)
		}
		sort.Strings(out)
		return out
	}
	icmp := "icmp"
	if f == ipv6 {
		icmp = "icmpv6"
	}
	out := []string{"tcp", "udp", icmp}
	var extra []string
	for _, r := range rules {
		switch r.proto {
		case graph.ProtocolAll, "tcp", "udp", "icmp", "icmpv6":
		default:
			extra = append(extra, r.proto)
		}
	}
	return append(out, uniq(extra)...)
}

func (w want) spans(proto string) spans {
	if w.all {
		return portsOf(graph.ProtocolAll, -1, -1, proto)
	}
	return w.by[proto]
}

// describePorts formats a protocol and port set: "tcp 22", "tcp 0-65535",
// "icmp".
func describePorts(proto string, sp spans) string {
	if !hasPorts(proto) {
		return proto
	}
	parts := make([]string, 0, len(sp))
	for _, s := range sp {
		if s.lo == s.hi {
			parts = append(parts, fmt.Sprint(s.lo))
		} else {
			parts = append(parts, fmt.Sprintf("%d-%d", s.lo, s.hi))
		}
	}
	return proto + " " + strings.Join(parts, ",")
}

// piece is a port range reachable from one range of sources, with what
// admits it.
type piece struct {
	proto     string
	sp        span
	at        *atom
	route     *route
	nin, nout *aclEntry
	outPart   spans // ephemeral ports the reply may use, when only part
	rule      *sgRule
}

// pexpo is an exposure of a profile: a port range, the rules on its most
// open path, and the hops of that path that do not depend on the node.
type pexpo struct {
	piece
	lo, hi  int
	sources []string
	hops    []graph.Hop // internet, route table, network ACL, security group
}

// profile is what a subnet and a set of security groups let through from
// the internet, for one family and listening set. Many nodes share one.
type profile struct {
	f      family
	subnet *graph.Subnet
	rt     *graph.RouteTable
	rtMain bool
	acl    *graph.NetworkACL
	expos  []pexpo
	block  *block
}

// groupRules returns the parsed ingress rules of groups, in group then rule
// order, and the ids of groups missing from the input.
func (ix *index) groupRules(sgs []string) (rules []*sgRule, missing []string) {
	if len(sgs) == 1 {
		if info, ok := ix.sgs[sgs[0]]; ok {
			return info.rules, nil
		}
	}
	n := 0
	for _, id := range sgs {
		if info, ok := ix.sgs[id]; ok {
			n += len(info.rules)
		}
	}
	rules = make([]*sgRule, 0, n)
	for _, id := range sgs {
		info, ok := ix.sgs[id]
		if !ok {
			missing = append(missing, id)
			continue
		}
		rules = append(rules, info.rules...)
	}
	return rules, missing
}

var (
	worldV4 = []netip.Prefix{netip.MustParsePrefix("0.0.0.0/0")}
	worldV6 = []netip.Prefix{netip.MustParsePrefix("::/0")}
)

func world(f family) []netip.Prefix {
	if f == ipv6 {
		return worldV6
	}
	return worldV4
}

// aclDecide applies ordered, stateless entries to traffic from or to
// address a on proto and ports sp: the allowed parts with the entry that
// allows each, and the entry that denies the first refused part (nil for
// the implicit final deny).
func aclDecide(entries []aclEntry, a netip.Addr, proto string, sp spans) (allowed []piece, deny *aclEntry) {
	remaining := sp
	for i := range entries {
		e := &entries[i]
		if !e.pfx.Contains(a) || (e.proto != graph.ProtocolAll && e.proto != proto) {
			continue
		}
		m := remaining.intersect(portsOf(e.proto, e.e.FromPort, e.e.ToPort, proto))
		if m.empty() {
			continue
		}
		if e.e.Allow {
			for _, s := range m {
				allowed = append(allowed, piece{sp: s, nin: e})
			}
		} else if deny == nil {
			deny = e
		}
		remaining = remaining.subtract(m)
		if remaining.empty() {
			break
		}
	}
	return allowed, deny
}

// netKey names one evaluation of the network (route table and ACL) of a
// subnet for sources in one peer's ranges, one protocol and ports.
type netKey struct {
	rt     *rtInfo
	acl    *graph.NetworkACL
	peer   int // interned; -1 for the whole internet
	proto  string
	f      family
	lo, hi int    // the ports, when one span
	more   string // the ports, when several
}

// netGroup is a range of sources (the largest of those that fare alike)
// and the ports the network lets through from it, with the deciding route
// and ACL entries.
type netGroup struct {
	at     atom
	pieces []piece
}

// netEval is what the network of a subnet lets through from a peer's
// ranges; block says why when it lets nothing through.
type netEval struct {
	groups []netGroup
	block  *block
}

// netFor evaluates (once, then from cache) the route table and network ACL
// of subnet s for traffic from the public part of ps on proto and ports sp.
func (ix *index) netFor(rti *rtInfo, acl *graph.NetworkACL, f family, ps []netip.Prefix, peer int, proto string, sp spans) *netEval {
	k := netKey{rt: rti, acl: acl, peer: peer, proto: proto, f: f}
	if len(sp) == 1 {
		k.lo, k.hi = sp[0].lo, sp[0].hi
	} else {
		k.more = fmt.Sprint(sp)
	}
	if ne, ok := ix.nets[k]; ok {
		return ne
	}
	ne := &netEval{}
	ix.nets[k] = ne
	var acli *aclInfo
	if acl != nil {
		acli = ix.acls[acl.ID]
	}
	// Only edges inside the peer's ranges matter.
	cuts := append([]netip.Prefix(nil), ps...)
	inside := func(q netip.Prefix) {
		for _, p := range ps {
			if p.Overlaps(q) {
				cuts = append(cuts, q)
				return
			}
		}
	}
	for _, r := range rti.routes[f] {
		inside(r.pfx)
	}
	if acli != nil {
		for _, e := range acli.in[f] {
			inside(e.pfx)
		}
		for _, e := range acli.out[f] {
			inside(e.pfx)
		}
	}
	replySp := noPorts
	if hasPorts(proto) {
		replySp = ephemeral
	}
	consider := func(stage int, mk func() *block) {
		if ne.block == nil || stage > ne.block.stage {
			ne.block = intend(mk(), true)
		}
	}
	for _, at := range atomsFor(f, cuts, ps) {
		a := at.lo
		inPeer := false
		for _, p := range ps {
			if p.Contains(a) {
				inPeer = true
				break
			}
		}
		if !inPeer {
			continue
		}
		rc := ix.returnRoute(rti, a, f)
		if rc.why != routeOK {
			consider(stRoute, func() *block { return rc.block(rti.t, srcDesc(at, ps)) })
			continue
		}
		var in []piece
		var nout *aclEntry
		var replyPart spans
		if acli == nil {
			for _, x := range sp {
				in = append(in, piece{sp: x})
			}
		} else {
			var deny *aclEntry
			in, deny = aclDecide(acli.in[f], a, proto, sp)
			if len(in) == 0 {
				consider(stNACLIn, func() *block { return aclBlock(stNACLIn, acl, deny, proto, sp, srcDesc(at, ps)) })
				continue
			}
			out, odeny := aclDecide(acli.out[f], a, proto, replySp)
			if len(out) == 0 {
				consider(stNACLOut, func() *block { return aclBlock(stNACLOut, acl, odeny, proto, replySp, srcDesc(at, ps)) })
				continue
			}
			nout = out[0].nin
			for _, o := range out {
				replyPart = replyPart.union(spans{o.sp})
			}
			if hasPorts(proto) && len(replyPart) == 1 && replyPart[0] == ephemeral[0] {
				replyPart = nil
			}
		}
		for i := range in {
			in[i].proto, in[i].route, in[i].nout, in[i].outPart = proto, rc.r, nout, replyPart
		}
		// Sources that fare alike share the group of the largest.
		merged := false
		for gi := range ne.groups {
			if samePieces(ne.groups[gi].pieces, in) {
				merged = true
				break
			}
		}
		if !merged {
			ne.groups = append(ne.groups, netGroup{at: at, pieces: in})
		}
	}
	if len(ne.groups) > 0 {
		ne.block = nil
	} else if ne.block == nil {
		ne.block = intend(newBlock(stRoute, CodeNoRoute, rti.t.ID, "no public source address of %v is routed back", ps), true)
	}
	return ne
}

// internetOf names the internet of family f.
func internetOf(f family) string {
	if f == ipv6 {
		return "the IPv6 internet"
	}
	return "the internet"
}

// srcDesc names a range of sources: as a CIDR when it is one, else by the
// peer it belongs to.
func srcDesc(at atom, ps []netip.Prefix) string {
	if s := at.String(); !strings.Contains(s, "-") {
		return s
	}
	if len(ps) == 1 && ps[0].Bits() == 0 {
		if ps[0].Addr().Is4() {
			return internetOf(ipv4)
		}
		return internetOf(ipv6)
	}
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.String()
	}
	return "public addresses of " + strings.Join(parts, ", ")
}

func samePieces(a, b []piece) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].sp != b[i].sp || a[i].nin != b[i].nin || a[i].nout != b[i].nout || a[i].route != b[i].route || !equalSpans(a[i].outPart, b[i].outPart) {
			return false
		}
	}
	return true
}

func equalSpans(a, b spans) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// profileKey names a profile. Subnets sharing a route table (used the same
// way) and a network ACL share their profiles; a subnet without a known
// ACL has its own, since the path then names it.
type profileKey struct {
	f      family
	rt     *graph.RouteTable
	rtMain bool
	acl    *graph.NetworkACL
	subnet string
	sgs    string
	noSG   bool
	want   string
}

// profileFor evaluates (once, then from cache) what reaches nodes with
// security groups sgs in subnet s from the internet over family f.
func (ix *index) profileFor(f family, s *graph.Subnet, sgs []string, noSG bool, w want) *profile {
	key := profileKey{f: f, sgs: strings.Join(sgs, ","), noSG: noSG, want: w.key}
	var explicit bool
	key.rt, explicit = ix.routeTable(s)
	key.rtMain = !explicit
	key.acl = ix.networkACL(s)
	if key.rt == nil || key.acl == nil {
		key.subnet = s.ID
	}
	if p, ok := ix.profiles[key]; ok {
		return p
	}
	p := ix.evalProfile(f, s, sgs, noSG, w)
	ix.profiles[key] = p
	return p
}

// evalProfile follows traffic from the internet into subnet s through
// security groups sgs: for every rule that admits internet sources, the
// network of the subnet is evaluated for that rule's sources and ports.
func (ix *index) evalProfile(f family, s *graph.Subnet, sgs []string, noSG bool, w want) *profile {
	p := &profile{f: f, subnet: s}
	rt, explicit := ix.routeTable(s)
	if rt == nil {
		p.block = newBlock(stRouteTable, CodeNoRoute, s.ID, "no route table is known for %s (no explicit association and no main route table of %s in the input)", s.ID, s.VPCID)
		return p
	}
	p.rt, p.rtMain = rt, !explicit
	rti := ix.rts[rt.ID]
	p.acl = ix.networkACL(s)
	rules, missing := ix.groupRules(sgs)
	protos := w.protocols(f, rules)

	var pieces []piece
	var intended *block
	admittedAny := false
	add := func(ne *netEval, r *sgRule) {
		for gi := range ne.groups {
			g := &ne.groups[gi]
			for _, pc := range g.pieces {
				pc.at, pc.rule = &g.at, r
				pieces = append(pieces, pc)
			}
		}
		if len(ne.groups) == 0 {
			intended = further(intended, ne.block)
		}
	}
	for _, proto := range protos {
		wantSp := w.spans(proto)
		if wantSp.empty() {
			continue
		}
		if noSG {
			admittedAny = true
			add(ix.netFor(rti, p.acl, f, world(f), -1, proto, wantSp), nil)
			continue
		}
		for _, r := range rules {
			if !r.matchesProto(proto) {
				continue
			}
			rsp := wantSp.intersect(portsOf(r.proto, r.r.FromPort, r.r.ToPort, proto))
			if rsp.empty() {
				continue
			}
			if r.peer[f] < 0 {
				continue
			}
			admittedAny = true
			add(ix.netFor(rti, p.acl, f, r.peers[f], r.peer[f], proto, rsp), r)
		}
	}
	if len(pieces) > 0 {
		p.expos = mergePieces(pieces, f)
		for i := range p.expos {
			p.expos[i].hops = ix.hops(p, &p.expos[i])
		}
		return p
	}
	if admittedAny {
		p.block = intended
		return p
	}
	// No rule admits the internet: say where the internet would stop first
	// on the first protocol, the network or the groups.
	for _, proto := range protos {
		wantSp := w.spans(proto)
		if wantSp.empty() {
			continue
		}
		ne := ix.netFor(rti, p.acl, f, world(f), -1, proto, wantSp)
		if len(ne.groups) == 0 {
			b := *ne.block
			b.intended = false
			p.block = &b
		} else {
			p.block = ix.sgBlock(sgs, missing, rules, proto, wantSp, w.all, f)
		}
		break
	}
	if p.block == nil {
		p.block = newBlock(stSG, CodeSG, strings.Join(sgs, ","), "nothing is listening")
	}
	return p
}

// anyPublic reports whether some prefix holds public addresses.
func anyPublic(ps []netip.Prefix) bool {
	for _, p := range ps {
		if isPublic(p.Addr()) || isPublic(lastAddr(p)) || p.Bits() < 8 {
			return true
		}
	}
	return false
}

// memoKey names a hop detail shared by many paths.
type memoKey struct {
	route     *route
	nin, nout *aclEntry
	rule      *sgRule
	proto     string
	part      string
	subnet    string
}

func (ix *index) memoize(k memoKey, mk func() string) string {
	if s, ok := ix.memo[k]; ok {
		return s
	}
	s := mk()
	ix.memo[k] = s
	return s
}

// hops builds the node-independent hops of an exposure's path.
func (ix *index) hops(p *profile, pe *pexpo) []graph.Hop {
	out := make([]graph.Hop, 0, 4)
	out = append(out, graph.Hop{Node: "internet", Kind: KindInternet, Detail: "from " + strings.Join(pe.sources, ", ")})
	rk := memoKey{route: pe.route}
	if p.rtMain {
		rk.subnet = "main"
	}
	rtDetail := ix.memoize(rk, func() string {
		d := fmt.Sprintf("route %d (%s) sends replies back through the internet gateway", pe.route.index, routeDesc(pe.route))
		if p.rtMain {
			d += fmt.Sprintf("; the main route table of %s, used by subnets without their own", p.rt.VPCID)
		}
		return d
	})
	out = append(out, graph.Hop{Node: p.rt.ID, Kind: graph.KindRouteTable, Detail: rtDetail})
	if p.acl == nil {
		out = append(out, graph.Hop{Node: p.subnet.ID, Kind: graph.KindSubnet, Detail: "no network ACL of the subnet is in the input; assumed to allow everything"})
	} else {
		part := ""
		if pe.outPart != nil {
			part = fmt.Sprint(pe.outPart)
		}
		d := ix.memoize(memoKey{nin: pe.nin, nout: pe.nout, proto: pe.proto, part: part}, func() string {
			d := fmt.Sprintf("inbound rule %d allows %s from %s", pe.nin.e.RuleNumber, describeEntry(pe.nin, pe.proto), pe.nin.pfx)
			d += fmt.Sprintf("; outbound rule %d allows the reply", pe.nout.e.RuleNumber)
			if hasPorts(pe.proto) {
				if pe.outPart != nil {
					d += " only to ports " + strings.TrimPrefix(describePorts(pe.proto, pe.outPart), pe.proto+" ")
				} else {
					d += " to ephemeral ports 1024-65535"
				}
			}
			return d
		})
		out = append(out, graph.Hop{Node: p.acl.ID, Kind: graph.KindNetworkACL, Detail: d})
	}
	if r := pe.rule; r != nil {
		d := ix.memoize(memoKey{rule: r, proto: pe.proto}, func() string {
			id := ""
			if r.r.ID != "" {
				id = " (" + r.r.ID + ")"
			}
			rp := describePorts(pe.proto, portsOf(r.proto, r.r.FromPort, r.r.ToPort, pe.proto))
			if r.proto == graph.ProtocolAll {
				rp = "all traffic"
			}
			return fmt.Sprintf("inbound rule %d%s allows %s from %s", r.index, id, rp, r.r.Peer)
		})
		out = append(out, graph.Hop{Node: r.sg, Kind: graph.KindSecurityGroup, Detail: d})
	}
	return out
}

// Ways a return route fails.
const (
	routeOK = iota
	routeNone
	routeBlackhole
	routeIGWDetached
	routeEIGW
	routeMoreSpecific
	routeElsewhere
)

// routeCheck is the outcome of looking up the return route of one atom;
// its block is built only when it is reported.
type routeCheck struct {
	why  int
	r, o *route // the matching route, and the wider IGW route it overrides
}

func (c routeCheck) block(t *graph.RouteTable, at string) *block {
	r, o := c.r, c.o
	switch c.why {
	case routeNone:
		return newBlock(stRoute, CodeNoRoute, t.ID, "route table %s has no route back to %s, so replies cannot return through an internet gateway", t.ID, at)
	case routeBlackhole:
		return newBlock(stRoute, CodeBlackhole, t.ID, "route %d (%s) is a blackhole: replies to %s are dropped", r.index, routeDesc(r), at)
	case routeIGWDetached:
		return newBlock(stRoute, CodeNoRoute, t.ID, "route %d (%s) names an internet gateway that is not attached to %s", r.index, routeDesc(r), t.VPCID)
	case routeEIGW:
		return newBlock(stRoute, CodeNoRoute, t.ID, "route %d (%s) leads to an egress-only internet gateway, which admits no connection from the internet", r.index, routeDesc(r))
	case routeMoreSpecific:
		return newBlock(stRoute, CodeMoreSpecificRoute, t.ID, "route %d (%s) is more specific than route %d (%s): replies to %s leave through %s, not the internet gateway", r.index, routeDesc(r), o.index, routeDesc(o), at, r.r.TargetID)
	}
	return newBlock(stRoute, CodeNoRoute, t.ID, "route %d (%s) sends replies to %s to %s, not to an internet gateway", r.index, routeDesc(r), at, r.r.TargetID)
}

// returnRoute checks that replies to source a go back through the internet
// gateway: the longest-prefix match of the subnet's route table.
func (ix *index) returnRoute(rti *rtInfo, a netip.Addr, f family) routeCheck {
	t := rti.t
	r := rti.lookup(a, f)
	switch {
	case r == nil:
		return routeCheck{why: routeNone}
	case r.r.State == "blackhole":
		return routeCheck{why: routeBlackhole, r: r}
	case r.target == graph.TargetIGW:
		if ix.routesToIGW(t, r.r) {
			return routeCheck{why: routeOK, r: r}
		}
		return routeCheck{why: routeIGWDetached, r: r}
	case r.target == graph.TargetEIGW:
		return routeCheck{why: routeEIGW, r: r}
	}
	// A more specific route elsewhere: is there a wider one to the IGW it
	// overrides?
	for i := range rti.routes[f] {
		o := &rti.routes[f][i]
		if o.target == graph.TargetIGW && o.pfx.Contains(a) && o.pfx.Bits() < r.pfx.Bits() && ix.routesToIGW(t, o.r) {
			return routeCheck{why: routeMoreSpecific, r: r, o: o}
		}
	}
	return routeCheck{why: routeElsewhere, r: r}
}

func routeDesc(r *route) string {
	dst := r.pfx.String()
	if r.viaPL {
		dst = r.r.DestinationPrefixList + " (" + dst + ")"
	}
	tgt := r.r.TargetID
	if tgt == "" {
		tgt = string(r.target)
	}
	return dst + " → " + tgt
}

func aclBlock(stage int, acl *graph.NetworkACL, deny *aclEntry, proto string, sp spans, at string) *block {
	dir, prep := "inbound", "from"
	what := describePorts(proto, sp)
	if stage == stNACLOut {
		dir, prep = "outbound", "to"
		what = "the reply (" + what + ")"
	}
	if deny != nil {
		return newBlock(stage, CodeACL, acl.ID, "%s rule %d of %s denies %s %s %s", dir, deny.e.RuleNumber, acl.ID, what, prep, at)
	}
	return newBlock(stage, CodeACL, acl.ID, "no %s rule of %s allows %s %s %s (the final rule * denies it)", dir, acl.ID, what, prep, at)
}

func (ix *index) sgBlock(sgs, missing []string, rules []*sgRule, proto string, sp spans, all bool, f family) *block {
	node := strings.Join(sgs, ",")
	if len(sgs) == 0 {
		return newBlock(stSG, CodeSG, "", "no security group is known for the node, so nothing is admitted")
	}
	if len(rules) == 0 && len(missing) == 0 {
		return newBlock(stSG, CodeSGNoRules, node, "%s %s no inbound rules", node, plural(len(sgs), "has", "have"))
	}
	var notes []string
	var refs, unknownPL []string
	for _, r := range rules {
		if !all && (!r.matchesProto(proto) || portsOf(r.proto, r.r.FromPort, r.r.ToPort, proto).intersect(sp).empty()) {
			continue
		}
		switch r.r.PeerKind {
		case graph.PeerSG:
			refs = append(refs, r.r.Peer)
		case graph.PeerPrefixList:
			if pl := ix.pls[r.r.Peer]; pl == nil || !pl.known {
				unknownPL = append(unknownPL, r.r.Peer)
			}
		}
	}
	if len(refs) > 0 {
		notes = append(notes, "rules naming security groups ("+strings.Join(uniq(refs), ", ")+") never admit the internet")
	}
	if len(unknownPL) > 0 {
		notes = append(notes, "the entries of prefix list "+strings.Join(uniq(unknownPL), ", ")+" are not in the input, so it is not assumed public")
	}
	if len(missing) > 0 {
		notes = append(notes, "security group "+strings.Join(missing, ", ")+" is not in the input")
	}
	what := describePorts(proto, sp)
	if all {
		what = "anything"
	}
	d := fmt.Sprintf("no inbound rule of %s admits %s from %s", node, what, internetOf(f))
	if len(notes) > 0 {
		d += "; " + strings.Join(notes, "; ")
	}
	return &block{stage: stSG, b: graph.Blocked{Code: CodeSG, Node: node, Detail: d}}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// sourceOf names the source of a piece: the peer of the rule admitting it.
func sourceOf(pc *piece, f family) string {
	if pc.rule != nil {
		return pc.rule.r.Peer
	}
	if pc.nin != nil {
		return pc.nin.pfx.String()
	}
	if f == ipv6 {
		return "::/0"
	}
	return "0.0.0.0/0"
}

// mergePieces turns the reachable pieces of every atom into exposures:
// maximal port ranges per protocol, each with the path of the most open
// source that reaches it and the sources of every rule that does.
func mergePieces(pieces []piece, f family) []pexpo {
	// By protocol, the widest sources first within each (stable: rule
	// order breaks ties).
	slices.SortStableFunc(pieces, func(a, b piece) int {
		return cmp.Or(strings.Compare(a.proto, b.proto), cmp.Compare(b.at.size, a.at.size))
	})
	var out []pexpo
	var cuts []int
	for start := 0; start < len(pieces); {
		end := start
		for end < len(pieces) && pieces[end].proto == pieces[start].proto {
			end++
		}
		group := pieces[start:end]
		start = end
		cuts = cuts[:0]
		for i := range group {
			cuts = append(cuts, group[i].sp.lo, group[i].sp.hi+1)
		}
		slices.Sort(cuts)
		cuts = slices.Compact(cuts)
		cur := -1
		for c := 0; c+1 < len(cuts); c++ {
			lo, hi := cuts[c], cuts[c+1]-1
			var rep *piece
			var srcs []string
			for i := range group {
				pc := &group[i]
				if pc.sp.lo <= lo && pc.sp.hi >= hi {
					if rep == nil {
						rep = pc
					}
					if s := sourceOf(pc, f); !slices.Contains(srcs, s) {
						srcs = append(srcs, s)
					}
				}
			}
			if rep == nil {
				cur = -1
				continue
			}
			slices.Sort(srcs)
			if cur >= 0 && out[cur].hi+1 == lo && sameAttribution(&out[cur].piece, rep) && slices.Equal(out[cur].sources, srcs) {
				out[cur].hi = hi
				continue
			}
			out = append(out, pexpo{piece: *rep, lo: lo, hi: hi, sources: srcs})
			cur = len(out) - 1
		}
	}
	return out
}

func sameAttribution(a, b *piece) bool {
	return a.rule == b.rule && a.nin == b.nin && a.nout == b.nout && a.route == b.route
}
