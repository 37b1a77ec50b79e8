package simulate

import (
	"io"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseScenarioFiles(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file      string
		name      string
		phases    int
		step      int
		detailed  bool
		scheduled int
	}{
		{"testdata/ticketing-detailed.yaml", "ticketing-spike-detailed", 1, 1, true, 0},
		{"testdata/steady-day.yaml", "steady-day", 2, 10, false, 2},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			f, err := os.Open(tt.file)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			s, err := ParseScenario(f, tt.file)
			if err != nil {
				t.Fatal(err)
			}
			got := []any{s.Name, len(s.Load.Phases), s.Step, s.Group.DetailedMonitoring != nil && *s.Group.DetailedMonitoring, len(s.Group.ScheduledActions)}
			want := []any{tt.name, tt.phases, tt.step, tt.detailed, tt.scheduled}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			// Every scenario resolves and runs against the production group.
			c, err := Resolve(productionGraph(t), s, catalog(t), "")
			if err != nil {
				t.Fatal(err)
			}
			if r := Execute(c, false); r.Run.Totals.Offered <= 0 {
				t.Error("nothing offered")
			}
		})
	}
}

func TestParseScenarioErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"empty", "", "empty scenario"},
		{"no version", "name: x\nduration: 10\n", `version "": want "1"`},
		{"unknown field", "version: \"1\"\nduration: 10\nspeed: 3\n", "field speed not found"},
		{"no duration", "version: \"1\"\n", "s.yaml:1: duration: must be positive"},
		// Issue 13: this panicked with a decimal division by zero.
		{"step longer than duration", "version: \"1\"\nduration: 1\nstep: 20\n", "s.yaml:3: step: 20 seconds is longer than duration (1)"},
		{"absurd rps", "version: \"1\"\nduration: 10\nload:\n  phases:\n    - start: 0\n      duration: 5\n      rps: 1e300\n", "s.yaml:7: load.phases[0].rps: must be 0 to 1e+12"},
		{"nan", "version: \"1\"\nduration: 10\ncapacity:\n  rps_per_instance: .nan\n", "s.yaml:4: capacity.rps_per_instance"},
		{"min above max", "version: \"1\"\nduration: 10\ngroup:\n  max: 2\n  min: 3\n", "s.yaml:5: group.min: 3 is above group.max (2)"},
		{"too many steps", "version: \"1\"\nduration: 999999999\n", "exceeds"},
		{"retry share", "version: \"1\"\nduration: 10\nload: {retry_share: 1.5}\n", "retry_share"},
		{"bad phase", "version: \"1\"\nduration: 10\nload: {phases: [{start: 0, duration: 0}]}\n", "load.phases[0]"},
		{"bad metric", "version: \"1\"\nduration: 10\ngroup: {metric: memory}\n", "group.metric"},
		{"negative min", "version: \"1\"\nduration: 10\ngroup: {min: -1}\n", "s.yaml:3: group.min: must be 0 to 100000, not -1"},
		{"too large", "version: \"1\"\nduration: 10\nname: &a x\n" + strings.Repeat("x", MaxScenarioSize), "larger than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseScenario(strings.NewReader(tt.in), "s.yaml")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestResolveErrors(t *testing.T) {
	t.Parallel()
	for name, mutate := range map[string]func(*Scenario){
		"max below min": func(s *Scenario) { s.Group.Min, s.Group.Max = ip(5), ip(2) },
		"unknown group": func(s *Scenario) { s.Group.Name = "nope" },
		"unpriced type": func(s *Scenario) { s.Group.InstanceType = "x9.huge" },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s, _ := Preset("ticketing-spike")
			mutate(s)
			if _, err := Resolve(productionGraph(t), s, catalog(t), ""); err == nil {
				t.Error("resolved")
			}
		})
	}
	if _, err := Preset("nope"); err == nil {
		t.Error("unknown preset accepted")
	}
}

func TestPresetFigures(t *testing.T) {
	t.Parallel()
	s, err := Preset("ticketing-spike")
	if err != nil {
		t.Fatal(err)
	}
	c, err := Resolve(nil, s, catalog(t), "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	// 80,000 tickets × 5 page loads / 300 s = 1,333.33 req/s on top of the
	// yearly average 1,000,000 × 5 / 31,536,000 = 0.16 req/s.
	if got := c.demandAt(700); got < 1333.49-0.01 || got > 1333.49+0.01 {
		t.Errorf("demand during the sale = %.3f", got)
	}
	if got := c.demandAt(0); got != 0.16 {
		t.Errorf("baseline = %v", got)
	}
}

func FuzzParseScenario(f *testing.F) {
	for _, p := range []string{"testdata/ticketing-detailed.yaml", "testdata/steady-day.yaml"} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	cat, err := catalogFor()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, in string) {
		s, err := ParseScenario(strings.NewReader(in), "f.yaml")
		if err != nil {
			return
		}
		// Keep fuzzed runs short.
		if s.Duration/s.Step > 20000 {
			return
		}
		c, err := Resolve(nil, s, cat, "us-east-1")
		if err != nil {
			return
		}
		r := Execute(c, true)
		for _, f := range Formats() {
			if err := Write(io.Discard, r, f); err != nil {
				t.Fatalf("write %s: %v", f, err)
			}
		}
	})
}
