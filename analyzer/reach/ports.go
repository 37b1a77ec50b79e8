package reach

// span is an inclusive range of ports (or ICMP pseudo-port -1).
type span struct{ lo, hi int }

// spans is a sorted list of disjoint, non-adjacent spans.
type spans []span

// allPorts is every TCP or UDP port.
var allPorts = spans{{0, 65535}}

// ephemeral is the port range replies are sent to.
var ephemeral = spans{{1024, 65535}}

// noPorts is the single pseudo-port of protocols without ports (ICMP…).
var noPorts = spans{{-1, -1}}

func (s spans) empty() bool { return len(s) == 0 }

// contains reports whether p lies in s.
func (s spans) contains(p int) bool {
	for _, x := range s {
		if p >= x.lo && p <= x.hi {
			return true
		}
	}
	return false
}

// intersect returns s ∩ o.
func (s spans) intersect(o spans) spans {
	var out spans
	i, j := 0, 0
	for i < len(s) && j < len(o) {
		lo := max(s[i].lo, o[j].lo)
		hi := min(s[i].hi, o[j].hi)
		if lo <= hi {
			out = append(out, span{lo, hi})
		}
		if s[i].hi < o[j].hi {
			i++
		} else {
			j++
		}
	}
	return out
}

// subtract returns s \ o.
func (s spans) subtract(o spans) spans {
	var out spans
	j := 0
	for _, x := range s {
		lo := x.lo
		for j < len(o) && o[j].hi < lo {
			j++
		}
		k := j
		for k < len(o) && o[k].lo <= x.hi {
			if o[k].lo > lo {
				out = append(out, span{lo, o[k].lo - 1})
			}
			if o[k].hi+1 > lo {
				lo = o[k].hi + 1
			}
			k++
		}
		if lo <= x.hi {
			out = append(out, span{lo, x.hi})
		}
	}
	return out
}

// union returns s ∪ o.
func (s spans) union(o spans) spans {
	all := make(spans, 0, len(s)+len(o))
	i, j := 0, 0
	for i < len(s) || j < len(o) {
		var x span
		if j >= len(o) || (i < len(s) && s[i].lo <= o[j].lo) {
			x = s[i]
			i++
		} else {
			x = o[j]
			j++
		}
		if n := len(all); n > 0 && x.lo <= all[n-1].hi+1 {
			if x.hi > all[n-1].hi {
				all[n-1].hi = x.hi
			}
			continue
		}
		all = append(all, x)
	}
	return all
}
