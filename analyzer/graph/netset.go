package graph

import (
	"fmt"
	"math/big"
	"net/netip"
	"strconv"
	"strings"
)

// This file is the one definition of what a protocol, a port range and an
// address range mean, shared by the readers, the reachability analysis and
// the policy input (which hands the parsed facts to Rego), so that no two
// places compare spellings.
//
// From AWS's documentation of security group rules and network ACL rules:
//   - IpProtocol is a name (tcp, udp, icmp, icmpv6) or a protocol number;
//     "-1" (Terraform and the console also say "all") is every protocol,
//     and then the ports are ignored: every port is covered.
//   - For TCP and UDP, FromPort-ToPort is an inclusive range (0-0 is port
//     0); -1 for both, or no ports, is every port.
//   - For ICMP and ICMPv6 the "ports" are the type and code; -1 is any.
//   - A CIDR is any spelling of a prefix (10.0.0.0/0 is 0.0.0.0/0 and
//     0:0:0:0:0:0:0:0/0 is ::/0): bits outside the mask do not count.

// NormProtocol names a protocol the way the model does: "-1" for every
// protocol ("-1", "all" or empty), "tcp", "udp", "icmp" and "icmpv6" for
// those protocols by name or number (6, 17, 1, 58), and any other protocol
// by its decimal number (leading zeros dropped) or, when it is not a
// number, its lower-case name.
func NormProtocol(p string) string {
	p = strings.ToLower(strings.TrimSpace(p))
	switch p {
	case "-1", "all", "":
		return ProtocolAll
	case "tcp", "udp", "icmp", "icmpv6":
		return p
	}
	if n, err := strconv.Atoi(p); err == nil {
		switch n {
		case -1:
			return ProtocolAll
		case 6:
			return "tcp"
		case 17:
			return "udp"
		case 1:
			return "icmp"
		case 58:
			return "icmpv6"
		}
		return strconv.Itoa(n)
	}
	return p
}

// ProtocolHasPorts reports whether protocol p (normalized) has ports: TCP
// and UDP.
func ProtocolHasPorts(p string) bool { return p == "tcp" || p == "udp" }

// PortSpan is the inclusive range of ports a rule covers for its protocol.
// For protocols without ports it is -1..-1 when any type/code is covered,
// else the rule's own numbers.
type PortSpan struct {
	From, To int
	// All is set when every port (or every ICMP type) is covered.
	All bool
}

// RulePorts returns the ports a rule of protocol proto (normalized) with
// from and to covers, as AWS reads them: every port for protocol -1 or
// -1/-1; the range clamped to 0-65535 for TCP and UDP (empty, From >
// To, when nothing is left).
func RulePorts(proto string, from, to int) PortSpan {
	if proto == ProtocolAll || (from == -1 && to == -1) {
		if ProtocolHasPorts(proto) || proto == ProtocolAll {
			return PortSpan{From: 0, To: 65535, All: true}
		}
		return PortSpan{From: -1, To: -1, All: true}
	}
	if !ProtocolHasPorts(proto) {
		return PortSpan{From: from, To: to, All: from == -1}
	}
	lo, hi := max(from, 0), min(to, 65535)
	return PortSpan{From: lo, To: hi, All: lo == 0 && hi == 65535}
}

// Empty reports whether the span covers nothing.
func (s PortSpan) Empty() bool { return s.From > s.To }

// Covers reports whether s covers all of o (both of one protocol).
func (s PortSpan) Covers(o PortSpan) bool {
	if s.All {
		return true
	}
	if o.All {
		return false
	}
	return s.From <= o.From && o.To <= s.To
}

// ParsePrefix reads a CIDR of either family in any spelling AWS accepts
// and returns it masked (10.0.0.0/0 is 0.0.0.0/0); a bare address is a
// host prefix. IPv4-mapped IPv6 prefixes (::ffff:a.b.c.d/n, n ≥ 96) are
// read as the IPv4 prefix they name.
func ParsePrefix(s string) (netip.Prefix, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return netip.Prefix{}, false
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		a, aerr := netip.ParseAddr(s)
		if aerr != nil || a.Zone() != "" {
			return netip.Prefix{}, false
		}
		p = netip.PrefixFrom(a, a.BitLen())
	}
	if p.Addr().Is4In6() && p.Bits() >= 96 {
		p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
	}
	return p.Masked(), true
}

// NonPublicV4 are the IPv4 blocks an internet gateway never accepts as a
// source (RFC 1918 and RFC 6598, as Reachability Analyzer models it) or
// that are not routable on the internet: "this network", loopback,
// link-local, multicast and reserved. They are disjoint.
var NonPublicV4 = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("127.0.0.0/8"),
	netip.MustParsePrefix("169.254.0.0/16"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("224.0.0.0/3"), // multicast and reserved
}

// GlobalV6 is the IPv6 global unicast block, the IPv6 internet: loopback,
// link-local (fe80::/10), unique local (fc00::/7) and multicast lie
// outside it.
var GlobalV6 = netip.MustParsePrefix("2000::/3")

// IsPublicAddr reports whether a is an address the internet can send from.
func IsPublicAddr(a netip.Addr) bool {
	a = a.Unmap()
	if a.Is4() {
		for _, p := range NonPublicV4 {
			if p.Contains(a) {
				return false
			}
		}
		return true
	}
	return GlobalV6.Contains(a)
}

// PrefixSize returns the number of addresses in p.
func PrefixSize(p netip.Prefix) *big.Int {
	return new(big.Int).Lsh(big.NewInt(1), uint(p.Addr().BitLen()-p.Bits()))
}

// PublicSize returns how many public addresses (IsPublicAddr) p holds.
func PublicSize(p netip.Prefix) *big.Int {
	p = p.Masked()
	if p.Addr().Is4() {
		n := PrefixSize(p)
		for _, q := range NonPublicV4 {
			switch {
			case q.Bits() >= p.Bits() && p.Contains(q.Addr()):
				n.Sub(n, PrefixSize(q))
			case p.Bits() > q.Bits() && q.Contains(p.Addr()):
				return new(big.Int)
			}
		}
		return n
	}
	switch {
	case GlobalV6.Bits() >= p.Bits() && p.Contains(GlobalV6.Addr()):
		return PrefixSize(GlobalV6)
	case GlobalV6.Contains(p.Addr()):
		return PrefixSize(p)
	}
	return new(big.Int)
}

// AddrSet is what a rule's source or destination means as a set of
// addresses: the prefixes it names (a CIDR, or a prefix list's entries)
// and what of the internet they hold.
type AddrSet struct {
	// Prefixes are the parsed, masked prefixes.
	Prefixes []netip.Prefix
	// Known is false when the set cannot be told: an unparsable CIDR, a
	// prefix list whose entries the input does not hold.
	Known bool
	// World is set when a prefix is the whole IPv4 or IPv6 space, in any
	// spelling.
	World bool
	// Public is set when some address of the set is public: the set
	// exposes what it admits to that part of the internet.
	Public bool
	// PublicV4 is the number of public IPv4 addresses; PublicV6 the number
	// of public IPv6 addresses (both counted per prefix, so overlapping
	// entries of a prefix list count twice).
	PublicV4, PublicV6 *big.Int
}

// NewAddrSet builds the set of the given prefixes (strings as written);
// known says whether they are all the set holds.
func NewAddrSet(entries []string, known bool) AddrSet {
	s := AddrSet{Known: known, PublicV4: new(big.Int), PublicV6: new(big.Int)}
	for _, e := range entries {
		p, ok := ParsePrefix(e)
		if !ok {
			s.Known = false
			continue
		}
		s.Prefixes = append(s.Prefixes, p)
		if p.Bits() == 0 {
			s.World = true
		}
		n := PublicSize(p)
		if n.Sign() > 0 {
			s.Public = true
			if p.Addr().Is4() {
				s.PublicV4.Add(s.PublicV4, n)
			} else {
				s.PublicV6.Add(s.PublicV6, n)
			}
		}
	}
	return s
}

// CIDRSet is NewAddrSet of one CIDR.
func CIDRSet(cidr string) AddrSet { return NewAddrSet([]string{cidr}, true) }

// Contains reports whether every address of o lies in s (both known).
func (s AddrSet) Contains(o AddrSet) bool {
	if !s.Known || !o.Known {
		return false
	}
	for _, q := range o.Prefixes {
		if !PrefixesCover(s.Prefixes, q) {
			return false
		}
	}
	return true
}

// PrefixesCover reports whether the union of ps holds every address of q.
func PrefixesCover(ps []netip.Prefix, q netip.Prefix) bool {
	// Any single prefix holding q covers it; else the prefixes inside q
	// must tile it, which is checked by halving q.
	for _, p := range ps {
		if p.Addr().Is4() == q.Addr().Is4() && p.Bits() <= q.Bits() && p.Contains(q.Addr()) {
			return true
		}
	}
	if q.Bits() == q.Addr().BitLen() {
		return false
	}
	inside := false
	for _, p := range ps {
		if p.Addr().Is4() == q.Addr().Is4() && p.Bits() > q.Bits() && q.Contains(p.Addr()) {
			inside = true
			break
		}
	}
	if !inside {
		return false
	}
	lo := netip.PrefixFrom(q.Addr(), q.Bits()+1)
	hi := netip.PrefixFrom(LastAddr(lo).Next(), q.Bits()+1)
	return PrefixesCover(ps, lo) && PrefixesCover(ps, hi)
}

// LastAddr returns the highest address of p.
func LastAddr(p netip.Prefix) netip.Addr {
	p = p.Masked()
	a := p.Addr()
	b := a.AsSlice()
	host := a.BitLen() - p.Bits()
	for i := len(b) - 1; i >= 0 && host > 0; i-- {
		n := min(host, 8)
		b[i] |= byte(1<<n - 1)
		host -= n
	}
	out, _ := netip.AddrFromSlice(b)
	return out
}

// Describe names the part of the internet the set holds, for messages:
// "0.0.0.0/0" or "::/0" for the world (as canonically written),
// "8.8.8.0/24 (256 public addresses)" for a part of it, and for a prefix
// list its id with the count. label is what the rule names (a CIDR as
// written, a prefix list id).
func (s AddrSet) Describe(label string) string {
	if s.World {
		var ws []string
		for _, p := range s.Prefixes {
			if p.Bits() == 0 {
				ws = append(ws, p.String())
			}
		}
		w := strings.Join(uniqueStrings(ws), " and ")
		if len(s.Prefixes) == 1 || !strings.HasPrefix(label, "pl-") {
			return w
		}
		return fmt.Sprintf("%s (which holds %s)", label, w)
	}
	name := label
	if len(s.Prefixes) == 1 && !strings.HasPrefix(label, "pl-") {
		name = s.Prefixes[0].String()
	}
	if !s.Known {
		return name + " (entries not known)"
	}
	if !s.Public {
		return name + " (no public addresses)"
	}
	var parts []string
	if s.PublicV4.Sign() > 0 {
		parts = append(parts, countText(s.PublicV4, "public address", "public addresses"))
	}
	if s.PublicV6.Sign() > 0 {
		parts = append(parts, countText(s.PublicV6, "public IPv6 address", "public IPv6 addresses"))
	}
	return fmt.Sprintf("%s (%s)", name, strings.Join(parts, " and "))
}

// countText writes n with its unit: exact below 2^32, as a power of two
// above (IPv6).
func countText(n *big.Int, one, many string) string {
	if n.Cmp(big.NewInt(1)) == 0 {
		return "1 " + one
	}
	if n.BitLen() <= 33 {
		return groupDigits(n.String()) + " " + many
	}
	if pow := n.BitLen() - 1; new(big.Int).Lsh(big.NewInt(1), uint(pow)).Cmp(n) == 0 {
		return fmt.Sprintf("2^%d %s", pow, many)
	}
	return fmt.Sprintf("about 2^%d %s", n.BitLen()-1, many)
}

// groupDigits writes 16777216 as 16,777,216.
func groupDigits(s string) string {
	if len(s) <= 4 {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func uniqueStrings(ss []string) []string {
	var out []string
	for _, s := range ss {
		dup := false
		for _, o := range out {
			if o == s {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, s)
		}
	}
	return out
}

// Wide reports whether the set holds more of the internet than one
// organisation's network: the world, more public IPv4 addresses than a
// /24 (the longest prefix routed between networks on the internet) or
// more public IPv6 addresses than a /48 (likewise for IPv6). An admin's
// /32 or an office's /24 is not wide; 1.0.0.0/1 is.
func (s AddrSet) Wide() bool {
	return s.World || s.PublicV4.Cmp(big.NewInt(256)) > 0 || s.PublicV6.BitLen() > 81
}
