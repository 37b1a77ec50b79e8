package reach

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"

	"github.com/vpcgate/vpcgate/analyzer/graph"
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

// isPublic reports whether a is an address the internet can send from
// (graph.IsPublicAddr: the one definition).
func isPublic(a netip.Addr) bool { return graph.IsPublicAddr(a) }

// parsePrefix parses a CIDR of family f in any spelling (graph.ParsePrefix);
// ok is false for anything else.
func parsePrefix(s string, f family) (netip.Prefix, bool) {
	p, ok := graph.ParsePrefix(s)
	if !ok || (f == ipv4) != p.Addr().Is4() {
		return netip.Prefix{}, false
	}
	return p, true
}

// lastAddr returns the highest address of p.
func lastAddr(p netip.Prefix) netip.Addr { return graph.LastAddr(p) }

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
		for _, p := range graph.NonPublicV4 {
			for _, w := range within {
				if w.Overlaps(p) {
					add(p)
					break
				}
			}
		}
	} else {
		add(graph.GlobalV6)
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
