package reach

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"net/netip"
	"slices"
)

// family is an IP address family.
type family int

const (
	ipv4 family = iota
	ipv6
)

func (f family) String() string {
	if f == ipv6 {
		return "IPv6"
	}
	return "IPv4"
}

// nonPublicV4 are the IPv4 blocks an internet gateway never accepts as a
// source (RFC 1918 and RFC 6598, as Reachability Analyzer models it) or
// that are not routable on the internet at all.
var nonPublicV4 = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("127.0.0.0/8"),
	netip.MustParsePrefix("169.254.0.0/16"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("224.0.0.0/3"), // multicast and reserved
}

// globalV6 is the IPv6 global unicast block: the IPv6 internet.
var globalV6 = netip.MustParsePrefix("2000::/3")

// isPublic reports whether a is an address the internet can send from.
func isPublic(a netip.Addr) bool {
	if a.Is4() {
		for _, p := range nonPublicV4 {
			if p.Contains(a) {
				return false
			}
		}
		return true
	}
	return globalV6.Contains(a)
}

// parsePrefix parses a CIDR of family f; ok is false for anything else.
func parsePrefix(s string, f family) (netip.Prefix, bool) {
	if s == "" {
		return netip.Prefix{}, false
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		// A bare address is a host route.
		a, aerr := netip.ParseAddr(s)
		if aerr != nil {
			return netip.Prefix{}, false
		}
		p = netip.PrefixFrom(a, a.BitLen())
	}
	p = p.Masked()
	if (f == ipv4) != p.Addr().Is4() {
		return netip.Prefix{}, false
	}
	return p, true
}

// lastAddr returns the highest address of p.
func lastAddr(p netip.Prefix) netip.Addr {
	a, bits := p.Addr(), p.Bits()
	if a.Is4() {
		b := a.As4()
		v := binary.BigEndian.Uint32(b[:])
		v |= ^uint32(0) >> bits
		binary.BigEndian.PutUint32(b[:], v)
		return netip.AddrFrom4(b)
	}
	b := a.As16()
	hi, lo := binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:])
	if bits < 64 {
		hi |= ^uint64(0) >> bits
		lo = ^uint64(0)
	} else {
		lo |= ^uint64(0) >> (bits - 64)
	}
	binary.BigEndian.PutUint64(b[:8], hi)
	binary.BigEndian.PutUint64(b[8:], lo)
	return netip.AddrFrom16(b)
}

// atom is a range of source addresses on which every rule that matters
// for one subnet and set of security groups decides the same way.
type atom struct {
	lo, hi netip.Addr
	size   float64
}

// String formats the atom as a CIDR when it is one, else as lo-hi.
func (a atom) String() string {
	for bits := 0; bits <= a.lo.BitLen(); bits++ {
		p := netip.PrefixFrom(a.lo, bits)
		if p.Masked().Addr() == a.lo && lastAddr(p) == a.hi {
			return p.String()
		}
	}
	return fmt.Sprintf("%s-%s", a.lo, a.hi)
}

// containedIn reports whether a lies in one of ps (any address when ps is
// empty).
func containedIn(a netip.Addr, ps []netip.Prefix) bool {
	if len(ps) == 0 {
		return true
	}
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

func addrFloat(a netip.Addr) float64 {
	if a.Is4() {
		b := a.As4()
		return float64(uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3]))
	}
	b := a.As16()
	var hi, lo uint64
	for i := 0; i < 8; i++ {
		hi = hi<<8 | uint64(b[i])
		lo = lo<<8 | uint64(b[8+i])
	}
	return float64(hi)*18446744073709551616.0 + float64(lo)
}

// atomsFor splits the public address space of family f within the
// prefixes of within at the edges of every prefix in ps. The atoms come
// largest first, then by address, so that the most open source is tried
// first.
func atomsFor(f family, ps, within []netip.Prefix) []atom {
	var start, end netip.Addr
	if f == ipv4 {
		start, end = netip.IPv4Unspecified(), netip.MustParseAddr("255.255.255.255")
	} else {
		start, end = netip.IPv6Unspecified(), netip.MustParseAddr("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")
	}
	pts := make([]netip.Addr, 0, 2*len(ps)+20)
	pts = append(pts, start)
	add := func(p netip.Prefix) {
		p = p.Masked()
		pts = append(pts, p.Addr())
		if n := lastAddr(p).Next(); n.IsValid() {
			pts = append(pts, n)
		}
	}
	for _, p := range ps {
		add(p)
	}
	if f == ipv4 {
		for _, p := range nonPublicV4 {
			for _, w := range within {
				if w.Overlaps(p) {
					add(p)
					break
				}
			}
		}
	} else {
		add(globalV6)
	}
	slices.SortFunc(pts, func(a, b netip.Addr) int { return a.Compare(b) })
	pts = slices.Compact(pts)
	out := make([]atom, 0, len(pts))
	for i, p := range pts {
		hi := end
		if i+1 < len(pts) {
			hi = pts[i+1].Prev()
		}
		if !isPublic(p) || !containedIn(p, within) {
			continue
		}
		out = append(out, atom{lo: p, hi: hi, size: addrFloat(hi) - addrFloat(p) + 1})
	}
	slices.SortStableFunc(out, func(a, b atom) int {
		if a.size != b.size {
			return cmp.Compare(b.size, a.size)
		}
		return a.lo.Compare(b.lo)
	})
	return out
}
