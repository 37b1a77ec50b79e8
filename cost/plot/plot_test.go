package plot

import (
	"bytes"
	"image/png"
	"strings"
	"testing"

	"github.com/vpcgate/vpcgate/cost/prices"
	"github.com/vpcgate/vpcgate/cost/simulate"
)

func result(t *testing.T, duration int) *simulate.Result {
	t.Helper()
	s, err := simulate.Preset("ticketing-spike")
	if err != nil {
		t.Fatal(err)
	}
	s.Duration = duration
	cat, err := prices.Default()
	if err != nil {
		t.Fatal(err)
	}
	c, err := simulate.Resolve(nil, s, cat, "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	return simulate.Execute(c, true)
}

func TestTimeline(t *testing.T) {
	t.Parallel()
	r := result(t, 3600)
	t.Run("png", func(t *testing.T) {
		t.Parallel()
		var a, b bytes.Buffer
		if err := Timeline(&a, r, PNG); err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(a.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		if got := img.Bounds().Dx(); got != 1200 { // 900 pt at 96 dpi
			t.Errorf("width = %d px", got)
		}
		if err := Timeline(&b, r, PNG); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Error("PNG not deterministic")
		}
	})
	t.Run("svg", func(t *testing.T) {
		t.Parallel()
		var buf bytes.Buffer
		if err := Timeline(&buf, r, SVG); err != nil {
			t.Fatal(err)
		}
		svg := buf.String()
		for _, want := range []string{"<svg", "capacity in service", "offered (with retries)", "minutes from start", "instances"} {
			if !strings.Contains(svg, want) {
				t.Errorf("svg lacks %q", want)
			}
		}
	})
	if err := Timeline(&bytes.Buffer{}, r, "gif"); err == nil {
		t.Error("unknown format accepted")
	}
}

func TestBucket(t *testing.T) {
	t.Parallel()
	pts := make([]simulate.Point, 3*MaxPoints)
	for i := range pts {
		pts[i] = simulate.Point{T: i, OfferedRPS: float64(i % 3)}
	}
	xy := bucket(pts, series{value: func(p simulate.Point) float64 { return p.OfferedRPS }})
	if len(xy) != MaxPoints {
		t.Fatalf("%d points, want %d", len(xy), MaxPoints)
	}
	for _, p := range xy {
		if p.Y != 2 { // the largest of each bucket of three
			t.Fatalf("bucket value %v, want 2", p.Y)
		}
	}
}

func TestComparisonPlot(t *testing.T) {
	t.Parallel()
	r := result(t, 3600)
	cmp, err := simulate.CompareRecommended(r.Config)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Comparison(&buf, cmp, SVG); err != nil {
		t.Fatal(err)
	}
	svg := buf.String()
	for _, want := range []string{"current vs recommended", "capacity, current", "capacity, recommended", "failed, current",
		// The recommendation fails nothing: listed as such, never drawn
		// along the log axis's floor.
		"failed, recommended (none)", "instances in service", "1 instance"} {
		if !strings.Contains(svg, want) {
			t.Errorf("svg lacks %q", want)
		}
	}
	var a, b bytes.Buffer
	if err := Comparison(&a, cmp, PNG); err != nil {
		t.Fatal(err)
	}
	if err := Comparison(&b, cmp, PNG); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("PNG not deterministic")
	}
}

func TestInstanceTicks(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		t      instanceTicks
		lo, hi float64
		want   string
	}{
		{instanceTicks{}, 0, 4.4, "0,1 instance,2,3,4"},
		{instanceTicks{}, 0, 30, "0,5,10,15,20,25,30"},
		{instanceTicks{log: true}, 0.8, 350, "1 instance,2,5,10,20,50,100,200"},
	} {
		var got []string
		for _, tk := range tc.t.Ticks(tc.lo, tc.hi) {
			if tk.Value != float64(int(tk.Value)) {
				t.Errorf("tick %v is not a whole instance", tk.Value)
			}
			got = append(got, tk.Label)
		}
		if strings.Join(got, ",") != tc.want {
			t.Errorf("ticks(%v, %v) = %v, want %s", tc.lo, tc.hi, got, tc.want)
		}
	}
}
