// Package plot draws a simulation timeline — demand, capacity in service,
// served and failed requests, and instances — as a PNG or SVG with gonum
// plot.
package plot

import (
	"fmt"
	"image/color"
	"io"
	"math"

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
		p.Y.Min = 0.1 // zero rates sit on the axis
	}
	for _, s := range ss {
		xy := bucket(pts, s)
		if logY {
			for i := range xy {
				xy[i].Y = math.Max(xy[i].Y, 0.1) // log axis: floor at 0.1
			}
		}
		l, err := plotter.NewLine(xy)
		if err != nil {
			return nil, fmt.Errorf("plot %s: %w", s.name, err)
		}
		l.Color = s.col
		l.Width = s.width
		if s.dash {
			l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		}
		p.Add(l)
		p.Legend.Add(s.name, l)
	}
	return p, nil
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
	}, false)
	if err != nil {
		return err
	}
	bottom.Y.Min = 0
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
