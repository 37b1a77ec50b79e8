package graph

import (
	"net/netip"
	"testing"
)

// TestAddrSetSpellings checks, from AWS's documentation of security group
// and network ACL rules (a CIDR in any spelling; 0.0.0.0/0 and ::/0 are
// every address) and the IANA special-purpose registries, how each source
// reads: the world, a part of the internet, or no part of it.
func TestAddrSetSpellings(t *testing.T) {
	cases := []struct {
		in            string
		world, public bool
		text          string
	}{
		// Every spelling of the whole space is the world.
		{"0.0.0.0/0", true, true, "0.0.0.0/0"},
		{"10.0.0.0/0", true, true, "0.0.0.0/0"},
		{"255.255.255.255/0", true, true, "0.0.0.0/0"},
		{" 0.0.0.0/0 ", true, true, "0.0.0.0/0"},
		{"::/0", true, true, "::/0"},
		{"0:0:0:0:0:0:0:0/0", true, true, "::/0"},
		{"0000:0000:0000:0000:0000:0000:0000:0000/0", true, true, "::/0"},
		{"2001:db8::/0", true, true, "::/0"},
		{"::FFFF:0:0/0", true, true, "::/0"},
		// Parts of the internet.
		{"1.0.0.0/1", false, true, "0.0.0.0/1 (2,092,957,696 public addresses)"},
		{"128.0.0.0/1", false, true, "128.0.0.0/1 (1,609,433,088 public addresses)"},
		{"8.8.8.0/24", false, true, "8.8.8.0/24 (256 public addresses)"},
		{"8.8.8.8/32", false, true, "8.8.8.8/32 (1 public address)"},
		{"8.8.8.8", false, true, "8.8.8.8/32 (1 public address)"},
		{"203.0.113.10/32", false, true, "203.0.113.10/32 (1 public address)"},
		{"8.0.0.0/7", false, true, "8.0.0.0/7 (33,554,432 public addresses)"},
		{"::ffff:8.8.8.0/120", false, true, "8.8.8.0/24 (256 public addresses)"},
		{"2001:db8::/32", false, true, "2001:db8::/32 (2^96 public IPv6 addresses)"},
		{"2000::/3", false, true, "2000::/3 (2^125 public IPv6 addresses)"},
		{"::/1", false, true, "::/1 (2^125 public IPv6 addresses)"},
		// Private and special ranges hold no public address.
		{"10.0.0.0/8", false, false, "10.0.0.0/8 (no public addresses)"},
		{"10.1.2.0/24", false, false, "10.1.2.0/24 (no public addresses)"},
		{"172.16.0.0/12", false, false, "172.16.0.0/12 (no public addresses)"},
		{"172.31.0.0/16", false, false, "172.31.0.0/16 (no public addresses)"},
		{"192.168.0.0/16", false, false, "192.168.0.0/16 (no public addresses)"},
		{"100.64.0.0/10", false, false, "100.64.0.0/10 (no public addresses)"},
		{"169.254.169.254/32", false, false, "169.254.169.254/32 (no public addresses)"},
		{"127.0.0.1/32", false, false, "127.0.0.1/32 (no public addresses)"},
		{"224.0.0.0/4", false, false, "224.0.0.0/4 (no public addresses)"},
		{"fc00::/7", false, false, "fc00::/7 (no public addresses)"},
		{"fd12:3456::/48", false, false, "fd12:3456::/48 (no public addresses)"},
		{"fe80::/10", false, false, "fe80::/10 (no public addresses)"},
		{"::1/128", false, false, "::1/128 (no public addresses)"},
		{"::ffff:10.0.0.0/104", false, false, "10.0.0.0/8 (no public addresses)"},
		// A range straddling private and public space holds its public part.
		{"172.0.0.0/8", false, true, "172.0.0.0/8 (15,728,640 public addresses)"},
	}
	for _, c := range cases {
		s := CIDRSet(c.in)
		if !s.Known {
			t.Errorf("%q: not parsed", c.in)
			continue
		}
		if s.World != c.world || s.Public != c.public {
			t.Errorf("%q: world=%v public=%v, want world=%v public=%v", c.in, s.World, s.Public, c.world, c.public)
		}
		if got := s.Describe(c.in); got != c.text {
			t.Errorf("%q: Describe = %q, want %q", c.in, got, c.text)
		}
	}
	for in, want := range map[string]bool{
		"0.0.0.0/0": true, "::/0": true, "1.0.0.0/1": true, "8.8.0.0/23": true, "2001:db8::/47": true,
		"8.8.8.0/24": false, "203.0.113.10/32": false, "10.0.0.0/8": false, "2001:db8::/48": false, "fc00::/7": false,
	} {
		if got := CIDRSet(in).Wide(); got != want {
			t.Errorf("%q: Wide = %v, want %v", in, got, want)
		}
	}
	for _, bad := range []string{"", "10.0.0.0/33", "not-a-cidr", "010.0.0.0/8", "fe80::1%eth0"} {
		if s := CIDRSet(bad); s.Known {
			t.Errorf("%q: parsed as %v, want unknown", bad, s.Prefixes)
		}
	}
}

// TestPrefixListSet: a prefix list exposes what it admits to the public
// part of its entries; one of 0.0.0.0/0 makes it the world; a list whose
// entries are not in the input is not known (never assumed public).
func TestPrefixListSet(t *testing.T) {
	s := NewAddrSet([]string{"10.0.0.0/8", "198.51.100.0/24"}, true)
	if s.World || !s.Public || s.Describe("pl-1") != "pl-1 (256 public addresses)" {
		t.Errorf("public list: %+v %q", s, s.Describe("pl-1"))
	}
	w := NewAddrSet([]string{"10.0.0.0/8", "0.0.0.0/0"}, true)
	if !w.World || w.Describe("pl-2") != "pl-2 (which holds 0.0.0.0/0)" {
		t.Errorf("world list: %+v %q", w, w.Describe("pl-2"))
	}
	u := NewAddrSet(nil, false)
	if u.Known || u.Public || u.World || u.Describe("pl-3") != "pl-3 (entries not known)" {
		t.Errorf("unknown list: %+v %q", u, u.Describe("pl-3"))
	}
	p := NewAddrSet([]string{"10.0.0.0/8", "fd00::/8"}, true)
	if p.Public || p.World {
		t.Errorf("private list: %+v", p)
	}
}

func TestNormProtocol(t *testing.T) {
	for in, want := range map[string]string{
		"-1": "-1", "all": "-1", "ALL": "-1", "": "-1",
		"6": "tcp", "tcp": "tcp", "TCP": "tcp", "006": "tcp",
		"17": "udp", "udp": "udp", "1": "icmp", "icmp": "icmp",
		"58": "icmpv6", "icmpv6": "icmpv6", "50": "50", "gre": "gre",
	} {
		if got := NormProtocol(in); got != want {
			t.Errorf("NormProtocol(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestRulePorts: ports as AWS reads them. 0-0 is port 0; -1/-1 and
// protocol -1 are every port; ICMP -1 is every type.
func TestRulePorts(t *testing.T) {
	cases := []struct {
		proto    string
		from, to int
		want     PortSpan
	}{
		{"tcp", 0, 0, PortSpan{0, 0, false}},
		{"tcp", 22, 22, PortSpan{22, 22, false}},
		{"tcp", 0, 65535, PortSpan{0, 65535, true}},
		{"tcp", -1, -1, PortSpan{0, 65535, true}},
		{"-1", 0, 0, PortSpan{0, 65535, true}},
		{"-1", 22, 22, PortSpan{0, 65535, true}},
		{"udp", 1024, 65535, PortSpan{1024, 65535, false}},
		{"icmp", -1, -1, PortSpan{-1, -1, true}},
		{"icmp", 8, 0, PortSpan{8, 0, false}},
	}
	for _, c := range cases {
		if got := RulePorts(c.proto, c.from, c.to); got != c.want {
			t.Errorf("RulePorts(%s, %d, %d) = %+v, want %+v", c.proto, c.from, c.to, got, c.want)
		}
	}
	if !RulePorts("tcp", 0, 65535).Covers(RulePorts("tcp", 22, 22)) || RulePorts("tcp", 22, 22).Covers(RulePorts("tcp", 0, 65535)) {
		t.Error("Covers")
	}
}

func TestPrefixesCover(t *testing.T) {
	pp := func(ss ...string) []netip.Prefix {
		var out []netip.Prefix
		for _, s := range ss {
			out = append(out, netip.MustParsePrefix(s))
		}
		return out
	}
	cases := []struct {
		ps   []netip.Prefix
		q    string
		want bool
	}{
		{pp("0.0.0.0/0"), "10.0.0.0/8", true},
		{pp("10.0.0.0/9", "10.128.0.0/9"), "10.0.0.0/8", true},
		{pp("10.0.0.0/9", "10.128.0.0/10"), "10.0.0.0/8", false},
		{pp("10.0.0.0/8"), "11.0.0.0/8", false},
		{pp("::/0"), "10.0.0.0/8", false},
		{pp("2001:db8::/33", "2001:db8:8000::/33"), "2001:db8::/32", true},
	}
	for _, c := range cases {
		if got := PrefixesCover(c.ps, netip.MustParsePrefix(c.q)); got != c.want {
			t.Errorf("PrefixesCover(%v, %s) = %v", c.ps, c.q, got)
		}
	}
	if LastAddr(netip.MustParsePrefix("10.0.0.0/9")) != netip.MustParseAddr("10.127.255.255") {
		t.Error("LastAddr v4")
	}
}
