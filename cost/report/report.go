// Package report builds the finance report of an architecture: its monthly
// cost by tier and component with the range Auto Scaling allows, what
// depends on usage and which usage file entry would settle it, the spike
// simulation of the current configuration beside the recommended one with
// their plot, the tickets a spike loses and what they are worth, and what
// the recommendation costs a month. The same content is written as one
// self-contained HTML file (inline CSS, the plot as inline SVG, no script,
// font or stylesheet to fetch) or as Markdown.
//
// Every cost figure is the figure of the cost.Report the engine's snapshot
// holds, formatted as `vpcgate cost` formats it (two decimals, "~" before
// an estimate), so the report and `cost --format json` agree by
// construction; the report adds sums (tiers, component kinds) only.
// Output is deterministic: the same input gives the same bytes.
package report

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/cost"
	"github.com/vpcgate/vpcgate/cost/plot"
	"github.com/vpcgate/vpcgate/cost/simulate"
)

// Formats of Write.
const (
	FormatHTML     = "html"
	FormatMarkdown = "markdown"
)

// Formats lists the output formats.
func Formats() []string { return []string{FormatHTML, FormatMarkdown} }

// Input is what a report is built from: one snapshot's graph and cost
// estimate, and the spike simulation run on the same graph.
type Input struct {
	// Costs is the snapshot's estimate (required).
	Costs *cost.Report
	// Graph is the snapshot's graph: it gives each resource its tier.
	Graph *graph.Graph
	// Spike is the simulation; nil leaves the spike section saying
	// NoSpikeReason.
	Spike         *Spike
	NoSpikeReason string
}

// Spike is the simulation of a spike: the current configuration, and the
// recommended change run on the same load when one serves it.
type Spike struct {
	// Comparison runs the current group and the recommended change side
	// by side; nil when no change tried serves the load.
	Comparison *simulate.Comparison
	// Current is the current group's run (Comparison.Current.Result when
	// Comparison is set), with its Recommendation.
	Current *simulate.Result
}

// Options configure a report.
type Options struct {
	// Title heads the report ("Cost report" when empty).
	Title string
	// Inputs are the paths the architecture was read from, as given.
	Inputs []string
	// UsageFile is the usage file the estimate used ("" when none).
	UsageFile string
	// TicketPrice values the tickets a spike loses, in the estimate's
	// currency; nil leaves them unvalued.
	TicketPrice *decimal.Decimal
}

// Report is a built report: every figure as it is printed.
type Report struct {
	Title     string
	Inputs    []string
	Currency  string
	Regions   string
	UsageFile string
	// Sources of the prices, "source, as of date".
	Sources  []string
	Warnings []string
	// Estimates is set when a figure is an estimate: the report carries
	// cost.EstimateNote.
	Estimates    bool
	EstimateNote string

	Total, TotalMin, TotalMax string
	// HasRange is set when the minimum and maximum differ from the total.
	HasRange bool
	Tiers    []Tier
	// Kinds sums the components by name across resources.
	Kinds    []Kind
	Pending  []Pending
	Unpriced []Unpriced

	Spike         *SpikeView
	NoSpikeReason string

	// svg is the comparison plot (or the current run's), without its XML
	// prolog; nil without a simulation.
	svg []byte
}

// Tier is the resources of one architectural tier.
type Tier struct {
	Key, Label        string
	Monthly, Min, Max string
	Resources         []Resource
}

// Resource is one priced resource.
type Resource struct {
	ID, Name, Kind, Region string
	Monthly                string
	// Min and Max are set for a scalable resource.
	Min, Max   string
	Components []Component
}

// Component is one priced part of a resource.
type Component struct {
	Name, Detail        string
	Quantity, UnitPrice string
	// Monthly is the figure, or cost.DependsOnUsage.
	Monthly  string
	Pending  bool
	Estimate bool
}

// Kind is the sum of one component name across resources.
type Kind struct {
	Name      string
	Monthly   string
	Resources int
	// Pending counts the components of this name that depend on usage.
	Pending    int
	components int
}

// Pending is a component that depends on usage, with the usage file entry
// that would price it.
type Pending struct {
	Resource, ResourceName, Component, Detail string
	UnitPrice                                 string
	// Key, Field and Unit name the usage file entry (Field "" when no
	// field of the usage file gives it).
	Key, Field, Unit string
}

// Snippet is the usage file fragment that settles the component.
func (p Pending) Snippet() string {
	if p.Field == "" {
		return ""
	}
	return fmt.Sprintf("resources:\n  %s:\n    %s: …", yamlKey(p.Key), p.Field)
}

// Unpriced is a resource the catalog cannot price.
type Unpriced struct{ ID, Kind, Reason string }

// SpikeView is the simulation as printed.
type SpikeView struct {
	Scenario string
	// Load describes the demand: "80,000 tickets in 300 s from t=600 s …".
	Load     string
	Window   string
	Region   string
	Notes    []string
	Current  Side
	Alt      *Side
	AltLabel string
	// Recommendation is the best change's description, "" when none
	// serves the load.
	Recommendation string
	// RecMonthly is the simulated parts' month with spikes under the
	// recommendation, RecDelta its difference from the current one.
	RecMonthly, RecDelta string
	Options              []OptionView
	SpikesPerMonth       int
	TicketPrice          string
	// LostValue is the current configuration's lost tickets valued at
	// the ticket price, a spike and a month; "" without a price.
	LostValueSpike, LostValueMonth string
	// SavedValueMonth is what the recommendation saves in lost tickets a
	// month; NetMonth that minus its extra cost.
	SavedValueMonth, NetMonth string
	// MonthCurrent and MonthRecommended are the architecture's monthly
	// total (the cost estimate) plus the spikes of a month at their
	// simulated extra cost, today and with the recommendation.
	MonthCurrent, MonthRecommended string
	Currency                       string
	Estimate                       bool
}

// Side is one configuration's run.
type Side struct {
	Label, Group                                           string
	PeakInService, CapacityMet, Failed, Tickets, Lost      string
	LostPerMonth                                           string
	SpikeCost, BaselineMonthly, MonthlyWithSpikes, PerTick string
}

// OptionView is one change the recommendation tried.
type OptionView struct {
	Kind, Description, Serves, Failed, SpikeCost, Monthly string
}

// money formats an amount as every cost output does (two decimals), with
// the thousands grouped for reading: 14,279,400.00.
func money(d decimal.Decimal) string { return grouped(d.StringFixed(2)) }

// grouped puts a comma between each group of three digits of the integer
// part of a decimal number: "-1234567.5" → "-1,234,567.5".
func grouped(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") {
		sign, s = s[:1], s[1:]
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, ch := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(ch)
	}
	if hasFrac {
		return sign + b.String() + "." + frac
	}
	return sign + b.String()
}

func approx(s string, estimate bool) string {
	if estimate {
		return "~" + s
	}
	return s
}

// tierOrder and labels: the tiers reach derives first, then what no tier
// claims, by the kind of resource.
var tierOrder = []struct{ key, label string }{
	{string(graph.TierEdge), "Edge: internet-facing load balancers"},
	{string(graph.TierApp), "Application"},
	{string(graph.TierData), "Data"},
	{string(graph.TierBastion), "Bastion and admin access"},
	{"network", "Network: NAT gateways, addresses, endpoints, transit"},
	{"storage", "Storage: volumes"},
	{"other", "Other"},
}

// tierOf is the tier of a resource: the tier reach derived for it, else
// one by its kind.
func tierOf(g *graph.Graph, res cost.Resource) string {
	if g != nil {
		if f := g.Facts.Nodes[res.ID]; f != nil && f.Tier != graph.TierNone {
			return string(f.Tier)
		}
	}
	switch res.Kind {
	case graph.KindDBInstance, graph.KindDBCluster:
		return string(graph.TierData)
	case graph.KindAutoScalingGroup, graph.KindECSService:
		return string(graph.TierApp)
	case graph.KindNATGateway, graph.KindEIP, graph.KindVPCEndpoint, graph.KindTransitGatewayAttachment, graph.KindLoadBalancer:
		return "network"
	case graph.KindVolume:
		return "storage"
	}
	return "other"
}

// Build builds the report; it fails only without a cost estimate or when
// the plot cannot be drawn.
func Build(in Input, opts Options) (*Report, error) {
	c := in.Costs
	if c == nil {
		return nil, fmt.Errorf("report: no cost estimate")
	}
	est := c.HasEstimates()
	r := &Report{
		Title: opts.Title, Inputs: append([]string(nil), opts.Inputs...), Currency: c.Currency, Regions: cost.RegionText(c),
		UsageFile: opts.UsageFile, Warnings: append([]string(nil), c.Warnings...), Estimates: est,
		Total: approx(money(c.TotalMonthly), est), TotalMin: approx(money(c.TotalMin), est), TotalMax: approx(money(c.TotalMax), est),
		HasRange:      !c.TotalMin.Equal(c.TotalMonthly) || !c.TotalMax.Equal(c.TotalMonthly),
		NoSpikeReason: in.NoSpikeReason,
	}
	if r.Title == "" {
		r.Title = "Cost report"
	}
	if est {
		r.EstimateNote = cost.EstimateNote
	}
	for _, s := range c.Sources {
		r.Sources = append(r.Sources, fmt.Sprintf("%s, as of %s", s.Source, s.AsOf))
	}
	type sums struct{ monthly, lo, hi decimal.Decimal }
	tierSums := map[string]*sums{}
	tiers := map[string]*Tier{}
	kinds := map[string]*Kind{}
	kindSum := map[string]decimal.Decimal{}
	kindEst := map[string]bool{}
	kindRes := map[string]map[string]bool{}
	for _, res := range c.Resources {
		key := tierOf(in.Graph, res)
		t := tiers[key]
		if t == nil {
			t = &Tier{Key: key}
			tiers[key] = t
			tierSums[key] = &sums{}
		}
		s := tierSums[key]
		s.monthly = s.monthly.Add(res.Monthly)
		lo, hi := res.Monthly, res.Monthly
		if res.MonthlyMin != nil && res.MonthlyMax != nil {
			lo, hi = *res.MonthlyMin, *res.MonthlyMax
		}
		s.lo, s.hi = s.lo.Add(lo), s.hi.Add(hi)
		rv := Resource{ID: res.ID, Name: res.Name, Kind: string(res.Kind), Region: res.Region, Monthly: approx(money(res.Monthly), res.Estimate())}
		if res.MonthlyMin != nil && res.MonthlyMax != nil {
			rv.Min, rv.Max = approx(money(*res.MonthlyMin), res.Estimate()), approx(money(*res.MonthlyMax), res.Estimate())
		}
		if rv.Name == rv.ID {
			rv.Name = ""
		}
		for _, comp := range res.Components {
			cv := Component{Name: comp.Name, Detail: comp.Detail, UnitPrice: approx(comp.UnitPrice.String(), comp.Estimate) + "/" + comp.Unit, Estimate: comp.Estimate}
			if comp.Quantity != nil {
				cv.Quantity = comp.Quantity.String() + " " + comp.Unit
			} else {
				cv.Quantity = "? " + comp.Unit
			}
			k := kinds[comp.Name]
			if k == nil {
				k = &Kind{Name: comp.Name}
				kinds[comp.Name] = k
				kindRes[comp.Name] = map[string]bool{}
			}
			kindRes[comp.Name][res.ID] = true
			k.components++
			if comp.Monthly != nil {
				cv.Monthly = approx(money(*comp.Monthly), comp.Estimate)
				kindSum[comp.Name] = kindSum[comp.Name].Add(*comp.Monthly)
				kindEst[comp.Name] = kindEst[comp.Name] || comp.Estimate
			} else {
				cv.Monthly, cv.Pending = cost.DependsOnUsage, true
				k.Pending++
				p := Pending{Resource: res.ID, ResourceName: rv.Name, Component: comp.Name, Detail: comp.Detail, UnitPrice: cv.UnitPrice}
				if st, ok := cost.SettledBy(res.ID, comp); ok {
					p.Key, p.Field, p.Unit = st.Key, st.Field, st.Unit
				}
				r.Pending = append(r.Pending, p)
			}
			rv.Components = append(rv.Components, cv)
		}
		t.Resources = append(t.Resources, rv)
	}
	for _, o := range tierOrder {
		t := tiers[o.key]
		if t == nil {
			continue
		}
		s := tierSums[o.key]
		t.Label = o.label
		est := false
		for _, res := range c.Resources {
			if tierOf(in.Graph, res) == o.key && res.Estimate() {
				est = true
			}
		}
		t.Monthly, t.Min, t.Max = approx(money(s.monthly), est), approx(money(s.lo), est), approx(money(s.hi), est)
		r.Tiers = append(r.Tiers, *t)
	}
	names := make([]string, 0, len(kinds))
	for n := range kinds {
		names = append(names, n)
	}
	// Largest first, then by name: what a finance reader asks first.
	sort.Slice(names, func(i, j int) bool {
		a, b := kindSum[names[i]], kindSum[names[j]]
		if !a.Equal(b) {
			return a.GreaterThan(b)
		}
		return names[i] < names[j]
	})
	for _, n := range names {
		k := kinds[n]
		k.Monthly = approx(money(kindSum[n]), kindEst[n])
		if k.Pending == k.components {
			k.Monthly = cost.DependsOnUsage
		}
		k.Resources = len(kindRes[n])
		r.Kinds = append(r.Kinds, *k)
	}
	for _, u := range c.Unpriced {
		r.Unpriced = append(r.Unpriced, Unpriced{ID: u.ID, Kind: string(u.Kind), Reason: u.Reason})
	}
	if in.Spike != nil {
		sv, svg, err := spikeView(in.Spike, opts, c.TotalMonthly, est)
		if err != nil {
			return nil, err
		}
		r.Spike, r.svg = sv, svg
		if sv.Estimate && !r.Estimates {
			// The run's prices are estimates though the month's are not.
			r.Estimates, r.EstimateNote = true, cost.EstimateNote
		}
	}
	return r, nil
}

// yamlKey quotes a usage file key that YAML would not read as the string
// it is (ARNs hold colons followed by no space, which YAML accepts; a key
// with ": " or a leading special character does not).
func yamlKey(k string) string {
	if k == "" || strings.ContainsAny(k[:1], "!&*?|>'\"%@`{}[],#-") || strings.Contains(k, ": ") || strings.Contains(k, " #") {
		return fmt.Sprintf("%q", k)
	}
	return k
}

func count(f float64) string { return grouped(fmt.Sprintf("%.0f", f)) }

func sideOf(label string, r *simulate.Result) Side {
	s := r.Summary
	est := r.Config.Estimates
	side := Side{
		Label: label, Group: groupText(r.Config),
		PeakInService: simulate.Instances(s.PeakInService), CapacityMet: capacityMet(r),
		Failed: count(s.Failed), Tickets: count(s.Tickets), Lost: count(s.TicketsLost),
		LostPerMonth: count(s.TicketsLost * float64(s.SpikesPerMonth)),
		SpikeCost:    approx(money(s.SpikeCost), est), BaselineMonthly: approx(money(s.BaselineMonthly), est),
		MonthlyWithSpikes: approx(money(s.MonthlyWithSpikes), est), PerTick: approx(s.CostPerTicket.StringFixed(6), est),
	}
	return side
}

func capacityMet(r *simulate.Result) string {
	if r.Run.Totals.DemandStart < 0 {
		return "throughout"
	}
	if r.Summary.SecondsToCapacity == nil {
		return "never"
	}
	return fmt.Sprintf("%d s after demand outgrew capacity", *r.Summary.SecondsToCapacity)
}

func groupText(c *simulate.Config) string {
	name := c.Group
	if name == "" {
		name = "default group"
	}
	s := fmt.Sprintf("%s: %d–%d (desired %d) × %s", name, c.Min, c.Max, c.Desired, c.InstanceType)
	if c.WarmPool != nil && c.WarmPool.Size > 0 {
		s += fmt.Sprintf(", warm pool of %d (%s)", c.WarmPool.Size, strings.ToLower(c.WarmPool.State))
	}
	for _, a := range c.ScheduledActions {
		var parts []string
		if a.Min != nil {
			parts = append(parts, fmt.Sprintf("min %d", *a.Min))
		}
		if a.Max != nil {
			parts = append(parts, fmt.Sprintf("max %d", *a.Max))
		}
		if a.Desired != nil {
			parts = append(parts, fmt.Sprintf("desired %d", *a.Desired))
		}
		s += fmt.Sprintf("; at t=%d s %s", a.At, strings.Join(parts, ", "))
	}
	return s
}

func loadText(c *simulate.Config) string {
	l := c.Scenario.Load
	var parts []string
	for _, p := range l.Phases {
		name := p.Name
		if name == "" {
			name = "phase"
		}
		switch {
		case p.Tickets > 0:
			parts = append(parts, fmt.Sprintf("%s: %s tickets in %d s from t=%d s (%g page loads a ticket)", name, count(p.Tickets), p.Duration, p.Start, l.PageLoadsPerTicket))
		case p.RPSEnd > 0:
			parts = append(parts, fmt.Sprintf("%s: %g → %g requests/s over %d s from t=%d s", name, p.RPS, p.RPSEnd, p.Duration, p.Start))
		default:
			parts = append(parts, fmt.Sprintf("%s: %g requests/s for %d s from t=%d s", name, p.RPS, p.Duration, p.Start))
		}
	}
	s := fmt.Sprintf("baseline %g requests/s", l.BaselineRPS)
	if len(parts) > 0 {
		s += "; " + strings.Join(parts, "; ")
	}
	if l.RetryShare > 0 {
		s += fmt.Sprintf("; %.0f%% of failed requests retried after %d s", l.RetryShare*100, l.RetryDelay)
	}
	return s + fmt.Sprintf("; %g requests/s per instance", c.Scenario.Capacity.RPSPerInstance)
}

func spikeView(sp *Spike, opts Options, total decimal.Decimal, totalEst bool) (*SpikeView, []byte, error) {
	cur := sp.Current
	if sp.Comparison != nil {
		cur = sp.Comparison.Current.Result
	}
	if cur == nil {
		return nil, nil, fmt.Errorf("report: spike without a run")
	}
	cfg := cur.Config
	s := cur.Summary
	est := cfg.Estimates
	v := &SpikeView{
		Scenario: cfg.Scenario.Name, Load: loadText(cfg),
		Window: fmt.Sprintf("%d s in %d-second steps", cfg.Scenario.Duration, cfg.Scenario.Step),
		Region: cfg.Region, Notes: append([]string(nil), cfg.Notes...),
		SpikesPerMonth: s.SpikesPerMonth, Currency: s.Currency, Estimate: est,
	}
	v.Current = sideOf("Current", cur)
	spikes := decimal.NewFromInt(int64(s.SpikesPerMonth))
	v.MonthCurrent = approx(money(total.Add(s.SpikeCost.Mul(spikes))), est || totalEst)
	rec := cur.Recommendation
	if sp.Comparison != nil && sp.Comparison.Recommendation != nil {
		rec = sp.Comparison.Recommendation
	}
	if rec != nil {
		for _, o := range rec.Options {
			ov := OptionView{Kind: o.Kind, Description: o.Description, Serves: "no", Failed: count(o.Failed), SpikeCost: approx(money(o.SpikeCost), est), Monthly: approx(money(o.MonthlyWithSpikes), est)}
			if o.Serves {
				ov.Serves = "yes"
			}
			if o.Kind == "none" || (o.SpikeCost.IsZero() && o.MonthlyWithSpikes.IsZero() && !o.Serves) {
				ov.Failed, ov.SpikeCost, ov.Monthly = "", "", ""
			}
			v.Options = append(v.Options, ov)
		}
	}
	var alt *simulate.Result
	if sp.Comparison != nil {
		alt = sp.Comparison.Alternative.Result
		side := sideOf(capitalize(firstWord(sp.Comparison.Alternative.Label)), alt)
		v.Alt = &side
		v.AltLabel = sp.Comparison.Alternative.Label
		if rec != nil && rec.Best != nil {
			v.Recommendation = capitalize(rec.Best.Description)
		}
		v.MonthRecommended = approx(money(total.Add(alt.Summary.SpikeCost.Mul(spikes))), est || totalEst)
		v.RecMonthly = approx(money(alt.Summary.MonthlyWithSpikes), est)
		v.RecDelta = approx(signed(alt.Summary.MonthlyWithSpikes.Sub(s.MonthlyWithSpikes)), est)
	}
	if p := opts.TicketPrice; p != nil {
		v.TicketPrice = money(*p)
		n := decimal.NewFromInt(int64(s.SpikesPerMonth))
		lost := decimal.NewFromFloat(s.TicketsLost)
		v.LostValueSpike = money(lost.Mul(*p))
		v.LostValueMonth = money(lost.Mul(*p).Mul(n))
		if alt != nil {
			saved := lost.Sub(decimal.NewFromFloat(alt.Summary.TicketsLost)).Mul(*p).Mul(n)
			v.SavedValueMonth = money(saved)
			extra := alt.Summary.MonthlyWithSpikes.Sub(s.MonthlyWithSpikes)
			v.NetMonth = approx(signed(saved.Sub(extra)), est)
		}
	}
	var buf bytes.Buffer
	var err error
	if sp.Comparison != nil {
		err = plot.Comparison(&buf, sp.Comparison, plot.SVG)
	} else {
		err = plot.Timeline(&buf, cur, plot.SVG)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("report: %w", err)
	}
	svg := buf.Bytes()
	if i := bytes.Index(svg, []byte("<svg")); i >= 0 {
		svg = svg[i:]
	}
	return v, bytes.TrimSpace(svg), nil
}

func firstWord(s string) string {
	if i := strings.Index(s, ":"); i > 0 {
		return s[:i]
	}
	return s
}

func signed(d decimal.Decimal) string {
	if d.IsPositive() {
		return "+" + money(d)
	}
	return money(d)
}

// SVG returns the plot as SVG (nil without a simulation).
func (r *Report) SVG() []byte { return bytes.Clone(r.svg) }

// Write writes the report in format html or markdown. plotRef is the
// name Markdown links the plot under (the caller writes r.SVG() there);
// "" leaves the plot out of the Markdown with a note.
func Write(w io.Writer, r *Report, format, plotRef string) error {
	var buf bytes.Buffer
	var err error
	switch format {
	case FormatHTML, "":
		err = writeHTML(&buf, r)
	case FormatMarkdown, "md":
		writeMarkdown(&buf, r, plotRef)
	default:
		return fmt.Errorf("report: unknown format %q (want %s)", format, strings.Join(Formats(), " or "))
	}
	if err != nil {
		return err
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
