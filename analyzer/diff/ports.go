package diff

import "sort"

// portRange is an inclusive range of ports (or ICMP types).
type portRange struct{ from, to int }

// subtract returns the parts of r that none of cut covers, in order.
func subtract(r portRange, cut []portRange) []portRange {
	cs := append([]portRange(nil), cut...)
	sort.Slice(cs, func(i, j int) bool { return cs[i].from < cs[j].from })
	out := []portRange{}
	lo := r.from
	for _, c := range cs {
		if c.to < lo || c.from > r.to {
			continue
		}
		if c.from > lo {
			out = append(out, portRange{lo, c.from - 1})
		}
		if c.to+1 > lo {
			lo = c.to + 1
		}
		if lo > r.to {
			return out
		}
	}
	if lo <= r.to {
		out = append(out, portRange{lo, r.to})
	}
	return out
}
