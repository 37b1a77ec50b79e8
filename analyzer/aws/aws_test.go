package aws

import (
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

func TestProtocol(t *testing.T) {
	for in, want := range map[string]string{
		"-1": "-1", "all": "-1", "ALL": "-1", "": "-1", " tcp ": "tcp", "TCP": "tcp", "6": "tcp", "17": "udp", "udp": "udp",
		"1": "icmp", "icmp": "icmp", "58": "icmpv6", "ICMPv6": "icmpv6", "50": "50", "gre": "gre",
	} {
		if got := Protocol(in); got != want {
			t.Errorf("Protocol(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"tcp": "6", "UDP": "17", "icmp": "1", "icmpv6": "58", "all": "-1", "50": "50", "gre": ""} {
		if got := ProtocolNumber(in); got != want {
			t.Errorf("ProtocolNumber(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDefaultDBPort(t *testing.T) {
	for engine, want := range map[string]int{
		"aurora": 3306, "aurora-mysql": 3306, "mysql": 3306, "MySQL": 3306, "mariadb": 3306,
		"aurora-postgresql": 5432, "postgres": 5432,
		"oracle-ee": 1521, "oracle-se2": 1521, "oracle-ee-cdb": 1521, "custom-oracle-ee": 1521,
		"sqlserver-ee": 1433, "sqlserver-se": 1433, "sqlserver-ex": 1433, "sqlserver-web": 1433, "custom-sqlserver-ee": 1433,
		"db2-se": 50000, "neptune": 0, "": 0,
	} {
		if got := DefaultDBPort(engine); got != want {
			t.Errorf("DefaultDBPort(%q) = %d, want %d", engine, got, want)
		}
	}
}

func TestPorts(t *testing.T) {
	type sg struct {
		proto    string
		from, to int
		given    bool
		wf, wt   int
	}
	for _, c := range []sg{
		{"-1", 22, 22, true, -1, -1}, {"tcp", 22, 23, true, 22, 23}, {"tcp", 0, 0, false, 0, 65535},
		{"udp", 0, 0, false, 0, 65535}, {"icmp", 0, 0, false, -1, -1}, {"icmp", 8, 0, true, 8, 0}, {"50", 0, 0, false, -1, -1},
	} {
		if f, to := SGRulePorts(c.proto, c.from, c.to, c.given); f != c.wf || to != c.wt {
			t.Errorf("SGRulePorts(%+v) = %d, %d", c, f, to)
		}
	}
	pr, ic := &[2]int{80, 81}, &[2]int{8, -1}
	for _, c := range []struct {
		proto     string
		ports, ic *[2]int
		wf, wt    int
	}{
		{"-1", pr, nil, 0, 0}, {"tcp", pr, nil, 80, 81}, {"tcp", nil, nil, 0, 65535}, {"icmp", nil, ic, 8, -1},
		{"icmp", pr, ic, 8, -1}, {"icmp", nil, nil, -1, -1}, {"icmpv6", nil, nil, -1, -1},
	} {
		if f, to := ACLPorts(c.proto, c.ports, c.ic); f != c.wf || to != c.wt {
			t.Errorf("ACLPorts(%s, %v, %v) = %d, %d", c.proto, c.ports, c.ic, f, to)
		}
	}
}

func TestVPCDefaults(t *testing.T) {
	v := &graph.VPC{Base: graph.Base{ID: "vpc-1"}, CIDRBlocks: []string{"10.0.0.0/16"}, OwnerID: "123456789012"}
	acl := DefaultNetworkACL(graph.Base{ID: "acl-1"}, v)
	want := []graph.ACLEntry{
		{RuleNumber: 100, Protocol: "-1", Allow: true, CIDR: "0.0.0.0/0"},
		{RuleNumber: 32767, Protocol: "-1", CIDR: "0.0.0.0/0"},
		{RuleNumber: 100, Egress: true, Protocol: "-1", Allow: true, CIDR: "0.0.0.0/0"},
		{RuleNumber: 32767, Egress: true, Protocol: "-1", CIDR: "0.0.0.0/0"},
	}
	if diff := cmp.Diff(want, acl.Entries); diff != "" {
		t.Errorf("default ACL (-want +got):\n%s", diff)
	}
	if !acl.IsDefault || acl.VPCID != "vpc-1" || acl.Kind != graph.KindNetworkACL {
		t.Errorf("default ACL = %+v", acl)
	}
	// Completing an ACL that already has its final entries (a describe
	// dump) adds nothing.
	n := len(acl.Entries)
	CompleteACL(acl, false, graph.Range{})
	if len(acl.Entries) != n {
		t.Errorf("CompleteACL added entries to a complete ACL: %d → %d", n, len(acl.Entries))
	}

	v6 := &graph.VPC{Base: graph.Base{ID: "vpc-2"}, CIDRBlocks: []string{"10.1.0.0/16"}, IPv6CIDRBlocks: []string{"2600:1f18::/56"}}
	acl6 := DefaultNetworkACL(graph.Base{ID: "acl-2"}, v6)
	var got []string
	for _, e := range acl6.Entries {
		got = append(got, entryString(e))
	}
	wantS := []string{"in 100 allow 0.0.0.0/0", "in 101 allow ::/0", "in 32767 deny 0.0.0.0/0", "in 32767 deny ::/0",
		"out 100 allow 0.0.0.0/0", "out 101 allow ::/0", "out 32767 deny 0.0.0.0/0", "out 32767 deny ::/0"}
	if diff := cmp.Diff(wantS, got); diff != "" {
		t.Errorf("default ACL with IPv6 (-want +got):\n%s", diff)
	}

	sg := DefaultSecurityGroup(graph.Base{ID: "sg-1"}, v)
	if !sg.IsDefault() || sg.Name != "default" || sg.OwnerID != "123456789012" || len(sg.Ingress) != 1 || sg.Ingress[0].Peer != "sg-1" ||
		sg.Ingress[0].PeerKind != graph.PeerSG || len(sg.Egress) != 1 || sg.Egress[0].Peer != "0.0.0.0/0" {
		t.Errorf("default SG = %+v", sg)
	}

	sg6 := DefaultSecurityGroup(graph.Base{ID: "sg-2"}, v6)
	if len(sg6.Egress) != 2 || sg6.Egress[1].PeerKind != graph.PeerIPv6CIDR || sg6.Egress[1].Peer != "::/0" {
		t.Errorf("default SG of an IPv6 VPC: egress %+v", sg6.Egress)
	}

	rt := MainRouteTable(graph.Base{ID: "rtb-1"}, v6, "rtbassoc-1")
	AddLocalRoutes(rt, v6, graph.Range{})
	AddLocalRoutes(rt, v6, graph.Range{}) // a second time: no change
	if !rt.Main || len(rt.Associations) != 1 || !rt.Associations[0].Main || rt.Associations[0].ID != "rtbassoc-1" {
		t.Errorf("main route table = %+v", rt)
	}
	if len(rt.Routes) != 2 || rt.Routes[0].DestinationCIDR != "10.1.0.0/16" || rt.Routes[1].DestinationIPv6CIDR != "2600:1f18::/56" ||
		rt.Routes[0].TargetKind != graph.TargetLocal {
		t.Errorf("local routes = %+v", rt.Routes)
	}
}

func entryString(e graph.ACLEntry) string {
	s := "in "
	if e.Egress {
		s = "out "
	}
	a := " deny "
	if e.Allow {
		a = " allow "
	}
	return s + strconv.Itoa(e.RuleNumber) + a + e.CIDR + e.IPv6CIDR
}

func TestDefaults(t *testing.T) {
	lb := &graph.LoadBalancer{}
	LoadBalancerDefaults(lb)
	if lb.Type != "application" || lb.Scheme != "internet-facing" || lb.IPAddressType != "ipv4" || lb.State != "active" {
		t.Errorf("load balancer defaults = %+v", lb)
	}
	unk := &graph.LoadBalancer{Base: graph.Base{Unknown: []string{"scheme"}}, Type: "network"}
	LoadBalancerDefaults(unk)
	if unk.Scheme != "" || unk.Type != "network" {
		t.Errorf("an unknown scheme was given a default: %+v", unk)
	}
	for typ, want := range map[string]string{"application": "HTTP", "network": "TCP", "gateway": "", "": ""} {
		if got := ListenerProtocol(typ); got != want {
			t.Errorf("ListenerProtocol(%q) = %q, want %q", typ, got, want)
		}
	}
	a := graph.ListenerAction{Type: "redirect", RedirectProtocol: "HTTPS"}
	ActionDefaults(&a)
	if a.RedirectProtocol != "HTTPS" || a.RedirectPort != "#{port}" {
		t.Errorf("redirect defaults = %+v", a)
	}
	f := graph.ListenerAction{Type: "forward"}
	ActionDefaults(&f)
	if f.RedirectPort != "" {
		t.Errorf("forward action got redirect defaults: %+v", f)
	}
	tg := &graph.TargetGroup{}
	TargetGroupDefaults(tg)
	if tg.TargetType != "instance" || tg.HealthCheckPort != "traffic-port" || tg.HealthCheckPath != "" {
		t.Errorf("target group defaults = %+v", tg)
	}
	web := &graph.TargetGroup{Protocol: "HTTPS", HealthCheckPath: ""}
	TargetGroupDefaults(web)
	if web.HealthCheckPath != "/" {
		t.Errorf("HTTPS target group health check path = %q", web.HealthCheckPath)
	}
	nat := &graph.NATGateway{}
	NATDefaults(nat)
	if nat.ConnectivityType != "public" || nat.State != "available" {
		t.Errorf("NAT defaults = %+v", nat)
	}
	for _, c := range []struct {
		c    graph.DBCluster
		want bool
	}{
		{graph.DBCluster{}, false}, {graph.DBCluster{Members: []string{"a"}}, false}, {graph.DBCluster{Members: []string{"a", "b"}}, true},
		{graph.DBCluster{InstanceClass: "db.m6gd.large"}, true}, {graph.DBCluster{MultiAZ: true}, true},
	} {
		if got := ClusterMultiAZ(&c.c); got != c.want {
			t.Errorf("ClusterMultiAZ(%+v) = %v", c.c, got)
		}
	}
}

func TestInDefaultGroup(t *testing.T) {
	for _, c := range []struct {
		n    graph.Node
		want bool
	}{
		{&graph.Instance{}, true},
		{&graph.Instance{SecurityGroups: []string{"sg-1"}}, false},
		{&graph.Instance{NetworkInterfaces: []string{"eni-1"}}, false},
		{&graph.Instance{Base: graph.Base{Unknown: []string{"security_groups"}}}, false},
		{&graph.NetworkInterface{}, true},
		{&graph.LoadBalancer{Type: "application"}, true},
		{&graph.LoadBalancer{Type: "network"}, false},
		{&graph.ECSService{SubnetIDs: []string{"subnet-1"}}, true},
		{&graph.ECSService{}, false},
		{&graph.DBInstance{}, true},
		{&graph.DBInstance{ClusterID: "c"}, false},
		{&graph.NATGateway{}, false},
	} {
		if got := InDefaultGroup(c.n); got != c.want {
			t.Errorf("InDefaultGroup(%T %+v) = %v, want %v", c.n, c.n, got, c.want)
		}
	}
}

func TestServiceDefaults(t *testing.T) {
	if ENIStatus("") != "available" || ENIStatus("i-1") != "in-use" {
		t.Error("ENIStatus")
	}
	for _, c := range []struct {
		providers []string
		fargate   bool
		want      string
	}{
		{nil, false, "EC2"}, {nil, true, "FARGATE"}, {[]string{"FARGATE_SPOT"}, false, "FARGATE"},
		{[]string{"my-asg-provider"}, true, "EC2"}, {[]string{"my-asg-provider", "FARGATE"}, false, "FARGATE"},
	} {
		if got := ECSLaunchType(c.providers, c.fargate); got != c.want {
			t.Errorf("ECSLaunchType(%v, %v) = %q, want %q", c.providers, c.fargate, got, c.want)
		}
	}
}

func TestClassicListener(t *testing.T) {
	lb := &graph.LoadBalancer{Base: graph.Base{ID: "web-elb", Suppressions: []graph.Suppression{{RuleID: "https-listener"}}}, Type: LBClassic}
	l := ClassicListener(lb, graph.Source{Address: "WebElb"}, 443, "https", 8080, "arn:aws:acm:us-east-1:123456789012:certificate/x")
	if l.ID != "web-elb/listener/443" || l.Kind != graph.KindListener || l.LoadBalancerARN != "web-elb" || l.Protocol != "HTTPS" ||
		l.InstancePort != 8080 || len(l.Certificates) != 1 || l.DefaultActions == nil || len(l.Suppressions) != 1 || l.Source.Address != "WebElb" {
		t.Errorf("classic listener = %+v", l)
	}
	if l := ClassicListener(lb, graph.Source{}, 80, "HTTP", 80, ""); l.Certificates != nil {
		t.Errorf("a listener without certificate has %v", l.Certificates)
	}
}
