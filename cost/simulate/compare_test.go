package simulate

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// TestInstanceTypeSources: the type comes from the launch template, a
// mixed-instances override, the instances the group reports or the
// group's instances; when nothing says, Resolve asks for --instance-type
// instead of failing on a price for type "".
func TestInstanceTypeSources(t *testing.T) {
	t.Parallel()
	build := func(asg *graph.AutoScalingGroup, more ...graph.Node) *graph.Graph {
		g := graph.New()
		asg.Base = graph.Base{ID: "web-asg", Kind: graph.KindAutoScalingGroup}
		asg.MinSize, asg.MaxSize, asg.DesiredCapacity = 2, 6, 2
		for _, n := range append([]graph.Node{asg}, more...) {
			if d := g.Add(n); d != nil {
				t.Fatal(d)
			}
		}
		return g
	}
	tests := []struct {
		name, want, note string
		g                *graph.Graph
	}{
		{"launch template", "t3.medium", "", build(&graph.AutoScalingGroup{LaunchTemplateID: "lt-1"},
			&graph.LaunchTemplate{Base: graph.Base{ID: "lt-1", Kind: graph.KindLaunchTemplate}, InstanceType: "t3.medium"})},
		{"launch configuration", "m4.large", "launch configuration lc-1", build(&graph.AutoScalingGroup{LaunchTemplateID: "lc-1"},
			&graph.LaunchTemplate{Base: graph.Base{ID: "lc-1", Kind: graph.KindLaunchTemplate}, InstanceType: "m4.large", IsLaunchConfiguration: true})},
		{"override", "c5.large", "mixed-instances override", build(&graph.AutoScalingGroup{LaunchTemplateID: "lt-none", InstanceTypes: []string{"c5.large", "m5.large"}})},
		{"reported", "c4.large", "the instances the group reports", build(&graph.AutoScalingGroup{LaunchTemplateID: "lt-missing",
			Instances: []string{"i-1", "i-2", "i-3"}, ReportedInstanceTypes: []string{"c4.large", "t2.micro", "c4.large"}})},
		{"graph instances", "t2.small", "the group's instances", build(&graph.AutoScalingGroup{},
			&graph.Instance{Base: graph.Base{ID: "i-9", Kind: graph.KindInstance}, InstanceType: "t2.small", AutoScalingGroup: "web-asg"})},
	}
	for _, tt := range tests {
		c := resolveFor(t, tt.g, "")
		if c.InstanceType != tt.want {
			t.Errorf("%s: type %q, want %s", tt.name, c.InstanceType, tt.want)
		}
		if tt.note != "" && !strings.Contains(strings.Join(c.Notes, "\n"), tt.note) {
			t.Errorf("%s: notes %q lack %q", tt.name, c.Notes, tt.note)
		}
	}
	bare := build(&graph.AutoScalingGroup{LaunchTemplateID: "lt-gone"})
	s, _ := Preset("ticketing-spike")
	_, err := Resolve(bare, s, catalog(t), "")
	var nit *NoInstanceTypeError
	if !errors.As(err, &nit) || !strings.Contains(err.Error(), "--instance-type") || !strings.Contains(err.Error(), "web-asg") {
		t.Fatalf("err = %v, want a NoInstanceTypeError naming the group and --instance-type", err)
	}
	if c := resolveFor(t, bare, "m5.large"); c.InstanceType != "m5.large" || !c.InstanceHour.Equal(c.InstanceHour) {
		t.Errorf("with --instance-type: %q", c.InstanceType)
	}
}

func resolveFor(t *testing.T, g *graph.Graph, instanceType string) *Config {
	t.Helper()
	s, err := Preset("ticketing-spike")
	if err != nil {
		t.Fatal(err)
	}
	s.Group.InstanceType = instanceType
	c, err := Resolve(g, s, catalog(t), "")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestResolveRegionOfGroup: the group's own region prices the run; a
// region without prices takes us-east-1's with a warning.
func TestResolveRegionOfGroup(t *testing.T) {
	t.Parallel()
	g := productionGraph(t)
	g.Node("prod-app-asg").Meta().Source.Region = "eu-west-1"
	c := ticketing(t, g, nil)
	if c.Region != "eu-west-1" || c.InstanceHour.String() != "0.0456" || !c.Estimates {
		t.Errorf("region %s, hour %s, estimates %v", c.Region, c.InstanceHour, c.Estimates)
	}
	g.Node("prod-app-asg").Meta().Source.Region = "ap-northeast-1"
	c = ticketing(t, g, nil)
	if c.Region != "ap-northeast-1" || c.InstanceHour.String() != "0.0416" || !strings.Contains(strings.Join(c.Notes, "\n"), "warning: no ec2/t3.medium price in ap-northeast-1") {
		t.Errorf("region %s, hour %s, notes %q", c.Region, c.InstanceHour, c.Notes)
	}
}

func TestCompareRecommended(t *testing.T) {
	t.Parallel()
	c := ticketing(t, productionGraph(t), nil)
	cmp, err := CompareRecommended(c)
	if err != nil {
		t.Fatal(err)
	}
	a, b := cmp.Current.Result, cmp.Alternative.Result
	if a.Summary.Failed == 0 || b.Summary.Failed != 0 || b.Summary.TicketsLost != 0 {
		t.Errorf("current failed %v, recommended failed %v lost %v", a.Summary.Failed, b.Summary.Failed, b.Summary.TicketsLost)
	}
	// The alternative is the recommendation's best option, run in full.
	if !b.Summary.MonthlyWithSpikes.Equal(cmp.Recommendation.Best.MonthlyWithSpikes) {
		t.Errorf("alternative monthly %s, best option %s", b.Summary.MonthlyWithSpikes, cmp.Recommendation.Best.MonthlyWithSpikes)
	}
	// Same load: the demand of both runs is identical step by step.
	if len(a.Run.Timeline) != len(b.Run.Timeline) || a.Run.Totals.Demand != b.Run.Totals.Demand {
		t.Fatalf("timelines %d and %d steps, demand %v and %v", len(a.Run.Timeline), len(b.Run.Timeline), a.Run.Totals.Demand, b.Run.Totals.Demand)
	}
	var js bytes.Buffer
	if err := WriteComparison(&js, cmp, FormatJSON); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Current, Alternative struct {
			Label string
			Run   struct {
				Timeline []Point
				Summary  struct{ Failed float64 }
			}
		}
		Difference struct {
			MonthlyWithSpikes string `json:"monthly_with_spikes"`
		}
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Current.Run.Timeline) != 3600 || len(doc.Alternative.Run.Timeline) != 3600 || doc.Alternative.Run.Summary.Failed != 0 {
		t.Errorf("json: %d and %d points", len(doc.Current.Run.Timeline), len(doc.Alternative.Run.Timeline))
	}
	if want := "+" + b.Summary.MonthlyWithSpikes.Sub(a.Summary.MonthlyWithSpikes).StringFixed(2); doc.Difference.MonthlyWithSpikes != want {
		t.Errorf("difference %s, want %s", doc.Difference.MonthlyWithSpikes, want)
	}
	var cs bytes.Buffer
	if err := WriteComparison(&cs, cmp, FormatCSV); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&cs).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3601 || len(rows[0]) != 17 || rows[0][1] != "current_offered_rps" || rows[0][9] != "alternative_offered_rps" {
		t.Errorf("csv: %d rows, header %q", len(rows), rows[0])
	}
	var tb bytes.Buffer
	if err := WriteComparison(&tb, cmp, FormatTable); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"CURRENT", "RECOMMENDED", "tickets lost", "79330 of 80000", "0 of 80000", "267 instances", "monthly with 4 spike(s)"} {
		if !strings.Contains(tb.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, tb.String())
		}
	}
	// A second configuration of the group on the same load.
	s, _ := Preset("ticketing-spike")
	other := s.WithGroup(Group{Min: ip(20), Max: ip(40), Desired: ip(20)})
	bc, err := Resolve(productionGraph(t), other, catalog(t), "")
	if err != nil {
		t.Fatal(err)
	}
	cmp2, err := CompareConfigs(c, "current", bc, "min 20")
	if err != nil {
		t.Fatal(err)
	}
	if cmp2.Alternative.Result.Summary.Failed >= cmp2.Current.Result.Summary.Failed {
		t.Errorf("min 20 fails %v, current %v", cmp2.Alternative.Result.Summary.Failed, cmp2.Current.Result.Summary.Failed)
	}
	short := *bc
	short.Scenario.Duration = 600
	if _, err := CompareConfigs(c, "a", &short, "b"); err == nil {
		t.Error("runs of different lengths compared")
	}
}

func TestInstancesText(t *testing.T) {
	t.Parallel()
	if Instances(1) != "1 instance" || Instances(0) != "0 instances" || Instances(267) != "267 instances" {
		t.Error(Instances(1), Instances(0), Instances(267))
	}
}

// BenchmarkCompareTicketing is simulate --compare on the ticketing spike:
// the recommendation search, then both runs with their timelines.
func BenchmarkCompareTicketing(b *testing.B) {
	c := ticketing(b, productionGraph(b), nil)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := CompareRecommended(c); err != nil {
			b.Fatal(err)
		}
	}
}
