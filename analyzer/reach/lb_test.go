package reach

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vpcgate/vpcgate/analyzer/graph"
)

const (
	albARN = "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/alb/1"
	nlbARN = "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/net/nlb/2"
	intARN = "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/int/3"
	tgApp  = "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/app/1"
	tgNLB  = "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/nlb/2"
	tgLost = "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/lost/3"
	l80    = albARN + "/listener/80"
	l443   = albARN + "/listener/443"
	lNLB   = nlbARN + "/listener/443"
	lInt   = intARN + "/listener/80"
)

// production builds the production network of the design documents: an
// ALB in two public subnets, app instances of an ASG in two private
// subnets admitting HTTP only from the ALB, a bastion admitting SSH from
// one admin /32, a NAT gateway, a private database, plus an internal load
// balancer and a network load balancer without security groups.
func production(t testing.TB) *builder {
	t.Helper()
	b := newBuilder(t)
	b.vpc("vpc-1", "10.0.0.0/16")
	b.igw("igw-1", "vpc-1")
	b.subnet("subnet-pub-a", "vpc-1", "10.0.1.0/24")
	b.subnet("subnet-pub-b", "vpc-1", "10.0.2.0/24")
	b.subnet("subnet-app-a", "vpc-1", "10.0.11.0/24")
	b.subnet("subnet-app-b", "vpc-1", "10.0.12.0/24")
	local := rte("10.0.0.0/16", "local")
	b.rt("rtb-main", "vpc-1", true, nil, local)
	b.rt("rtb-pub", "vpc-1", false, []string{"subnet-pub-a", "subnet-pub-b"}, local, rte("0.0.0.0/0", "igw-1"))
	b.rt("rtb-app", "vpc-1", false, []string{"subnet-app-a", "subnet-app-b"}, local, rte("0.0.0.0/0", "nat-1"))
	b.acl("acl-default", "vpc-1", true, []string{"subnet-pub-a", "subnet-pub-b", "subnet-app-a", "subnet-app-b"}, openACL()...)
	b.sg("sg-alb", "vpc-1", rule("tcp", 80, 80, "0.0.0.0/0"), rule("tcp", 443, 443, "0.0.0.0/0"))
	b.sg("sg-app", "vpc-1", rule("tcp", 8080, 8080, "sg-alb"), rule("tcp", 22, 22, "sg-bastion"))
	b.sg("sg-bastion", "vpc-1", rule("tcp", 22, 22, "203.0.113.10/32"))
	b.sg("sg-db", "vpc-1", rule("tcp", 3306, 3306, "sg-app"))
	b.sg("sg-nlbapp", "vpc-1", rule("tcp", 443, 443, "10.0.0.0/16"))
	b.add(&graph.LoadBalancer{Base: base(albARN, graph.KindLoadBalancer, "Name", "web-alb"), LBName: "alb", Type: "application", Scheme: "internet-facing", VPCID: "vpc-1", SubnetIDs: []string{"subnet-pub-a", "subnet-pub-b"}, SecurityGroups: []string{"sg-alb"}, State: "active"})
	b.add(&graph.Listener{Base: base(l80, graph.KindListener), LoadBalancerARN: albARN, Port: 80, Protocol: "HTTP", DefaultActions: []graph.ListenerAction{{Type: "redirect", RedirectProtocol: "HTTPS", RedirectPort: "443"}}})
	b.add(&graph.Listener{Base: base(l443, graph.KindListener), LoadBalancerARN: albARN, Port: 443, Protocol: "HTTPS", DefaultActions: []graph.ListenerAction{{Type: "forward", TargetGroupARNs: []string{tgApp}}}})
	b.add(&graph.TargetGroup{Base: base(tgApp, graph.KindTargetGroup), TargetGroupName: "app", Protocol: "HTTP", Port: 8080, TargetType: "instance", VPCID: "vpc-1", Targets: []graph.Target{{ID: "i-app-1", Port: 8080, Health: "healthy"}, {ID: "i-stray", Port: 8080, Health: "unhealthy"}}})
	b.add(&graph.LaunchTemplate{Base: base("lt-app", graph.KindLaunchTemplate), TemplateName: "app", SecurityGroups: []string{"sg-app"}})
	b.add(&graph.AutoScalingGroup{Base: base("asg-app", graph.KindAutoScalingGroup), MinSize: 2, MaxSize: 6, DesiredCapacity: 2, SubnetIDs: []string{"subnet-app-a", "subnet-app-b"}, LaunchTemplateID: "lt-app", TargetGroupARNs: []string{tgApp}})
	app := b.instance("i-app-1", "subnet-app-a", "", "sg-app")
	app.AutoScalingGroup = "asg-app"
	b.instance("i-stray", "subnet-app-b", "", "sg-bastion")
	b.instance("i-bastion", "subnet-pub-a", "54.0.0.2", "sg-bastion")
	b.add(&graph.DBSubnetGroup{Base: base("dbsg", graph.KindDBSubnetGroup), VPCID: "vpc-1", SubnetIDs: []string{"subnet-app-a", "subnet-app-b"}})
	b.add(&graph.DBInstance{Base: base("db-1", graph.KindDBInstance), Engine: "mysql", InstanceClass: "db.t3.micro", MultiAZ: true, Port: 3306, DBSubnetGroup: "dbsg", SecurityGroups: []string{"sg-db"}, Status: "available"})
	b.add(&graph.NATGateway{Base: base("nat-1", graph.KindNATGateway), VPCID: "vpc-1", SubnetID: "subnet-pub-a", ConnectivityType: "public", State: "available", Addresses: []graph.NATAddress{{AllocationID: "eipalloc-nat", PublicIP: "3.3.3.3", IsPrimary: true}}})
	b.add(&graph.LoadBalancer{Base: base(intARN, graph.KindLoadBalancer), LBName: "int", Type: "application", Scheme: "internal", VPCID: "vpc-1", SubnetIDs: []string{"subnet-app-a"}, SecurityGroups: []string{"sg-alb"}, State: "active"})
	b.add(&graph.Listener{Base: base(lInt, graph.KindListener), LoadBalancerARN: intARN, Port: 80, Protocol: "HTTP", DefaultActions: []graph.ListenerAction{{Type: "forward", TargetGroupARNs: []string{tgLost}}}})
	b.add(&graph.LoadBalancer{Base: base(nlbARN, graph.KindLoadBalancer), LBName: "nlb", Type: "network", Scheme: "internet-facing", VPCID: "vpc-1", SubnetIDs: []string{"subnet-pub-a"}, State: "active"})
	b.add(&graph.Listener{Base: base(lNLB, graph.KindListener), LoadBalancerARN: nlbARN, Port: 443, Protocol: "TCP", DefaultActions: []graph.ListenerAction{{Type: "forward", TargetGroupARNs: []string{tgNLB}}}})
	b.add(&graph.TargetGroup{Base: base(tgNLB, graph.KindTargetGroup), TargetGroupName: "nlb", Protocol: "TCP", Port: 443, TargetType: "instance", Targets: []graph.Target{{ID: "i-nlb-ok"}, {ID: "i-nlb-no"}}})
	b.instance("i-nlb-ok", "subnet-app-a", "", "sg-nlbapp")
	b.instance("i-nlb-no", "subnet-app-a", "", "sg-app")
	return b
}

func TestProductionNetwork(t *testing.T) {
	t.Parallel()
	b := production(t)
	Derive(b.g)
	f := b.g.Facts
	tests := []struct {
		id       string
		exposed  []string
		blocked  string
		tier     graph.Tier
		public   bool
		lastHops []string // kinds at the end of the first exposure's path
	}{
		{id: albARN, exposed: []string{"tcp 80", "tcp 443"}, tier: graph.TierEdge, public: true, lastHops: []string{"security_group", "load_balancer", "listener"}},
		{id: "i-app-1", exposed: []string{"tcp 8080 via " + albARN}, tier: graph.TierApp, lastHops: []string{"load_balancer", "listener", "target_group", "instance"}},
		{id: "asg-app", exposed: []string{"tcp 8080 via " + albARN}, tier: graph.TierApp},
		{id: "i-stray", blocked: CodeNoPublicIP, tier: graph.TierApp},
		{id: "i-bastion", exposed: []string{"tcp 22"}, tier: graph.TierBastion, public: true},
		{id: "db-1", blocked: CodeNoPublicIP, tier: graph.TierData},
		{id: "nat-1", blocked: CodeNoDestination, public: true},
		{id: intARN, blocked: CodeNoPublicIP},
		{id: nlbARN, exposed: []string{"tcp 443"}, tier: graph.TierEdge, public: true, lastHops: []string{"route_table", "network_acl", "load_balancer", "listener"}},
		{id: "i-nlb-ok", exposed: []string{"tcp 443 via " + nlbARN}, tier: graph.TierApp},
		{id: "i-nlb-no", blocked: CodeNoPublicIP, tier: graph.TierApp},
	}
	for _, tc := range tests {
		nf := f.Nodes[tc.id]
		if nf == nil {
			t.Errorf("%s: no facts", tc.id)
			continue
		}
		want := tc.exposed
		if want == nil {
			want = []string{}
		}
		if diff := cmp.Diff(want, exposureKeys(nf.InternetReachable)); diff != "" {
			t.Errorf("%s exposures (-want +got):\n%s", tc.id, diff)
		}
		if tc.blocked != "" && (nf.InternetBlocked == nil || nf.InternetBlocked.Code != tc.blocked) {
			t.Errorf("%s blocked by %+v, want %s", tc.id, nf.InternetBlocked, tc.blocked)
		}
		if nf.Tier != tc.tier {
			t.Errorf("%s tier %q (%s), want %q", tc.id, nf.Tier, nf.TierReason, tc.tier)
		}
		if nf.PublicAddress != tc.public {
			t.Errorf("%s public address %t, want %t", tc.id, nf.PublicAddress, tc.public)
		}
		if tc.lastHops != nil && len(nf.InternetReachable) > 0 {
			kinds := pathKinds(nf.InternetReachable[0].Path)
			if len(kinds) < len(tc.lastHops) || !cmp.Equal(kinds[len(kinds)-len(tc.lastHops):], tc.lastHops) {
				t.Errorf("%s path kinds %v, want them to end with %v", tc.id, kinds, tc.lastHops)
			}
		}
	}
	if got := f.Nodes["i-bastion"].InternetReachable[0].Sources; !cmp.Equal(got, []string{"203.0.113.10/32"}) {
		t.Errorf("bastion sources %v", got)
	}
	if got := f.Nodes["i-app-1"].InternetReachable[0].Rule.Start.Line; got != 1 {
		t.Errorf("via-LB exposure points at rule line %d, want the app group's rule 1", got)
	}

	wantTargets := []graph.LBTarget{
		{LoadBalancer: albARN, Listener: l443, TargetGroup: tgApp, Target: "asg-app", Port: 8080, Admitted: true},
		{LoadBalancer: albARN, Listener: l443, TargetGroup: tgApp, Target: "i-app-1", Port: 8080, Admitted: true},
		{LoadBalancer: albARN, Listener: l443, TargetGroup: tgApp, Target: "i-stray", Port: 8080, Admitted: false},
		{LoadBalancer: nlbARN, Listener: lNLB, TargetGroup: tgNLB, Target: "i-nlb-no", Port: 443, Admitted: false},
		{LoadBalancer: nlbARN, Listener: lNLB, TargetGroup: tgNLB, Target: "i-nlb-ok", Port: 443, Admitted: true},
	}
	if diff := cmp.Diff(wantTargets, f.LBTargets); diff != "" {
		t.Errorf("LB targets (-want +got):\n%s", diff)
	}

	probes := []struct {
		id        string
		proto     string
		port      int
		reachable bool
		code      string
	}{
		{albARN, "tcp", 443, true, ""},
		{albARN, "tcp", 22, false, CodeSG},
		{"i-app-1", "tcp", 8080, true, ""},
		{"i-app-1", "tcp", 22, false, CodeNoPublicIP},
		{"db-1", "tcp", 3306, false, CodeNoPublicIP},
		{"db-1", "tcp", 5432, false, CodeNoPublicIP},
		{"nat-1", "tcp", 443, false, CodeNoDestination},
		{intARN, "tcp", 80, false, CodeNoPublicIP},
		{"web-alb", "tcp", 80, true, ""},
	}
	for _, p := range probes {
		v, err := Explain(b.g, p.id, p.proto, p.port)
		if err != nil {
			t.Errorf("explain %s: %v", p.id, err)
			continue
		}
		if v.Reachable != p.reachable || (!p.reachable && (v.BlockedBy == nil || v.BlockedBy.Code != p.code)) {
			t.Errorf("explain %s %s %d: reachable %t blocked %+v, want %t %s", p.id, p.proto, p.port, v.Reachable, v.BlockedBy, p.reachable, p.code)
		}
	}
}

func TestPubliclyAccessibleDatabase(t *testing.T) {
	t.Parallel()
	b := publicVPC(t)
	b.sg("sg-db", "vpc-1", rule("tcp", 0, 65535, "0.0.0.0/0"))
	b.add(&graph.DBSubnetGroup{Base: base("dbsg", graph.KindDBSubnetGroup), VPCID: "vpc-1", SubnetIDs: []string{"subnet-pub"}})
	b.add(&graph.DBInstance{Base: base("db-open", graph.KindDBInstance), Engine: "postgres", Port: 5432, PubliclyAccessible: true, DBSubnetGroup: "dbsg", SecurityGroups: []string{"sg-db"}, Status: "available"})
	b.add(&graph.DBInstance{Base: base("db-stopped", graph.KindDBInstance), Engine: "postgres", Port: 5432, PubliclyAccessible: true, DBSubnetGroup: "dbsg", SecurityGroups: []string{"sg-db"}, Status: "stopped"})
	b.add(&graph.DBInstance{Base: base("db-nogroup", graph.KindDBInstance), Engine: "postgres", Port: 5432, PubliclyAccessible: true, DBSubnetGroup: "dbsg-gone", SecurityGroups: []string{"sg-db"}})
	Derive(b.g)
	if got := exposureKeys(b.g.Facts.Nodes["db-open"].InternetReachable); !cmp.Equal(got, []string{"tcp 5432"}) {
		t.Errorf("db-open exposures %v, want only the database port", got)
	}
	if v, err := Explain(b.g, "db-open", "tcp", 3306); err != nil || v.BlockedBy == nil || v.BlockedBy.Code != CodeNotListening {
		t.Errorf("db-open on 3306: %+v %v, want %s", v, err, CodeNotListening)
	}
	for id, code := range map[string]string{"db-stopped": CodeBadState, "db-nogroup": CodeUnknownDest} {
		if b := b.g.Facts.Nodes[id].InternetBlocked; b == nil || b.Code != code {
			t.Errorf("%s blocked by %+v, want %s", id, b, code)
		}
	}
}

func TestECSServiceAndLaunchTemplatePublicIP(t *testing.T) {
	t.Parallel()
	b := publicVPC(t)
	b.sg("sg-task", "vpc-1", rule("tcp", 80, 80, "0.0.0.0/0"))
	yes := true
	b.add(&graph.LaunchTemplate{Base: base("lt-pub", graph.KindLaunchTemplate), SecurityGroups: []string{"sg-task"}, AssociatePublicIP: &yes})
	b.add(&graph.AutoScalingGroup{Base: base("asg-pub", graph.KindAutoScalingGroup), MaxSize: 2, SubnetIDs: []string{"subnet-pub"}, LaunchTemplateID: "lt-pub"})
	b.add(&graph.AutoScalingGroup{Base: base("asg-nolt", graph.KindAutoScalingGroup), MaxSize: 2, SubnetIDs: []string{"subnet-pub"}, LaunchTemplateID: "lt-gone"})
	b.add(&graph.ECSService{Base: base("svc-pub", graph.KindECSService), SubnetIDs: []string{"subnet-pub"}, SecurityGroups: []string{"sg-task"}, AssignPublicIP: true})
	b.add(&graph.ECSService{Base: base("svc-priv", graph.KindECSService), SubnetIDs: []string{"subnet-pub"}, SecurityGroups: []string{"sg-task"}})
	Derive(b.g)
	nodes := b.g.Facts.Nodes
	for id, want := range map[string][]string{"asg-pub": {"tcp 80"}, "svc-pub": {"tcp 80"}, "svc-priv": {}, "asg-nolt": {}} {
		if got := exposureKeys(nodes[id].InternetReachable); !cmp.Equal(got, want) {
			t.Errorf("%s exposures %v, want %v", id, got, want)
		}
	}
	if got := nodes["svc-priv"].InternetBlocked; got == nil || got.Code != CodeNoPublicIP {
		t.Errorf("svc-priv blocked by %+v", got)
	}
}

func TestOtherTargets(t *testing.T) {
	t.Parallel()
	const (
		clb     = "clb-web"
		alb     = "arn:alb/x"
		tgIP    = "arn:tg/ip"
		tgECS   = "arn:tg/ecs"
		tgFn    = "arn:tg/fn"
		lIP     = alb + "/l/8443"
		lECS    = alb + "/l/443"
		lFn     = alb + "/l/9443"
		lambda  = "arn:aws:lambda:us-east-1:1:function:fn"
		clbL80  = "clb-web/listener/80"
		stopped = "arn:alb/stopped"
	)
	b := publicVPC(t)
	b.sg("sg-lb", "vpc-1", rule("tcp", 0, 65535, "0.0.0.0/0"), rule("tcp", 0, 65535, "::/0"))
	b.sg("sg-back", "vpc-1", rule("tcp", 8080, 8080, "sg-lb"), rule("tcp", 9000, 9000, "sg-lb"), rule("tcp", 3000, 3000, "sg-lb"))
	b.add(&graph.LoadBalancer{Base: base(clb, graph.KindLoadBalancer), LBName: clb, Type: "classic", Scheme: "internet-facing", SubnetIDs: []string{"subnet-pub"}, SecurityGroups: []string{"sg-lb"}, Instances: []string{"i-web"}})
	b.add(&graph.Listener{Base: base(clbL80, graph.KindListener), LoadBalancerARN: clb, Port: 80, Protocol: "HTTP", InstancePort: 8080})
	b.instance("i-web", "subnet-pub", "", "sg-back")
	b.add(&graph.LoadBalancer{Base: base(alb, graph.KindLoadBalancer), Type: "application", Scheme: "internet-facing", SubnetIDs: []string{"subnet-pub"}, SecurityGroups: []string{"sg-lb"}, State: "active", IPAddressType: "dualstack"})
	b.add(&graph.Listener{Base: base(lIP, graph.KindListener), LoadBalancerARN: alb, Port: 8443, Protocol: "HTTPS", DefaultActions: []graph.ListenerAction{{Type: "forward", TargetGroupARNs: []string{tgIP}}}})
	b.add(&graph.Listener{Base: base(lECS, graph.KindListener), LoadBalancerARN: alb, Port: 443, Protocol: "HTTPS", DefaultActions: []graph.ListenerAction{{Type: "forward", TargetGroupARNs: []string{tgECS}}}})
	b.add(&graph.Listener{Base: base(lFn, graph.KindListener), LoadBalancerARN: alb, Port: 9443, Protocol: "HTTPS", DefaultActions: []graph.ListenerAction{{Type: "forward", TargetGroupARNs: []string{tgFn}}}})
	b.add(&graph.TargetGroup{Base: base(tgIP, graph.KindTargetGroup), TargetType: "ip", Port: 9000, Targets: []graph.Target{{ID: "10.0.1.50"}, {ID: "10.0.1.99"}}})
	b.add(&graph.TargetGroup{Base: base(tgECS, graph.KindTargetGroup), TargetType: "ip", Port: 80})
	b.add(&graph.TargetGroup{Base: base(tgFn, graph.KindTargetGroup), TargetType: "lambda", Targets: []graph.Target{{ID: lambda}}})
	b.add(&graph.NetworkInterface{Base: base("eni-ip", graph.KindNetworkInterface), SubnetID: "subnet-pub", PrivateIP: "10.0.1.50", SecurityGroups: []string{"sg-back"}, RequesterManaged: true, Status: "in-use"})
	b.add(&graph.ECSService{Base: base("svc", graph.KindECSService), SubnetIDs: []string{"subnet-pub"}, SecurityGroups: []string{"sg-back"}, LoadBalancers: []graph.ECSLoadBalancer{{TargetGroupARN: tgECS, ContainerPort: 3000}}})
	b.add(&graph.LoadBalancer{Base: base(stopped, graph.KindLoadBalancer), Type: "application", Scheme: "internet-facing", SubnetIDs: []string{"subnet-pub"}, SecurityGroups: []string{"sg-lb"}, State: "provisioning"})
	Derive(b.g)
	f := b.g.Facts

	wantTargets := []graph.LBTarget{
		{LoadBalancer: alb, Listener: lECS, TargetGroup: tgECS, Target: "svc", Port: 3000, Admitted: true},
		{LoadBalancer: alb, Listener: lIP, TargetGroup: tgIP, Target: "10.0.1.99", Port: 9000, Admitted: false},
		{LoadBalancer: alb, Listener: lIP, TargetGroup: tgIP, Target: "eni-ip", Port: 9000, Admitted: true},
		{LoadBalancer: alb, Listener: lFn, TargetGroup: tgFn, Target: lambda, Port: 0, Admitted: true},
		{LoadBalancer: clb, Listener: clbL80, Target: "i-web", Port: 8080, Admitted: true},
	}
	if diff := cmp.Diff(wantTargets, f.LBTargets); diff != "" {
		t.Errorf("LB targets (-want +got):\n%s", diff)
	}
	for id, want := range map[string][]string{
		alb:      {"tcp 443", "tcp 443 v6", "tcp 8443", "tcp 8443 v6", "tcp 9443", "tcp 9443 v6"},
		clb:      {"tcp 80"},
		"i-web":  {"tcp 8080 via " + clb},
		"eni-ip": {"tcp 9000 via " + alb, "tcp 9000 v6 via " + alb},
		"svc":    {"tcp 3000 via " + alb, "tcp 3000 v6 via " + alb},
		stopped:  {},
	} {
		if diff := cmp.Diff(want, exposureKeys(f.Nodes[id].InternetReachable)); diff != "" {
			t.Errorf("%s exposures (-want +got):\n%s", id, diff)
		}
	}
	if got := f.Nodes[stopped].InternetBlocked; got == nil || got.Code != CodeBadState {
		t.Errorf("provisioning load balancer blocked by %+v", got)
	}
	if v, err := Explain(b.g, clb, "tcp", 81); err != nil || v.BlockedBy == nil || v.BlockedBy.Code != CodeCLBNoListener {
		t.Errorf("classic listener mismatch: %+v %v", v, err)
	}
	if f.Nodes["svc"].Tier != graph.TierApp || f.Nodes[clb].Tier != graph.TierEdge {
		t.Errorf("tiers: svc %q, clb %q", f.Nodes["svc"].Tier, f.Nodes[clb].Tier)
	}
}
