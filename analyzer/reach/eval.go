package reach

import (
	"fmt"
	"net/netip"
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

// piece is a port range reachable from one atom, with what admits it.
type piece struct {
	proto     string
	sp        span
	atom      int
	route     *route
	nin, nout *aclEntry
	outPart   spans // ephemeral ports the reply may use, when only part
	rule      *sgRule
}

// pexpo is an exposure of a profile: a port range and the rules on its
// most open path.
type pexpo struct {
	piece
	lo, hi  int
	sources []string
}

// profile is what a subnet and a set of security groups let through from
// the internet, for one family and listening set. Many nodes share one.
type profile struct {
	f      family
	subnet *graph.Subnet
	rt     *graph.RouteTable
	rtMain bool
	acl    *graph.NetworkACL
	atoms  []atom
	expos  []pexpo
	block  *block
}

// groupRules returns the parsed ingress rules of groups, in group then rule
// order, and the ids of groups missing from the input.
func (ix *index) groupRules(sgs []string) (rules []*sgRule, missing []string) {
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

// sgAdmitsAny reports whether some rule admits source a on proto and some
// port of sp.
func (ix *index) sgAdmitsAny(rules []*sgRule, a netip.Addr, f family, proto string, sp spans) bool {
	for _, r := range rules {
		if r.matchesProto(proto) && ix.covers(r, a, f) && !portsOf(r.proto, r.r.FromPort, r.r.ToPort, proto).intersect(sp).empty() {
			return true
		}
	}
	return false
}

// covers reports whether rule r admits source address a.
func (ix *index) covers(r *sgRule, a netip.Addr, f family) bool {
	switch r.r.PeerKind {
	case graph.PeerCIDR, graph.PeerIPv6CIDR:
		return r.isPfx && r.fam == f && r.pfx.Contains(a)
	case graph.PeerPrefixList:
		pl := ix.pls[r.r.Peer]
		if pl == nil || !pl.known {
			return false
		}
		for _, p := range pl.entries(f) {
			if p.Contains(a) {
				return true
			}
		}
	}
	return false
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

// profileFor evaluates (once, then from cache) what reaches nodes with
// security groups sgs in subnet s from the internet over family f.
func (ix *index) profileFor(f family, s *graph.Subnet, sgs []string, noSG bool, w want) *profile {
	key := fmt.Sprintf("%d|%s|%s|%t|%s", f, s.ID, strings.Join(sgs, ","), noSG, w.key)
	if p, ok := ix.profiles[key]; ok {
		return p
	}
	p := ix.evalProfile(f, s, sgs, noSG, w)
	ix.profiles[key] = p
	return p
}

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
	var acli *aclInfo
	if p.acl != nil {
		acli = ix.acls[p.acl.ID]
	}
	rules, missing := ix.groupRules(sgs)

	// Cut the address space at every edge that matters.
	var ps []netip.Prefix
	for _, r := range rti.routes[f] {
		ps = append(ps, r.pfx)
	}
	if acli != nil {
		for _, e := range acli.in[f] {
			ps = append(ps, e.pfx)
		}
		for _, e := range acli.out[f] {
			ps = append(ps, e.pfx)
		}
	}
	for _, r := range rules {
		if r.isPfx && r.fam == f {
			ps = append(ps, r.pfx)
		}
		if r.r.PeerKind == graph.PeerPrefixList {
			if pl := ix.pls[r.r.Peer]; pl != nil && pl.known {
				ps = append(ps, pl.entries(f)...)
			}
		}
	}
	p.atoms = atomsFor(f, ps)
	protos := w.protocols(f, rules)

	var pieces []piece
	for ai, at := range p.atoms {
		a := at.lo
		rte, rb := ix.returnRoute(rti, a, f, at)
		for _, proto := range protos {
			wantSp := w.spans(proto)
			if wantSp.empty() {
				continue
			}
			admitted := noSG || ix.sgAdmitsAny(rules, a, f, proto, wantSp)
			if rb != nil {
				p.block = further(p.block, intend(rb, admitted))
				continue
			}
			// Network ACL, inbound.
			var in []piece
			var replyPart spans
			var nout *aclEntry
			if acli == nil {
				for _, sp := range wantSp {
					in = append(in, piece{sp: sp})
				}
			} else {
				var deny *aclEntry
				in, deny = aclDecide(acli.in[f], a, proto, wantSp)
				if len(in) == 0 {
					p.block = further(p.block, intend(aclBlock(stNACLIn, p.acl, deny, proto, wantSp, at), admitted))
					continue
				}
				// Network ACL, outbound: the reply to the client's
				// ephemeral port.
				replySp := noPorts
				if hasPorts(proto) {
					replySp = ephemeral
				}
				out, odeny := aclDecide(acli.out[f], a, proto, replySp)
				if len(out) == 0 {
					p.block = further(p.block, intend(aclBlock(stNACLOut, p.acl, odeny, proto, replySp, at), admitted))
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
			// Security groups.
			var got []piece
			for _, np := range in {
				if noSG {
					np.proto, np.atom, np.route, np.nout, np.outPart = proto, ai, rte, nout, replyPart
					got = append(got, np)
					continue
				}
				remaining := spans{np.sp}
				for _, r := range rules {
					if !r.matchesProto(proto) || !ix.covers(r, a, f) {
						continue
					}
					m := remaining.intersect(portsOf(r.proto, r.r.FromPort, r.r.ToPort, proto))
					if m.empty() {
						continue
					}
					for _, sp := range m {
						got = append(got, piece{proto: proto, sp: sp, atom: ai, route: rte, nin: np.nin, nout: nout, outPart: replyPart, rule: r})
					}
					remaining = remaining.subtract(m)
					if remaining.empty() {
						break
					}
				}
			}
			if len(got) == 0 {
				// The groups admit this source on ports the ACL refuses.
				b := ix.sgBlock(sgs, missing, rules, proto, wantSp, at, f)
				if admitted && p.acl != nil {
					b = intend(newBlock(stNACLIn, CodeACL, p.acl.ID, "%s admits %s from %s only on ports the network ACL %s denies", strings.Join(sgs, ","), describePorts(proto, wantSp), at, p.acl.ID), true)
				}
				p.block = further(p.block, b)
				continue
			}
			pieces = append(pieces, got...)
		}
	}
	p.expos = mergePieces(pieces, p.atoms, f)
	if len(p.expos) > 0 {
		p.block = nil
	}
	return p
}

// returnRoute checks that replies to source a go back through the internet
// gateway: the longest-prefix match of the subnet's route table.
func (ix *index) returnRoute(rti *rtInfo, a netip.Addr, f family, at atom) (*route, *block) {
	t := rti.t
	r := rti.lookup(a, f)
	if r == nil {
		return nil, newBlock(stRoute, CodeNoRoute, t.ID, "route table %s has no route back to %s, so replies cannot return through an internet gateway", t.ID, at)
	}
	desc := routeDesc(r)
	switch {
	case r.r.State == "blackhole":
		return nil, newBlock(stRoute, CodeBlackhole, t.ID, "route %d (%s) is a blackhole: replies to %s are dropped", r.index, desc, at)
	case r.target == graph.TargetIGW:
		if ix.routesToIGW(t, r.r) {
			return r, nil
		}
		return nil, newBlock(stRoute, CodeNoRoute, t.ID, "route %d (%s) names an internet gateway that is not attached to %s", r.index, desc, t.VPCID)
	case r.target == graph.TargetEIGW:
		return nil, newBlock(stRoute, CodeNoRoute, t.ID, "route %d (%s) leads to an egress-only internet gateway, which admits no connection from the internet", r.index, desc)
	}
	// A more specific route elsewhere: is there a wider one to the IGW it
	// overrides?
	for i := range rti.routes[f] {
		o := &rti.routes[f][i]
		if o.target == graph.TargetIGW && o.pfx.Contains(a) && o.pfx.Bits() < r.pfx.Bits() && ix.routesToIGW(t, o.r) {
			return nil, newBlock(stRoute, CodeMoreSpecificRoute, t.ID, "route %d (%s) is more specific than route %d (%s): replies to %s leave through %s, not the internet gateway", r.index, desc, o.index, routeDesc(o), at, r.r.TargetID)
		}
	}
	return nil, newBlock(stRoute, CodeNoRoute, t.ID, "route %d (%s) sends replies to %s to %s, not to an internet gateway", r.index, desc, at, r.r.TargetID)
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

func aclBlock(stage int, acl *graph.NetworkACL, deny *aclEntry, proto string, sp spans, at atom) *block {
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

func (ix *index) sgBlock(sgs, missing []string, rules []*sgRule, proto string, sp spans, at atom, f family) *block {
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
		if !r.matchesProto(proto) || portsOf(r.proto, r.r.FromPort, r.r.ToPort, proto).intersect(sp).empty() {
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
	d := fmt.Sprintf("no inbound rule of %s admits %s from %s", node, describePorts(proto, sp), at)
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
func mergePieces(pieces []piece, atoms []atom, f family) []pexpo {
	byProto := map[string][]int{}
	var protos []string
	for i := range pieces {
		p := pieces[i].proto
		if _, ok := byProto[p]; !ok {
			protos = append(protos, p)
		}
		byProto[p] = append(byProto[p], i)
	}
	sort.Strings(protos)
	var out []pexpo
	for _, proto := range protos {
		idx := byProto[proto]
		var cuts []int
		for _, i := range idx {
			cuts = append(cuts, pieces[i].sp.lo, pieces[i].sp.hi+1)
		}
		sort.Ints(cuts)
		cuts = compactInts(cuts)
		cur := -1
		for c := 0; c+1 < len(cuts); c++ {
			lo, hi := cuts[c], cuts[c+1]-1
			var rep *piece
			var srcs []string
			for _, i := range idx {
				pc := &pieces[i]
				if pc.sp.lo <= lo && pc.sp.hi >= hi {
					if rep == nil {
						rep = pc
					}
					srcs = append(srcs, sourceOf(pc, f))
				}
			}
			if rep == nil {
				cur = -1
				continue
			}
			srcs = uniq(srcs)
			if cur >= 0 && out[cur].hi+1 == lo && sameAttribution(&out[cur].piece, rep) && equalStrings(out[cur].sources, srcs) {
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

func compactInts(s []int) []int {
	w := 0
	for i, v := range s {
		if i > 0 && v == s[w-1] {
			continue
		}
		s[w] = v
		w++
	}
	return s[:w]
}

func equalStrings(a, b []string) bool {
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
