package reach

import (
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSpans(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name               string
		a, b               spans
		inter, minus, plus spans
	}{
		{"disjoint", spans{{0, 10}}, spans{{20, 30}}, nil, spans{{0, 10}}, spans{{0, 10}, {20, 30}}},
		{"adjacent merge", spans{{0, 10}}, spans{{11, 30}}, nil, spans{{0, 10}}, spans{{0, 30}}},
		{"hole", spans{{0, 65535}}, spans{{22, 22}}, spans{{22, 22}}, spans{{0, 21}, {23, 65535}}, spans{{0, 65535}}},
		{"several", spans{{0, 100}, {200, 300}}, spans{{50, 250}}, spans{{50, 100}, {200, 250}}, spans{{0, 49}, {251, 300}}, spans{{0, 300}}},
		{"empty", nil, spans{{1, 2}}, nil, nil, spans{{1, 2}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.inter, tc.a.intersect(tc.b), cmp.AllowUnexported(span{})); diff != "" {
				t.Errorf("intersect (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.minus, tc.a.subtract(tc.b), cmp.AllowUnexported(span{})); diff != "" {
				t.Errorf("subtract (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.plus, tc.a.union(tc.b), cmp.AllowUnexported(span{})); diff != "" {
				t.Errorf("union (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLastAddrAndAtoms(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"0.0.0.0/0":        "255.255.255.255",
		"10.0.0.0/8":       "10.255.255.255",
		"203.0.113.7/32":   "203.0.113.7",
		"::/0":             "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
		"2600:1f18::/32":   "2600:1f18:ffff:ffff:ffff:ffff:ffff:ffff",
		"2600:1f18::/80":   "2600:1f18::ffff:ffff:ffff",
		"2600:1f18::1/128": "2600:1f18::1",
	} {
		if got := lastAddr(netip.MustParsePrefix(in)).String(); got != want {
			t.Errorf("lastAddr(%s) = %s, want %s", in, got, want)
		}
	}
	// The public part of 0.0.0.0/0 cut at 203.0.113.0/24: the /24 is its own
	// atom, and no private range appears.
	var got []string
	for _, a := range atomsFor(ipv4, []netip.Prefix{netip.MustParsePrefix("203.0.113.0/24")}, []netip.Prefix{netip.MustParsePrefix("0.0.0.0/0")}) {
		if !isPublic(a.lo) || !isPublic(a.hi) {
			t.Errorf("atom %s is not public", a)
		}
		got = append(got, a.String())
	}
	if !cmp.Equal(got[0], "11.0.0.0-100.63.255.255") || !contains(got, "203.0.113.0/24") || contains(got, "10.0.0.0/8") {
		t.Errorf("atoms %v", got)
	}
	if got := atomsFor(ipv6, nil, []netip.Prefix{netip.MustParsePrefix("::/0")}); len(got) != 1 || got[0].String() != "2000::/3" {
		t.Errorf("IPv6 internet atoms %v, want 2000::/3", got)
	}
}

func contains(s []string, x string) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}
