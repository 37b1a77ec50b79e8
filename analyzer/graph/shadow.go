package graph

import (
	"net/netip"
	"sort"
)

// Shadowed lines of a filter (Batfish's "filter line reachability"): a
// network ACL entry that never matches because lower-numbered entries of
// its direction match all its traffic first, or a security group rule
// whose traffic other rules of its group and direction already admit.
// Both are set computations over protocol × ports × peer, on the one
// definition of each (NormProtocol, RulePorts, AddrSet).

// FlowLine is one line of a filter as a set of flows: a protocol, the
// ports it covers and its peer (an address set, or a security group).
type FlowLine struct {
	// Proto is the normalized protocol (NormProtocol).
	Proto string
	// Ports are the ports (ICMP type and code) as AWS reads them.
	Ports PortSpan
	// Group is the peer when it is a security group (with its owner, when
	// another account's); Addrs is the peer otherwise.
	Group string
	Addrs AddrSet
	// Known is false when the line's protocol, ports or peer are not known
	// (an unknown value, a prefix list without its entries): such a line
	// neither is shadowed nor shadows another.
	Known bool
}

// Shadow says that line Line is covered by lines By (in index order).
type Shadow struct {
	Line int
	By   []int
}

// ACLEntryFlow is the flow set of a network ACL entry. The default entry
// (rule number 32767) and an entry without a CIDR are not known lines.
func ACLEntryFlow(e ACLEntry) FlowLine {
	proto := NormProtocol(e.Protocol)
	cidr := e.CIDR
	if cidr == "" {
		cidr = e.IPv6CIDR
	}
	l := FlowLine{Proto: proto, Ports: RulePorts(proto, e.FromPort, e.ToPort), Addrs: CIDRSet(cidr)}
	l.Known = cidr != "" && l.Addrs.Known && !(ProtocolHasPorts(proto) && l.Ports.Empty())
	return l
}

// SGRuleFlow is the flow set of a security group rule; lists holds the
// prefix lists of the input by id.
func SGRuleFlow(r SGRule, lists map[string]*PrefixList) FlowLine {
	proto := NormProtocol(r.Protocol)
	l := FlowLine{Proto: proto, Ports: RulePorts(proto, r.FromPort, r.ToPort)}
	l.Known = !r.Unknown && !(ProtocolHasPorts(proto) && l.Ports.Empty())
	switch r.PeerKind {
	case PeerSG:
		l.Group = r.Peer + "\x00" + r.PeerOwner
		l.Known = l.Known && r.Peer != ""
	case PeerPrefixList:
		pl := lists[r.Peer]
		if pl == nil || !(pl.EntriesKnown || len(pl.Entries) > 0) {
			l.Known = false
			break
		}
		l.Addrs = NewAddrSet(pl.Entries, true)
		l.Known = l.Known && l.Addrs.Known
	default:
		l.Addrs = CIDRSet(r.Peer)
		l.Known = l.Known && l.Addrs.Known
	}
	return l
}

// Ports returns the ports the rule covers (RulePorts of its protocol).
func (r SGRule) Ports() PortSpan {
	return RulePorts(NormProtocol(r.Protocol), r.FromPort, r.ToPort)
}

// MaxShadowLines bounds the lines ShadowedRules and ShadowedEntries
// compare: the comparison grows with the cube of the lines in the worst
// case, and AWS allows at most 1,000 rules per security group (and 40
// entries per ACL direction), so a longer list is hostile or broken input;
// its shadowed lines are not reported.
const MaxShadowLines = 1000

// ShadowedEntries returns the entries of one direction of a network ACL,
// in evaluation order, that never match: the entries before each one
// cover all its flows (a union of several counts). By lists the earlier
// entries that overlap it.
func ShadowedEntries(lines []FlowLine) []Shadow {
	if len(lines) > MaxShadowLines {
		return nil
	}
	var out []Shadow
	for i, l := range lines {
		if by, ok := coveredBy(l, lines, func(j int) bool { return j < i }); ok {
			out = append(out, Shadow{Line: i, By: minimal(l, lines, by)})
		}
	}
	return out
}

// ShadowedRules returns the rules of one direction of a security group
// whose flows the other rules already admit (security group rules are a
// union: order does not matter). Of two rules admitting the same flows
// the later is reported; a rule is never reported as covered by one it
// itself covers, nor by a rule already reported, so removing every
// reported rule admits exactly what the group admits now.
func ShadowedRules(lines []FlowLine) []Shadow {
	if len(lines) > MaxShadowLines {
		return nil
	}
	var out []Shadow
	reported := make([]bool, len(lines))
	for i, l := range lines {
		by, ok := coveredBy(l, lines, func(j int) bool {
			if j == i || reported[j] {
				return false
			}
			if j < i {
				return true
			}
			// Is j covered by i alone? Asked of i's line only, not by
			// scanning every line for it.
			_, inside := coveredBy(lines[j], lines[i:i+1], func(int) bool { return true })
			return !inside
		})
		if ok {
			reported[i] = true
			out = append(out, Shadow{Line: i, By: minimal(l, lines, by)})
		}
	}
	return out
}

// minimal drops from by, last first, the lines t stays covered without:
// the covering lines a finding names.
func minimal(t FlowLine, lines []FlowLine, by []int) []int {
	keep := append([]int(nil), by...)
	for k := len(keep) - 1; k >= 0 && len(keep) > 1; k-- {
		without := append(append([]int(nil), keep[:k]...), keep[k+1:]...)
		if _, ok := coveredBy(t, lines, func(j int) bool { return containsInt(without, j) }); ok {
			keep = without
		}
	}
	return keep
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// coveredBy reports whether the lines that use admits cover every flow of
// t, and which of them overlap it.
func coveredBy(t FlowLine, lines []FlowLine, use func(int) bool) ([]int, bool) {
	if !t.Known {
		return nil, false
	}
	var cands []int
	for j, c := range lines {
		// use may be costly (ShadowedRules asks whether j is itself
		// covered): asked only of the lines that overlap t.
		if c.Known && overlaps(c, t) && use(j) {
			cands = append(cands, j)
		}
	}
	if len(cands) == 0 {
		return nil, false
	}
	// Every protocol of t must be covered. For protocol -1 only lines of
	// protocol -1 cover the protocols no line names, and they cover all
	// ports: t is covered when their peers cover its peer.
	if t.Proto == ProtocolAll {
		var all []int
		for _, j := range cands {
			if lines[j].Proto == ProtocolAll {
				all = append(all, j)
			}
		}
		return all, peersCover(t, lines, all)
	}
	if !ProtocolHasPorts(t.Proto) {
		// ICMP type/code or a protocol without ports: a line covers t's
		// ports wholly or not at all.
		var whole []int
		for _, j := range cands {
			if portsCover(lines[j], t) {
				whole = append(whole, j)
			}
		}
		return whole, peersCover(t, lines, whole)
	}
	// TCP and UDP: cut t's range at every boundary of the candidates; each
	// piece must be covered by the peers of the lines holding it whole.
	cuts := []int{t.Ports.From, t.Ports.To + 1}
	for _, j := range cands {
		c := lines[j]
		if c.Proto == ProtocolAll || c.Ports.All {
			continue
		}
		for _, b := range []int{c.Ports.From, c.Ports.To + 1} {
			if b > t.Ports.From && b <= t.Ports.To {
				cuts = append(cuts, b)
			}
		}
	}
	sort.Ints(cuts)
	for k := 0; k+1 < len(cuts); k++ {
		lo, hi := cuts[k], cuts[k+1]-1
		if lo > hi {
			continue
		}
		var hold []int
		for _, j := range cands {
			c := lines[j]
			if c.Proto == ProtocolAll || c.Ports.All || (c.Ports.From <= lo && hi <= c.Ports.To) {
				hold = append(hold, j)
			}
		}
		if !peersCover(t, lines, hold) {
			return cands, false
		}
	}
	return cands, true
}

// overlaps reports whether lines c and t share a flow.
func overlaps(c, t FlowLine) bool {
	if c.Proto != ProtocolAll && t.Proto != ProtocolAll && c.Proto != t.Proto {
		return false
	}
	if c.Proto == t.Proto && ProtocolHasPorts(t.Proto) && !c.Ports.All && !t.Ports.All &&
		(c.Ports.To < t.Ports.From || t.Ports.To < c.Ports.From) {
		return false
	}
	if c.Proto == t.Proto && (t.Proto == "icmp" || t.Proto == "icmpv6") && !c.Ports.All && !t.Ports.All &&
		(c.Ports.From != t.Ports.From || (c.Ports.To != t.Ports.To && c.Ports.To != -1 && t.Ports.To != -1)) {
		return false
	}
	if c.Group != "" || t.Group != "" {
		return c.Group == t.Group
	}
	for _, p := range c.Addrs.Prefixes {
		for _, q := range t.Addrs.Prefixes {
			if p.Overlaps(q) {
				return true
			}
		}
	}
	return false
}

// portsCover reports whether line c covers every port (ICMP type and
// code) of t, both of one protocol without ports or c of protocol -1.
func portsCover(c, t FlowLine) bool {
	switch {
	case c.Proto == ProtocolAll || c.Ports.All:
		return true
	case t.Ports.All:
		return false
	case t.Proto == "icmp" || t.Proto == "icmpv6":
		// Type From, code To; code -1 is every code of the type.
		return c.Ports.From == t.Ports.From && (c.Ports.To == -1 || c.Ports.To == t.Ports.To)
	}
	return true
}

// peersCover reports whether the peers of lines use cover t's peer.
func peersCover(t FlowLine, lines []FlowLine, use []int) bool {
	if len(use) == 0 {
		return false
	}
	if t.Group != "" {
		for _, j := range use {
			if lines[j].Group == t.Group {
				return true
			}
		}
		return false
	}
	var ps []netip.Prefix
	for _, j := range use {
		ps = append(ps, lines[j].Addrs.Prefixes...)
	}
	if len(t.Addrs.Prefixes) == 0 {
		return false
	}
	for _, q := range t.Addrs.Prefixes {
		if !PrefixesCover(ps, q) {
			return false
		}
	}
	return true
}
