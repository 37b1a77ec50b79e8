package reach

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// probe is one Explain question and its expected answer.
type probe struct {
	proto     string
	port      int
	reachable bool
	code      string // when not reachable
}

func TestInternetReachability(t *testing.T) {
	t.Parallel()
	web := func(b *builder, rules ...graph.SGRule) {
		b.sg("sg-web", "vpc-1", rules...)
		b.instance("i-1", "subnet-pub", "54.0.0.1", "sg-web")
	}
	tests := []struct {
		name      string
		setup     func(b *builder)
		want      []string
		blocked   string // code of InternetBlocked when want is empty
		blockNode string
		detail    string // substring of the blocked detail
		probes    []probe
		also      string // another node that must fare the same
	}{
		{
			name:   "open to the world on every TCP port",
			setup:  func(b *builder) { web(b, rule("tcp", 0, 65535, "0.0.0.0/0")) },
			want:   []string{"tcp 0-65535"},
			probes: []probe{{"tcp", 22, true, ""}, {"udp", 53, false, CodeSG}},
		},
		{
			name:   "SSH only",
			setup:  func(b *builder) { web(b, rule("tcp", 22, 22, "0.0.0.0/0")) },
			want:   []string{"tcp 22"},
			probes: []probe{{"tcp", 22, true, ""}, {"tcp", 80, false, CodeSG}},
		},
		{
			name:   "protocol -1 opens every protocol",
			setup:  func(b *builder) { web(b, rule("-1", -1, -1, "0.0.0.0/0")) },
			want:   []string{"icmp", "tcp 0-65535", "udp 0-65535"},
			probes: []probe{{"udp", 53, true, ""}, {"icmp", 0, true, ""}},
		},
		{
			name: "overlapping port ranges split by the rule that admits them",
			setup: func(b *builder) {
				web(b, rule("tcp", 80, 90, "0.0.0.0/0"), rule("tcp", 85, 100, "0.0.0.0/0"), rule("udp", 1000, 2000, "0.0.0.0/0"))
			},
			want:   []string{"tcp 80-90", "tcp 91-100", "udp 1000-2000"},
			probes: []probe{{"tcp", 95, true, ""}, {"tcp", 101, false, CodeSG}, {"udp", 999, false, CodeSG}},
		},
		{
			name: "no public address",
			setup: func(b *builder) {
				b.sg("sg-web", "vpc-1", rule("tcp", 0, 65535, "0.0.0.0/0"))
				b.instance("i-1", "subnet-pub", "", "sg-web")
			},
			blocked: CodeNoPublicIP, blockNode: "i-1",
			probes: []probe{{"tcp", 22, false, CodeNoPublicIP}},
		},
		{
			name: "an Elastic IP is a public address",
			setup: func(b *builder) {
				b.sg("sg-web", "vpc-1", rule("tcp", 443, 443, "0.0.0.0/0"))
				b.instance("i-1", "subnet-pub", "", "sg-web")
				b.add(&graph.EIP{Base: base("eipalloc-1", graph.KindEIP), PublicIP: "3.3.3.3", InstanceID: "i-1", AssociationID: "eipassoc-1"})
			},
			want: []string{"tcp 443"},
		},
		{
			name: "no internet gateway attached",
			setup: func(b *builder) {
				b.g = graph.New()
				b.vpc("vpc-1", "10.0.0.0/16")
				b.igw("igw-detached")
				b.subnet("subnet-pub", "vpc-1", "10.0.1.0/24")
				b.rt("rtb-main", "vpc-1", true, nil, rte("10.0.0.0/16", "local"))
				web(b, rule("tcp", 22, 22, "0.0.0.0/0"))
			},
			blocked: CodeNoIGW, blockNode: "vpc-1",
		},
		{
			name: "a gateway absent from the input but named by a route is assumed attached",
			setup: func(b *builder) {
				b.g = rebuildWithout(b.g, "igw-1")
				web(b, rule("tcp", 22, 22, "0.0.0.0/0"))
			},
			want: []string{"tcp 22"},
		},
		{
			name: "main route table fallback routes to the gateway",
			setup: func(b *builder) {
				b.subnet("subnet-implicit", "vpc-1", "10.0.9.0/24")
				b.g = rebuildWithout(b.g, "rtb-main")
				b.rt("rtb-main", "vpc-1", true, nil, rte("10.0.0.0/16", "local"), rte("0.0.0.0/0", "igw-1"))
				b.sg("sg-web", "vpc-1", rule("tcp", 22, 22, "0.0.0.0/0"))
				b.instance("i-1", "subnet-implicit", "54.0.0.1", "sg-web")
			},
			want: []string{"tcp 22"},
		},
		{
			name: "main route table fallback without a route to the gateway",
			setup: func(b *builder) {
				b.subnet("subnet-implicit", "vpc-1", "10.0.9.0/24")
				b.sg("sg-web", "vpc-1", rule("tcp", 22, 22, "0.0.0.0/0"))
				b.instance("i-1", "subnet-implicit", "54.0.0.1", "sg-web")
			},
			blocked: CodeNoRoute, blockNode: "rtb-main",
			probes: []probe{{"tcp", 22, false, CodeNoRoute}},
		},
		{
			name: "blackhole default route",
			setup: func(b *builder) {
				b.subnet("subnet-bh", "vpc-1", "10.0.8.0/24")
				b.rt("rtb-bh", "vpc-1", false, []string{"subnet-bh"}, rte("10.0.0.0/16", "local"), blackhole(rte("0.0.0.0/0", "igw-1")))
				b.sg("sg-web", "vpc-1", rule("tcp", 22, 22, "0.0.0.0/0"))
				b.instance("i-1", "subnet-bh", "54.0.0.1", "sg-web")
			},
			blocked: CodeBlackhole, blockNode: "rtb-bh",
		},
		{
			name: "a more specific route to a NAT gateway takes the admin range away from the gateway",
			setup: func(b *builder) {
				b.g = rebuildWithout(b.g, "rtb-pub")
				b.rt("rtb-pub", "vpc-1", false, []string{"subnet-pub"}, rte("10.0.0.0/16", "local"), rte("0.0.0.0/0", "igw-1"), rte("203.0.113.0/24", "nat-1"))
				web(b, rule("tcp", 22, 22, "203.0.113.10/32"))
			},
			blocked: CodeMoreSpecificRoute, blockNode: "rtb-pub", detail: "route 2 (203.0.113.0/24 → nat-1) is more specific than route 1",
			probes: []probe{{"tcp", 22, false, CodeMoreSpecificRoute}},
		},
		{
			name: "a more specific route leaves the rest of the internet",
			setup: func(b *builder) {
				b.g = rebuildWithout(b.g, "rtb-pub")
				b.rt("rtb-pub", "vpc-1", false, []string{"subnet-pub"}, rte("10.0.0.0/16", "local"), rte("0.0.0.0/0", "igw-1"), rte("203.0.113.0/24", "pcx-1"))
				web(b, rule("tcp", 22, 22, "0.0.0.0/0"))
			},
			want: []string{"tcp 22"},
		},
		{
			name: "NACL deny before allow, whatever the order in the input",
			setup: func(b *builder) {
				b.subnet("subnet-acl", "vpc-1", "10.0.7.0/24")
				b.rt("rtb-acl", "vpc-1", false, []string{"subnet-acl"}, rte("0.0.0.0/0", "igw-1"))
				b.acl("acl-1", "vpc-1", false, []string{"subnet-acl"},
					entry(100, false, true, "-1", 0, 0, "0.0.0.0/0"),
					entry(90, false, false, "6", 22, 22, "0.0.0.0/0"),
					entry(100, true, true, "-1", 0, 0, "0.0.0.0/0"),
				)
				b.sg("sg-web", "vpc-1", rule("tcp", 0, 65535, "0.0.0.0/0"))
				b.instance("i-1", "subnet-acl", "54.0.0.1", "sg-web")
			},
			want:   []string{"tcp 0-21", "tcp 23-65535"},
			probes: []probe{{"tcp", 22, false, CodeACL}, {"tcp", 23, true, ""}},
		},
		{
			name: "NACL allow before a later deny",
			setup: func(b *builder) {
				b.subnet("subnet-acl", "vpc-1", "10.0.7.0/24")
				b.rt("rtb-acl", "vpc-1", false, []string{"subnet-acl"}, rte("0.0.0.0/0", "igw-1"))
				b.acl("acl-1", "vpc-1", false, []string{"subnet-acl"},
					entry(200, false, false, "-1", 0, 0, "0.0.0.0/0"),
					entry(100, false, true, "6", 443, 443, "0.0.0.0/0"),
					entry(100, true, true, "6", 1024, 65535, "0.0.0.0/0"),
				)
				b.sg("sg-web", "vpc-1", rule("tcp", 0, 65535, "0.0.0.0/0"))
				b.instance("i-1", "subnet-acl", "54.0.0.1", "sg-web")
			},
			want:   []string{"tcp 443"},
			probes: []probe{{"tcp", 443, true, ""}, {"tcp", 80, false, CodeACL}},
		},
		{
			name: "NACL blocks the reply on ephemeral ports",
			setup: func(b *builder) {
				b.subnet("subnet-acl", "vpc-1", "10.0.7.0/24")
				b.rt("rtb-acl", "vpc-1", false, []string{"subnet-acl"}, rte("0.0.0.0/0", "igw-1"))
				b.acl("acl-1", "vpc-1", false, []string{"subnet-acl"},
					entry(100, false, true, "6", 443, 443, "0.0.0.0/0"),
					entry(100, true, true, "6", 443, 443, "0.0.0.0/0"),
					entry(110, true, true, "6", 80, 80, "0.0.0.0/0"),
				)
				b.sg("sg-web", "vpc-1", rule("tcp", 443, 443, "0.0.0.0/0"))
				b.instance("i-1", "subnet-acl", "54.0.0.1", "sg-web")
			},
			blocked: CodeACL, blockNode: "acl-1", detail: "outbound",
			probes: []probe{{"tcp", 443, false, CodeACL}},
		},
		{
			name: "IPv6 through ::/0 without a public IPv4 address",
			setup: func(b *builder) {
				b.sg("sg-web", "vpc-1", rule("tcp", 443, 443, "::/0"), rule("tcp", 22, 22, "0.0.0.0/0"))
				i := b.instance("i-1", "subnet-pub", "", "sg-web")
				i.IPv6Addresses = []string{"2600:1f18::10"}
			},
			want:   []string{"tcp 443 v6"},
			probes: []probe{{"tcp", 443, true, ""}, {"tcp", 22, false, CodeSG}},
		},
		{
			name: "IPv6 behind an egress-only gateway",
			setup: func(b *builder) {
				b.subnet("subnet-v6", "vpc-1", "10.0.6.0/24")
				b.rt("rtb-v6", "vpc-1", false, []string{"subnet-v6"}, rte("::/0", "eigw-1"))
				b.sg("sg-web", "vpc-1", rule("tcp", 443, 443, "::/0"))
				i := b.instance("i-1", "subnet-v6", "", "sg-web")
				i.IPv6Addresses = []string{"2600:1f18::10"}
			},
			blocked: CodeNoRoute, blockNode: "rtb-v6", detail: "egress-only",
		},
		{
			name:    "a security group reference is never the internet",
			setup:   func(b *builder) { b.sg("sg-alb", "vpc-1"); web(b, rule("tcp", 80, 80, "sg-alb")) },
			blocked: CodeSG, blockNode: "sg-web", detail: "never admit the internet",
		},
		{
			name:    "a private CIDR is not the internet",
			setup:   func(b *builder) { web(b, rule("tcp", 22, 22, "10.0.0.0/8"), rule("tcp", 23, 23, "100.64.0.0/10")) },
			blocked: CodeSG, blockNode: "sg-web",
		},
		{
			name: "a prefix list is resolved through its entries",
			setup: func(b *builder) {
				b.add(&graph.PrefixList{Base: base("pl-office", graph.KindPrefixList), Entries: []string{"198.51.100.0/24"}, EntriesKnown: true})
				web(b, rule("tcp", 443, 443, "pl-office"))
			},
			want: []string{"tcp 443"},
		},
		{
			name: "a prefix list without known entries is not assumed public",
			setup: func(b *builder) {
				b.add(&graph.PrefixList{Base: base("pl-office", graph.KindPrefixList)})
				web(b, rule("tcp", 443, 443, "pl-office"))
			},
			blocked: CodeSG, blockNode: "sg-web", detail: "not assumed public",
		},
		{
			name: "a stopped instance",
			setup: func(b *builder) {
				web(b, rule("tcp", 22, 22, "0.0.0.0/0"))
				i, _ := graph.Get[*graph.Instance](b.g, "i-1")
				i.State = "stopped"
			},
			blocked: CodeBadState, blockNode: "i-1",
			probes: []probe{{"tcp", 22, false, CodeBadState}},
		},
		{
			name: "the interface of a stopped instance",
			setup: func(b *builder) {
				web(b, rule("tcp", 22, 22, "0.0.0.0/0"))
				i, _ := graph.Get[*graph.Instance](b.g, "i-1")
				i.State, i.NetworkInterfaces = "stopped", []string{"eni-1"}
				b.add(&graph.NetworkInterface{Base: base("eni-1", graph.KindNetworkInterface), SubnetID: "subnet-pub", PublicIP: "54.0.0.1", SecurityGroups: []string{"sg-web"}, InstanceID: "i-1", Status: "in-use"})
			},
			blocked: CodeBadState, blockNode: "i-1",
			probes: []probe{{"tcp", 22, false, CodeBadState}},
			also:   "eni-1",
		},
		{
			name:    "security groups without rules",
			setup:   func(b *builder) { web(b) },
			blocked: CodeSGNoRules, blockNode: "sg-web",
		},
		{
			name: "a subnet missing from the input",
			setup: func(b *builder) {
				b.sg("sg-web", "vpc-1", rule("tcp", 22, 22, "0.0.0.0/0"))
				b.instance("i-1", "subnet-gone", "54.0.0.1", "sg-web")
			},
			blocked: CodeUnknownDest, blockNode: "i-1",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := publicVPC(t)
			tc.setup(b)
			Derive(b.g)
			nf := b.g.Facts.Nodes["i-1"]
			if nf == nil {
				t.Fatal("no facts for i-1")
			}
			want := tc.want
			if want == nil {
				want = []string{}
			}
			if diff := cmp.Diff(want, exposureKeys(nf.InternetReachable)); diff != "" {
				t.Errorf("exposures (-want +got):\n%s", diff)
			}
			if tc.blocked == "" {
				if nf.InternetBlocked != nil {
					t.Errorf("blocked by %+v, want reachable", nf.InternetBlocked)
				}
				for _, e := range nf.InternetReachable {
					if kinds := pathKinds(e.Path); kinds[0] != "internet" || kinds[len(kinds)-1] != "instance" {
						t.Errorf("path of %v goes %v", e, kinds)
					}
				}
			} else {
				got := nf.InternetBlocked
				if got == nil {
					t.Fatalf("not blocked, want %s", tc.blocked)
				}
				if got.Code != tc.blocked || got.Node != tc.blockNode {
					t.Errorf("blocked by %s at %s (%s), want %s at %s", got.Code, got.Node, got.Detail, tc.blocked, tc.blockNode)
				}
				if !strings.Contains(got.Detail, tc.detail) {
					t.Errorf("detail %q lacks %q", got.Detail, tc.detail)
				}
			}
			if tc.also != "" {
				af := b.g.Facts.Nodes[tc.also]
				if af == nil || !cmp.Equal(exposureKeys(af.InternetReachable), want) || (tc.blocked != "" && (af.InternetBlocked == nil || af.InternetBlocked.Code != tc.blocked)) {
					t.Errorf("%s fares differently: %+v", tc.also, af)
				}
			}
			for _, p := range tc.probes {
				v, err := Explain(b.g, "i-1", p.proto, p.port)
				if err != nil {
					t.Fatalf("explain %s %d: %v", p.proto, p.port, err)
				}
				if v.Reachable != p.reachable {
					t.Errorf("explain %s %d: reachable %t, want %t (%+v)", p.proto, p.port, v.Reachable, p.reachable, v.BlockedBy)
					continue
				}
				if p.reachable {
					if v.BlockedBy != nil || len(v.Path) == 0 {
						t.Errorf("explain %s %d: reachable verdict with block %+v and path %v", p.proto, p.port, v.BlockedBy, v.Path)
					}
					continue
				}
				if v.BlockedBy == nil || v.BlockedBy.Code != p.code {
					t.Errorf("explain %s %d: blocked by %+v, want %s", p.proto, p.port, v.BlockedBy, p.code)
				}
			}
		})
	}
}

// rebuildWithout returns a copy of g without node id, so a test can
// replace it.
func rebuildWithout(g *graph.Graph, id string) *graph.Graph {
	out := graph.New()
	for _, n := range g.Nodes() {
		if n.Meta().ID != id {
			out.Add(n)
		}
	}
	return out
}

func TestReachablePathHopByHop(t *testing.T) {
	t.Parallel()
	b := publicVPC(t)
	b.sg("sg-web", "vpc-1", rule("tcp", 22, 22, "0.0.0.0/0"))
	b.add(&graph.NetworkInterface{Base: base("eni-1", graph.KindNetworkInterface), SubnetID: "subnet-pub", VPCID: "vpc-1", PublicIP: "54.0.0.1", SecurityGroups: []string{"sg-web"}, InstanceID: "i-1", Status: "in-use"})
	i := b.instance("i-1", "subnet-pub", "54.0.0.1", "sg-web")
	i.NetworkInterfaces = []string{"eni-1"}
	Derive(b.g)
	v, err := Explain(b.g, "i-1", "tcp", 22)
	if err != nil {
		t.Fatal(err)
	}
	want := graph.Verdict{Reachable: true, Path: []graph.Hop{
		{Node: "internet", Kind: KindInternet, Detail: "from 0.0.0.0/0"},
		{Node: "igw-1", Kind: graph.KindInternetGateway, Detail: "attached to vpc-1; delivers to public address 54.0.0.1"},
		{Node: "rtb-pub", Kind: graph.KindRouteTable, Detail: "route 1 (0.0.0.0/0 → igw-1) sends replies back through the internet gateway"},
		{Node: "acl-default", Kind: graph.KindNetworkACL, Detail: "inbound rule 100 allows all traffic from 0.0.0.0/0; outbound rule 100 allows the reply to ephemeral ports 1024-65535"},
		{Node: "sg-web", Kind: graph.KindSecurityGroup, Detail: "inbound rule 0 allows tcp 22 from 0.0.0.0/0"},
		{Node: "eni-1", Kind: graph.KindNetworkInterface, Detail: "in subnet-pub"},
		{Node: "i-1", Kind: graph.KindInstance, Detail: "instance running"},
	}}
	if diff := cmp.Diff(want, v); diff != "" {
		t.Errorf("verdict (-want +got):\n%s", diff)
	}
	nf := b.g.Facts.Nodes["i-1"]
	if len(nf.InternetReachable) != 1 || nf.InternetReachable[0].Rule.Start.Line != 1 {
		t.Errorf("exposure rule range: %+v", nf.InternetReachable)
	}
	if diff := cmp.Diff([]string{"0.0.0.0/0"}, nf.InternetReachable[0].Sources); diff != "" {
		t.Errorf("sources (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(nf.InternetReachable, b.g.Facts.Nodes["eni-1"].InternetReachable[:1], cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Path" }, cmp.Ignore())); diff != "" {
		t.Errorf("ENI and instance disagree (-instance +eni):\n%s", diff)
	}
}

func TestExplainErrors(t *testing.T) {
	t.Parallel()
	b := publicVPC(t)
	Derive(b.g)
	if _, err := Explain(b.g, "i-nope", "tcp", 22); err == nil || !strings.Contains(err.Error(), "unknown node") {
		t.Errorf("unknown node: %v", err)
	}
	if _, err := Explain(b.g, "vpc-1", "tcp", 22); err == nil || !strings.Contains(err.Error(), "no network presence") {
		t.Errorf("vpc: %v", err)
	}
	if _, err := Explain(b.g, "subnet-pub", "tcp", 70000); err == nil {
		t.Error("subnet with a bad port accepted")
	}
	b.sg("sg-web", "vpc-1", rule("tcp", 22, 22, "0.0.0.0/0"))
	b.instance("i-1", "subnet-pub", "54.0.0.1", "sg-web")
	Derive(b.g)
	for _, p := range []string{"-1", "all", "bogus", "300"} {
		if _, err := Explain(b.g, "i-1", p, 22); err == nil {
			t.Errorf("protocol %q accepted", p)
		}
	}
	for _, p := range []string{"TCP", "6", "", "50"} {
		if _, err := Explain(b.g, "i-1", p, 22); err != nil {
			t.Errorf("protocol %q: %v", p, err)
		}
	}
}
