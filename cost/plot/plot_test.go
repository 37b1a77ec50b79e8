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
