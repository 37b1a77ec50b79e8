// Package plot draws a simulation timeline — demand, capacity in service,
// served and failed requests, and instances — as a PNG or SVG with gonum
// plot.
package plot

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"
	"strings"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/vpcgate/vpcgate/cost/simulate"
)

// Formats of Timeline.
const (
	PNG = "png"
	SVG = "svg"
)

// MaxPoints bounds the points drawn per series; longer timelines are
// bucketed (the maximum of each bucket, so spikes stay visible).
const MaxPoints = 1500

type series struct {
	name  string
	col   color.RGBA
	dash  bool
	width vg.Length
	value func(simulate.Point) float64
}

// bucket reduces pts to at most MaxPoints by taking, for each series, the
// largest value in each bucket of consecutive steps.
func bucket(pts []simulate.Point, s series) plotter.XYs {
	n := len(pts)
	size := (n + MaxPoints - 1) / MaxPoints
	if size < 1 {
		size = 1
	}
	out := make(plotter.XYs, 0, (n+size-1)/size)
	for i := 0; i < n; i += size {
		v := math.Inf(-1)
		for j := i; j < i+size && j < n; j++ {
			v = math.Max(v, s.value(pts[j]))
		}
		out = append(out, plotter.XY{X: float64(pts[i].T) / 60, Y: v})
	}
	return out
}

func panel(title, ylabel string, pts []simulate.Point, ss []series, logY bool) (*gplot.Plot, error) {
	p := gplot.New()
	p.Title.Text = title
	p.X.Label.Text = "minutes from start"
	p.Y.Label.Text = ylabel
	p.Legend.Top = true
	p.Legend.Left = false
	p.Legend.XOffs = -vg.Points(8)
	p.Legend.YOffs = -vg.Points(8)
	p.Legend.Padding = vg.Points(2)
	p.X.Tick.Marker = minuteTicks{}
	p.Add(plotter.NewGrid())
	if logY {
		p.Y.Scale = gplot.LogScale{}
		p.Y.Tick.Marker = gplot.LogTicks{Prec: -1}
		p.Y.Min = 0.1
	}
	for _, s := range ss {
		xy := bucket(pts, s)
		// A log axis has no zero: a series is drawn only where it is
		// above zero (no failures draws nothing, not a line along the
		// floor that reads as failures).
		segs := []plotter.XYs{xy}
		if logY {
			segs = positiveRuns(xy)
		}
		var first *plotter.Line
		for _, seg := range segs {
			l, err := plotter.NewLine(seg)
			if err != nil {
				return nil, fmt.Errorf("plot %s: %w", s.name, err)
			}
			l.Color = s.col
			l.Width = s.width
			if s.dash {
				l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
			}
			p.Add(l)
			if first == nil {
				first = l
			}
		}
		if first == nil {
			// Never above zero: listed in the legend as such.
			l := &plotter.Line{LineStyle: draw.LineStyle{Color: s.col, Width: s.width}}
			if s.dash {
				l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
			}
			p.Legend.Add(s.name+" (none)", l)
			continue
		}
		p.Legend.Add(s.name, first)
	}
	return p, nil
}

// positiveRuns splits a series into the runs of points above zero; a
// single point run is widened to a short flat segment so it shows.
func positiveRuns(xy plotter.XYs) []plotter.XYs {
	var out []plotter.XYs
	var cur plotter.XYs
	flush := func() {
		if len(cur) == 1 {
			cur = append(cur, plotter.XY{X: cur[0].X + 1.0/60, Y: cur[0].Y})
		}
		if len(cur) > 0 {
			out = append(out, cur)
		}
		cur = nil
	}
	for _, p := range xy {
		if p.Y > 0 {
			cur = append(cur, plotter.XY{X: p.X, Y: math.Max(p.Y, 0.1)})
		} else {
			flush()
		}
	}
	flush()
	return out
}

// instanceTicks labels an instance axis at whole instances only, "1
// instance" spelled out: about six labels, or 1, 2, 5, 10, 20, 50… on a
// log axis.
type instanceTicks struct{ log bool }

// Ticks implements plot.Ticker.
func (t instanceTicks) Ticks(lo, hi float64) []gplot.Tick {
	lbl := func(v float64) string {
		if v == 1 {
			return "1 instance"
		}
		return strconv.Itoa(int(v))
	}
	var out []gplot.Tick
	if t.log {
		for dec := 1.0; dec <= hi; dec *= 10 {
			for _, m := range []float64{1, 2, 5} {
				if v := dec * m; v >= lo && v <= hi {
					out = append(out, gplot.Tick{Value: v, Label: lbl(v)})
				}
			}
		}
		return out
	}
	lo = math.Max(0, math.Floor(lo))
	step := 1.0
	for _, s := range []float64{1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000} {
		step = s
		if (hi-lo)/s <= 6 {
			break
		}
	}
	for v := math.Ceil(lo/step) * step; v <= hi+1e-9; v += step {
		out = append(out, gplot.Tick{Value: v, Label: lbl(v)})
	}
	return out
}

// Timeline writes the plot of a run in format png or svg: requests a second
// (log scale) above, instances below.
func Timeline(w io.Writer, r *simulate.Result, format string) error {
	pts := r.Run.Timeline
	if len(pts) == 0 {
		return fmt.Errorf("plot: empty timeline")
	}
	title := fmt.Sprintf("%s — %s %d–%d × %s", r.Config.Scenario.Name, orDefault(r.Config.Group), r.Config.Min, r.Config.Max, r.Config.InstanceType)
	top, err := panel(title, "requests per second (log)", pts, []series{
		{name: "offered (with retries)", col: color.RGBA{R: 31, G: 119, B: 180, A: 255}, width: vg.Points(1.5), value: func(p simulate.Point) float64 { return p.OfferedRPS }},
		{name: "capacity in service", col: color.RGBA{R: 44, G: 160, B: 44, A: 255}, width: vg.Points(2), dash: true, value: func(p simulate.Point) float64 { return p.CapacityRPS }},
		{name: "served", col: color.RGBA{R: 0, G: 0, B: 0, A: 255}, width: vg.Points(1), value: func(p simulate.Point) float64 { return p.ServedRPS }},
		{name: "failed", col: color.RGBA{R: 214, G: 39, B: 40, A: 255}, width: vg.Points(1), value: func(p simulate.Point) float64 { return p.FailedRPS }},
	}, true)
	if err != nil {
		return err
	}
	bottom, err := panel("instances", "instances", pts, []series{
		{name: "in service", col: color.RGBA{R: 44, G: 160, B: 44, A: 255}, width: vg.Points(2), value: func(p simulate.Point) float64 { return float64(p.InService) }},
		{name: "desired", col: color.RGBA{R: 255, G: 127, B: 14, A: 255}, width: vg.Points(1.5), dash: true, value: func(p simulate.Point) float64 { return float64(p.Desired) }},
		{name: "pending", col: color.RGBA{R: 148, G: 103, B: 189, A: 255}, width: vg.Points(1), value: func(p simulate.Point) float64 { return float64(p.Pending) }},
	}, wideInstances(pts))
	if err != nil {
		return err
	}
	instanceAxis(bottom, wideInstances(pts), pts)
	return render(w, format, top, bottom)
}

// instanceAxis starts the instance panel at zero and leaves room above the
// largest count; when the counts span more than a factor of 20 (2 at rest,
// 267 pre-warmed) the axis is logarithmic, still in whole instances, so
// the small counts stay readable.
func instanceAxis(p *gplot.Plot, log bool, ptss ...[]simulate.Point) {
	peak := 1
	for _, pts := range ptss {
		for _, pt := range pts {
			peak = max(peak, pt.InService, pt.Desired, pt.Pending)
		}
	}
	if log {
		p.Y.Tick.Marker = instanceTicks{log: true}
		p.Y.Min = 0.8
		p.Y.Max = float64(peak) * 1.3
		p.Y.Label.Text = "instances (log)"
		return
	}
	p.Y.Tick.Marker = instanceTicks{}
	p.Y.Min = 0
	p.Y.Max = math.Max(float64(peak)*1.1, float64(peak)+1)
}

// wideInstances reports whether the instances in service span more than a
// factor of 20.
func wideInstances(ptss ...[]simulate.Point) bool {
	peak, low := 1, math.MaxInt
	for _, pts := range ptss {
		for _, pt := range pts {
			peak = max(peak, pt.InService, pt.Desired)
			if pt.InService > 0 {
				low = min(low, pt.InService)
			}
		}
	}
	return low != math.MaxInt && peak/low > 20
}

// render draws two panels one above the other.
func render(w io.Writer, format string, top, bottom *gplot.Plot) error {
	width, height := vg.Points(900), vg.Points(640)
	var canvas vg.CanvasWriterTo
	switch format {
	case PNG:
		canvas = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(96), vgimg.UseBackgroundColor(color.White))}
	case SVG:
		canvas = vgsvg.New(width, height)
	default:
		return fmt.Errorf("plot: unknown format %q (want png or svg)", format)
	}
	dc := draw.New(canvas)
	tiles := draw.Tiles{Rows: 2, Cols: 1, PadX: vg.Points(10), PadY: vg.Points(14), PadTop: vg.Points(6), PadBottom: vg.Points(6), PadLeft: vg.Points(6), PadRight: vg.Points(12)}
	canvases := gplot.Align([][]*gplot.Plot{{top}, {bottom}}, tiles, dc)
	top.Draw(canvases[0][0])
	bottom.Draw(canvases[1][0])
	if _, err := canvas.WriteTo(w); err != nil {
		return fmt.Errorf("plot: write %s: %w", format, err)
	}
	return nil
}

func orDefault(s string) string {
	if s == "" {
		return "default group"
	}
	return s
}

// minuteTicks labels the time axis in whole minutes, about ten labels.
type minuteTicks struct{}

// Ticks implements plot.Ticker.
func (minuteTicks) Ticks(lo, hi float64) []gplot.Tick {
	span := hi - lo
	step := 1.0
	for _, s := range []float64{1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440} {
		step = s
		if span/s <= 12 {
			break
		}
	}
	var out []gplot.Tick
	for v := math.Ceil(lo/step) * step; v <= hi+1e-9; v += step {
		out = append(out, gplot.Tick{Value: v, Label: fmt.Sprintf("%.0f", v)})
	}
	return out
}

// Comparison writes the plot of two runs on the same load: requests a
// second (log scale: the offered load, each run's capacity in service
// and failed requests) above, each run's instances in service below.
func Comparison(w io.Writer, c *simulate.Comparison, format string) error {
	a, b := c.Current.Result, c.Alternative.Result
	pa, pb := a.Run.Timeline, b.Run.Timeline
	if len(pa) == 0 || len(pb) == 0 {
		return fmt.Errorf("plot: empty timeline")
	}
	if len(pa) != len(pb) {
		return fmt.Errorf("plot: the runs have %d and %d steps", len(pa), len(pb))
	}
	la, lb := label(c.Current.Label), label(c.Alternative.Label)
	// Series of the second run read its points by index.
	both := make([]simulate.Point, len(pa))
	copy(both, pa)
	idx := map[int]int{}
	for i, p := range pa {
		idx[p.T] = i
	}
	other := func(f func(simulate.Point) float64) func(simulate.Point) float64 {
		return func(p simulate.Point) float64 { return f(pb[idx[p.T]]) }
	}
	blue := color.RGBA{R: 31, G: 119, B: 180, A: 255}
	green := color.RGBA{R: 44, G: 160, B: 44, A: 255}
	red := color.RGBA{R: 214, G: 39, B: 40, A: 255}
	orange := color.RGBA{R: 255, G: 127, B: 14, A: 255}
	purple := color.RGBA{R: 148, G: 103, B: 189, A: 255}
	title := fmt.Sprintf("%s — %s vs %s", a.Config.Scenario.Name, la, lb)
	top, err := panel(title, "requests per second (log)", both, []series{
		{name: "offered (" + la + ", with retries)", col: blue, width: vg.Points(1.5), value: func(p simulate.Point) float64 { return p.OfferedRPS }},
		{name: "capacity, " + la, col: green, width: vg.Points(2), value: func(p simulate.Point) float64 { return p.CapacityRPS }},
		{name: "capacity, " + lb, col: purple, width: vg.Points(2), dash: true, value: other(func(p simulate.Point) float64 { return p.CapacityRPS })},
		{name: "failed, " + la, col: red, width: vg.Points(1.2), value: func(p simulate.Point) float64 { return p.FailedRPS }},
		{name: "failed, " + lb, col: orange, width: vg.Points(1.2), dash: true, value: other(func(p simulate.Point) float64 { return p.FailedRPS })},
	}, true)
	if err != nil {
		return err
	}
	bottom, err := panel("instances in service", "instances", both, []series{
		{name: la, col: green, width: vg.Points(2), value: func(p simulate.Point) float64 { return float64(p.InService) }},
		{name: lb, col: purple, width: vg.Points(2), dash: true, value: other(func(p simulate.Point) float64 { return float64(p.InService) })},
	}, wideInstances(pa, pb))
	if err != nil {
		return err
	}
	instanceAxis(bottom, wideInstances(pa, pb), pa, pb)
	return render(w, format, top, bottom)
}

// label shortens a side's label to its first words.
func label(s string) string {
	if i := strings.Index(s, ":"); i > 0 {
		return s[:i]
	}
	return s
}
