package describe

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// fixturesDir holds the describe dumps built on moto with the real AWS CLI
// (testdata/describe/build.sh), one folder per architecture.
const fixturesDir = "../../../testdata/describe"

// one resolves ref (an id, name or Name tag) to exactly one node of type T.
func one[T graph.Node](t *testing.T, g *graph.Graph, ref string) T {
	t.Helper()
	var zero T
	var found []T
	for _, n := range g.Resolve(ref) {
		if x, ok := n.(T); ok {
			found = append(found, x)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%q names %d nodes of type %T, want 1", ref, len(found), zero)
	}
	return found[0]
}

// admits reports whether a rule of rules allows protocol and port from peer.
func admits(rules []graph.SGRule, proto string, port int, kind graph.PeerKind, peer string) bool {
	for _, r := range rules {
		if r.PeerKind == kind && r.Peer == peer && r.Covers(proto, port) {
			return true
		}
	}
	return false
}

// fixtureFacts returns facts of each architecture, checked by name because
// ids change whenever the fixtures are rebuilt.
func fixtureFacts() map[string]func(t *testing.T, g *graph.Graph) {
	return map[string]func(t *testing.T, g *graph.Graph){
		"basic": func(t *testing.T, g *graph.Graph) {
			app := one[*graph.Instance](t, g, "tomcat-app")
			if app.State != "running" || app.PublicIP == "" || len(app.NetworkInterfaces) == 0 {
				t.Errorf("tomcat-app: %+v, want running with a public IP and an ENI", app)
			}
			sg := one[*graph.SecurityGroup](t, g, "MyTomcatSecurityGroup")
			if !admits(sg.Ingress, "tcp", 8080, graph.PeerCIDR, "0.0.0.0/0") || !admits(sg.Ingress, "udp", 53, graph.PeerCIDR, "0.0.0.0/0") {
				t.Errorf("MyTomcatSecurityGroup ingress %+v, want every port open to 0.0.0.0/0", sg.Ingress)
			}
			db := one[*graph.DBInstance](t, g, "three-tier-db")
			if !db.PubliclyAccessible || db.Port != 3306 {
				t.Errorf("three-tier-db: %+v, want publicly accessible on 3306", db)
			}
			dbsg := one[*graph.SecurityGroup](t, g, "MyDatabaseSecurityGroup")
			if !admits(dbsg.Ingress, "tcp", 3306, graph.PeerCIDR, "0.0.0.0/0") {
				t.Errorf("MyDatabaseSecurityGroup ingress %+v, want 3306 from anywhere", dbsg.Ingress)
			}
		},
		"improved": func(t *testing.T, g *graph.Graph) {
			sg := one[*graph.SecurityGroup](t, g, "MyTomcatSecurityGroup")
			for _, port := range []int{80, 443} {
				if !admits(sg.Ingress, "tcp", port, graph.PeerCIDR, "0.0.0.0/0") {
					t.Errorf("port %d not open to the world: %+v", port, sg.Ingress)
				}
			}
			if admits(sg.Ingress, "tcp", 22, graph.PeerCIDR, "0.0.0.0/0") || !admits(sg.Ingress, "tcp", 22, graph.PeerCIDR, "203.0.113.10/32") {
				t.Errorf("SSH should be open to the admin /32 only: %+v", sg.Ingress)
			}
			dbsg := one[*graph.SecurityGroup](t, g, "MyDatabaseSecurityGroup")
			if !admits(dbsg.Ingress, "tcp", 3306, graph.PeerSG, sg.ID) {
				t.Errorf("the database should admit 3306 from %s: %+v", sg.ID, dbsg.Ingress)
			}
		},
		"production": func(t *testing.T, g *graph.Graph) {
			lb := one[*graph.LoadBalancer](t, g, "prod-alb")
			if !lb.InternetFacing() || len(lb.SubnetIDs) != 2 || lb.Type != "application" {
				t.Errorf("prod-alb: %+v, want an internet-facing ALB in two subnets", lb)
			}
			var listenerPorts []int
			for _, l := range g.Listeners() {
				if l.LoadBalancerARN == lb.ID {
					listenerPorts = append(listenerPorts, l.Port)
				}
			}
			if len(listenerPorts) == 0 {
				t.Error("prod-alb has no listener")
			}
			tg := one[*graph.TargetGroup](t, g, "prod-app-tg")
			if len(tg.Targets) != 2 {
				t.Errorf("prod-app-tg targets %+v, want the two app instances", tg.Targets)
			}
			for _, target := range tg.Targets {
				if inst, ok := graph.Get[*graph.Instance](g, target.ID); !ok || inst.Name != "prod-app" {
					t.Errorf("target %s is not a prod-app instance", target.ID)
				}
			}
			asg := one[*graph.AutoScalingGroup](t, g, "prod-app-asg")
			if !strings.HasPrefix(asg.LaunchTemplateID, "lt-") || len(asg.SubnetIDs) != 2 || len(asg.Policies) == 0 {
				t.Errorf("prod-app-asg: %+v, want a launch template id, two subnets and a scaling policy", asg)
			}
			if lt, ok := graph.Get[*graph.LaunchTemplate](g, asg.LaunchTemplateID); !ok || lt.InstanceType == "" {
				t.Errorf("launch template %s of prod-app-asg missing or without its default version's data", asg.LaunchTemplateID)
			} else if lt.DetailedMonitoring == nil || !*lt.DetailedMonitoring {
				t.Errorf("launch template %s: detailed monitoring %v, want enabled (Monitoring.Enabled in the version data)", lt.ID, lt.DetailedMonitoring)
			}
			db := one[*graph.DBInstance](t, g, "prod-db")
			if !db.MultiAZ || db.PubliclyAccessible || db.Port != 3306 || len(db.SecurityGroups) != 1 {
				t.Errorf("prod-db: %+v, want Multi-AZ, private, on 3306 with one group", db)
			}
			alb := one[*graph.SecurityGroup](t, g, "prod-alb-sg")
			app := one[*graph.SecurityGroup](t, g, "prod-app-sg")
			bastion := one[*graph.SecurityGroup](t, g, "bastion-sg")
			dbsg := one[*graph.SecurityGroup](t, g, "prod-db-sg")
			if !admits(app.Ingress, "tcp", 80, graph.PeerSG, alb.ID) || !admits(app.Ingress, "tcp", 22, graph.PeerSG, bastion.ID) || admits(app.Ingress, "tcp", 80, graph.PeerCIDR, "0.0.0.0/0") {
				t.Errorf("prod-app-sg ingress %+v, want HTTP from the ALB's group and SSH from the bastion's", app.Ingress)
			}
			if !admits(bastion.Ingress, "tcp", 22, graph.PeerCIDR, "203.0.113.10/32") {
				t.Errorf("bastion-sg ingress %+v, want SSH from the admin /32", bastion.Ingress)
			}
			if !admits(dbsg.Ingress, "tcp", 3306, graph.PeerSG, app.ID) {
				t.Errorf("prod-db-sg ingress %+v, want 3306 from the app group", dbsg.Ingress)
			}
			nat := one[*graph.NATGateway](t, g, "prod-nat")
			if len(nat.Addresses) == 0 {
				t.Fatal("prod-nat has no address")
			}
			if eip, ok := graph.Get[*graph.EIP](g, nat.Addresses[0].AllocationID); !ok || eip.NATGatewayID != nat.ID {
				t.Errorf("the NAT's Elastic IP does not name the NAT gateway")
			}
			if bastion := one[*graph.Instance](t, g, "bastion"); bastion.PublicIP == "" {
				t.Error("the bastion has no public IP")
			}
		},
	}
}

func TestFixtures(t *testing.T) {
	t.Parallel()
	entries, err := os.ReadDir(fixturesDir)
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, e := range entries {
		if !e.IsDir() || e.Name() == "unit" {
			continue
		}
		arch := e.Name()
		paths, err := filepath.Glob(filepath.Join(fixturesDir, arch, "*.json"))
		if err != nil || len(paths) == 0 {
			continue
		}
		seen++
		t.Run(arch, func(t *testing.T) {
			t.Parallel()
			var files []File
			for _, p := range paths {
				data, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				if !Detect(data) {
					t.Errorf("%s: not detected as describe output", p)
				}
				files = append(files, File{Path: p, Data: data})
			}
			g := Read(t.Context(), files, Options{})
			for _, d := range g.Diagnostics {
				if d.Severity == graph.SeverityError {
					t.Errorf("error diagnostic: %s", d.Error())
				} else {
					t.Logf("diagnostic: %s", d.Error())
				}
			}
			if len(g.Instances()) == 0 || len(g.SecurityGroups()) == 0 || len(g.Subnets()) == 0 {
				t.Errorf("%d instances, %d groups, %d subnets: the fixture was not read", len(g.Instances()), len(g.SecurityGroups()), len(g.Subnets()))
			}
			for _, n := range g.Nodes() {
				if src := n.Meta().Source; src.Range.Start.Line == 0 || src.Pointer == "" {
					t.Errorf("%s %s has no position", n.Meta().Kind, n.Meta().ID)
				}
			}
			if facts, ok := fixtureFacts()[arch]; ok {
				facts(t, g)
			}
		})
	}
	if seen == 0 {
		t.Skip("no fixtures under " + fixturesDir)
	}
}
