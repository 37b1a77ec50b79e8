package describe

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path"
	"testing"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/internal/estate"
)

// memFile collects one generated file.
type memFile struct {
	bytes.Buffer
	name  string
	files *[]File
}

func (m *memFile) Close() error {
	*m.files = append(*m.files, File{Path: m.name, Data: m.Bytes()})
	return nil
}

// genProjectEstate generates the project's synthetic estate of n instances
// in memory, in the <account>/<region>/ layout.
func genProjectEstate(tb testing.TB, n int) ([]File, estate.Stats) {
	tb.Helper()
	var files []File
	st, err := estate.Generate(estate.Options{Instances: n, Seed: 1}, func(name string) (io.WriteCloser, error) {
		return &memFile{name: path.Join(estate.DefaultAccount, estate.DefaultRegion, name), files: &files}, nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return files, st
}

func TestEstate(t *testing.T) {
	t.Parallel()
	files, st := genProjectEstate(t, 300)
	g := Read(context.Background(), files, Options{})
	noDiagnostics(t, g)
	counts := map[graph.Kind]int{}
	for _, n := range g.Nodes() {
		counts[n.Meta().Kind]++
	}
	for _, c := range []struct {
		kind graph.Kind
		want int
	}{
		{graph.KindVPC, st.VPCs}, {graph.KindSubnet, st.Subnets}, {graph.KindRouteTable, st.RouteTables},
		{graph.KindInternetGateway, st.InternetGateways}, {graph.KindNATGateway, st.NATGateways}, {graph.KindEIP, st.Addresses},
		{graph.KindNetworkACL, st.NetworkACLs}, {graph.KindSecurityGroup, st.SecurityGroups}, {graph.KindInstance, st.Instances},
		{graph.KindNetworkInterface, st.NetworkInterfaces}, {graph.KindLaunchTemplate, st.LaunchTemplates},
		{graph.KindLoadBalancer, st.LoadBalancers}, {graph.KindListener, st.Listeners}, {graph.KindTargetGroup, st.TargetGroups},
		{graph.KindAutoScalingGroup, st.AutoScalingGroups}, {graph.KindDBInstance, st.DBInstances}, {graph.KindDBSubnetGroup, st.DBSubnetGroups},
	} {
		if got := counts[c.kind]; got != c.want {
			t.Errorf("%s: read %d, the generator wrote %d", c.kind, got, c.want)
		}
	}
	policies, rules := 0, 0
	for _, a := range g.AutoScalingGroups() {
		policies += len(a.Policies)
	}
	for _, sg := range g.SecurityGroups() {
		rules += len(sg.Ingress) + len(sg.Egress)
	}
	if policies != st.ScalingPolicies {
		t.Errorf("read %d scaling policies, the generator wrote %d", policies, st.ScalingPolicies)
	}
	if rules < st.SecurityGroupRules {
		t.Errorf("read %d security group rules, the generator wrote %d", rules, st.SecurityGroupRules)
	}
}

// BenchmarkReadEstate reads the project's synthetic estate (internal/estate).
func BenchmarkReadEstate(b *testing.B) {
	for _, n := range []int{1000, 10000, 50000} {
		b.Run(fmt.Sprintf("instances=%d", n), func(b *testing.B) {
			files, st := genProjectEstate(b, n)
			b.SetBytes(st.Bytes)
			b.ReportAllocs()
			cpu0 := cpuTime(b)
			b.ResetTimer()
			for b.Loop() {
				g := Read(context.Background(), files, Options{})
				if len(g.Diagnostics) > 0 {
					b.Fatal(g.Diagnostics[0].Error())
				}
				if got := len(g.Instances()); got != n {
					b.Fatalf("read %d instances, want %d", got, n)
				}
			}
			b.ReportMetric(float64(st.Bytes)/1e6, "MB")
			b.ReportMetric(float64(cpuTime(b)-cpu0)/float64(b.N), "cpu-ns/op")
		})
	}
}
