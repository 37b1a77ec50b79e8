package graph

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The cases follow AWS's documentation: network ACL rules are evaluated
// "starting with the lowest numbered rule" and "as soon as a rule matches
// traffic, it's applied regardless of any higher-numbered rule that might
// contradict it"; security group rules are "always permissive" and
// "evaluated together" (a union). A CIDR is any spelling of a prefix,
// protocol numbers are protocols, 0-0 is port 0 and -1 is every port.

func acl(n int, proto string, from, to int, cidr string) ACLEntry {
	e := ACLEntry{RuleNumber: n, Protocol: proto, FromPort: from, ToPort: to, Allow: true}
	if len(cidr) > 0 && (cidr[0] == ':' || containsColon(cidr)) {
		e.IPv6CIDR = cidr
	} else {
		e.CIDR = cidr
	}
	return e
}

func containsColon(s string) bool {
	for _, r := range s {
		if r == ':' {
			return true
		}
	}
	return false
}

func shadowText(ss []Shadow) string {
	out := ""
	for _, s := range ss {
		out += fmt.Sprintf("%d<-%v ", s.Line, s.By)
	}
	return out
}

func TestShadowedEntries(t *testing.T) {
	cases := []struct {
		name    string
		entries []ACLEntry
		want    string
	}{
		{"allow all first hides a later deny", []ACLEntry{
			acl(100, "-1", 0, 0, "0.0.0.0/0"), acl(200, "tcp", 22, 22, "1.2.3.4/32"),
		}, "1<-[0] "},
		{"union of port ranges", []ACLEntry{
			acl(100, "tcp", 0, 100, "0.0.0.0/0"), acl(110, "tcp", 101, 65535, "0.0.0.0/0"), acl(120, "tcp", 80, 443, "10.0.0.0/8"),
		}, "2<-[0 1] "},
		{"union of address halves", []ACLEntry{
			acl(100, "tcp", 22, 22, "0.0.0.0/1"), acl(110, "tcp", 22, 22, "128.0.0.0/1"), acl(120, "tcp", 22, 22, "0.0.0.0/0"),
		}, "2<-[0 1] "},
		{"a wider later entry is not shadowed", []ACLEntry{
			acl(100, "tcp", 80, 80, "0.0.0.0/0"), acl(110, "-1", 0, 0, "0.0.0.0/0"),
		}, ""},
		{"order decides: the first entry is never shadowed", []ACLEntry{
			acl(100, "tcp", 22, 22, "10.0.0.0/8"), acl(200, "-1", 0, 0, "0.0.0.0/0"),
		}, ""},
		{"tcp and udp do not cover all protocols", []ACLEntry{
			acl(100, "tcp", 0, 65535, "0.0.0.0/0"), acl(110, "udp", 0, 65535, "0.0.0.0/0"), acl(120, "-1", 0, 0, "0.0.0.0/0"),
		}, ""},
		{"IPv4 entries never cover IPv6 traffic", []ACLEntry{
			acl(100, "-1", 0, 0, "0.0.0.0/0"), acl(101, "-1", 0, 0, "::/0"),
		}, ""},
		{"any spelling: 6 is tcp, 10.0.0.0/0 is the world", []ACLEntry{
			acl(100, "6", 22, 22, "10.0.0.0/0"), acl(110, "tcp", 22, 22, "0.0.0.0/0"),
		}, "1<-[0] "},
		{"IPv6 spellings", []ACLEntry{
			acl(100, "all", 0, 0, "0000:0000:0000:0000:0000:0000:0000:0000/0"), acl(110, "58", -1, -1, "2001:db8::/32"),
		}, "1<-[0] "},
		{"ICMP type with every code covers one code", []ACLEntry{
			acl(100, "icmp", 3, -1, "0.0.0.0/0"), acl(110, "1", 3, 4, "0.0.0.0/0"), acl(120, "icmp", 8, 0, "0.0.0.0/0"),
		}, "1<-[0] "},
		{"0-0 is port 0 only", []ACLEntry{
			acl(100, "tcp", 0, 0, "0.0.0.0/0"), acl(110, "tcp", 0, 1, "0.0.0.0/0"), acl(120, "tcp", 0, 0, "8.8.8.0/24"),
		}, "2<-[0] "},
		{"a private range does not cover the internet", []ACLEntry{
			acl(100, "-1", 0, 0, "10.0.0.0/8"), acl(110, "tcp", 443, 443, "0.0.0.0/0"),
		}, ""},
		{"an entry without a CIDR is not known", []ACLEntry{
			acl(100, "-1", 0, 0, "0.0.0.0/0"), acl(110, "tcp", 443, 443, ""),
		}, ""},
	}
	for _, c := range cases {
		lines := make([]FlowLine, len(c.entries))
		for i, e := range c.entries {
			lines[i] = ACLEntryFlow(e)
		}
		if got := shadowText(ShadowedEntries(lines)); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func sgr(proto string, from, to int, kind PeerKind, peer string) SGRule {
	return SGRule{Protocol: proto, FromPort: from, ToPort: to, PeerKind: kind, Peer: peer}
}

func TestShadowedRules(t *testing.T) {
	lists := map[string]*PrefixList{
		"pl-office": {Entries: []string{"10.1.0.0/16", "10.2.0.0/16"}, EntriesKnown: true},
		"pl-empty":  {},
	}
	cases := []struct {
		name  string
		rules []SGRule
		want  string
	}{
		{"a narrower rule inside a wider one", []SGRule{
			sgr("tcp", 22, 22, PeerCIDR, "10.0.0.0/16"), sgr("tcp", 0, 65535, PeerCIDR, "10.0.0.0/8"),
		}, "0<-[1] "},
		{"of two equal rules the later is reported", []SGRule{
			sgr("tcp", 443, 443, PeerCIDR, "0.0.0.0/0"), sgr("6", 443, 443, PeerCIDR, "10.0.0.0/0"),
		}, "1<-[0] "},
		{"union of rules", []SGRule{
			sgr("tcp", 0, 1000, PeerCIDR, "0.0.0.0/0"), sgr("tcp", 1001, 65535, PeerCIDR, "0.0.0.0/0"), sgr("tcp", 500, 2000, PeerCIDR, "1.2.3.0/24"),
		}, "2<-[0 1] "},
		{"group references: same group covers, another does not", []SGRule{
			sgr("tcp", 443, 443, PeerSG, "sg-a"), sgr("-1", -1, -1, PeerSG, "sg-a"), sgr("tcp", 443, 443, PeerSG, "sg-b"),
		}, "0<-[1] "},
		{"a CIDR never covers a group, nor a group a CIDR", []SGRule{
			sgr("tcp", 443, 443, PeerSG, "sg-a"), sgr("-1", -1, -1, PeerCIDR, "0.0.0.0/0"),
		}, ""},
		{"a prefix list inside a CIDR", []SGRule{
			sgr("tcp", 22, 22, PeerPrefixList, "pl-office"), sgr("tcp", 22, 22, PeerCIDR, "10.0.0.0/8"),
		}, "0<-[1] "},
		{"a prefix list without entries is not known", []SGRule{
			sgr("tcp", 22, 22, PeerPrefixList, "pl-empty"), sgr("tcp", 22, 22, PeerCIDR, "0.0.0.0/0"),
		}, ""},
		{"all traffic covers tcp and udp, not the reverse", []SGRule{
			sgr("tcp", 0, 65535, PeerCIDR, "0.0.0.0/0"), sgr("udp", -1, -1, PeerCIDR, "0.0.0.0/0"), sgr("-1", 0, 0, PeerCIDR, "0.0.0.0/0"),
		}, "0<-[2] 1<-[2] "},
		{"removing every reported rule keeps what the group admits", []SGRule{
			sgr("tcp", 0, 100, PeerCIDR, "0.0.0.0/0"), sgr("tcp", 50, 150, PeerCIDR, "0.0.0.0/0"), sgr("tcp", 0, 150, PeerCIDR, "0.0.0.0/0"),
		}, "0<-[2] 1<-[2] "},
		{"an unknown rule is neither shadowed nor shadows", []SGRule{
			{Protocol: "-1", FromPort: -1, ToPort: -1, PeerKind: PeerCIDR, Unknown: true}, sgr("tcp", 22, 22, PeerCIDR, "8.8.8.8/32"),
		}, ""},
		{"IPv6 world does not cover IPv4", []SGRule{
			sgr("tcp", 22, 22, PeerCIDR, "8.8.8.8/32"), sgr("tcp", 22, 22, PeerIPv6CIDR, "::/0"),
		}, ""},
	}
	for _, c := range cases {
		lines := make([]FlowLine, len(c.rules))
		for i, r := range c.rules {
			lines[i] = SGRuleFlow(r, lists)
		}
		if got := shadowText(ShadowedRules(lines)); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
	if diff := cmp.Diff(PortSpan{From: 0, To: 0}, sgr("tcp", 0, 0, PeerCIDR, "").Ports()); diff != "" {
		t.Error(diff)
	}
}

// Past MaxShadowLines nothing is compared (hostile input, issue 13): the
// same duplicated rule is reported at the bound and not past it.
func TestShadowBound(t *testing.T) {
	line := FlowLine{Known: true, Proto: "tcp", Ports: RulePorts("tcp", 22, 22), Addrs: CIDRSet("10.0.0.0/8")}
	lines := make([]FlowLine, MaxShadowLines)
	for i := range lines {
		lines[i] = line
	}
	if got := len(ShadowedRules(lines)); got != MaxShadowLines-1 {
		t.Errorf("%d shadowed of %d equal rules", got, MaxShadowLines)
	}
	if got := ShadowedRules(append(lines, line)); got != nil {
		t.Errorf("%d lines compared past the bound", len(got))
	}
	if got := ShadowedEntries(append(lines, line)); got != nil {
		t.Errorf("%d entries compared past the bound", len(got))
	}
}
