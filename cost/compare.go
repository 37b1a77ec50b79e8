package cost

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/shopspring/decimal"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// Change statuses of a ResourceDiff.
const (
	Added     = "added"
	Removed   = "removed"
	Changed   = "changed"
	Unchanged = "unchanged"
)

// ResourceDiff is the change of one resource's monthly cost.
type ResourceDiff struct {
	ID     string
	Kind   graph.Kind
	Status string
	Base   decimal.Decimal
	Head   decimal.Decimal
	Delta  decimal.Decimal
	// BaseEstimate and HeadEstimate are set when a component of the
	// resource on that side is an estimate.
	BaseEstimate, HeadEstimate bool
}

// Diff compares two estimates: base (the target branch) and head (the pull
// request).
type Diff struct {
	Currency  string
	BaseTotal decimal.Decimal
	HeadTotal decimal.Decimal
	Delta     decimal.Decimal
	// Percent is Delta / BaseTotal × 100 rounded to 2 places; nil when the
	// base costs nothing.
	Percent *decimal.Decimal
	// Resources that changed, sorted by kind order then id.
	Resources []ResourceDiff
	// NewUsageDependent lists components of head that depend on usage and
	// were not in base.
	NewUsageDependent []string
	// BaseEstimate and HeadEstimate are set when a figure of that side is
	// an estimate: outputs print "~" and the estimate note.
	BaseEstimate, HeadEstimate bool
}

// Estimate reports whether any figure of the comparison is an estimate.
func (d *Diff) Estimate() bool { return d.BaseEstimate || d.HeadEstimate }

// Compare returns the difference from base to head.
func Compare(base, head *Report) (*Diff, error) {
	if base.Currency != head.Currency {
		return nil, fmt.Errorf("compare: currencies %s and %s differ", base.Currency, head.Currency)
	}
	d := &Diff{Currency: head.Currency, BaseTotal: base.TotalMonthly, HeadTotal: head.TotalMonthly, BaseEstimate: base.HasEstimates(), HeadEstimate: head.HasEstimates()}
	d.Delta = head.TotalMonthly.Sub(base.TotalMonthly)
	if !base.TotalMonthly.IsZero() {
		p := d.Delta.Mul(decimal.NewFromInt(100)).Div(base.TotalMonthly).Round(2)
		d.Percent = &p
	}
	type pair struct {
		kind       graph.Kind
		base, head *Resource
	}
	byID := map[string]*pair{}
	for i := range base.Resources {
		r := &base.Resources[i]
		byID[r.ID] = &pair{kind: r.Kind, base: r}
	}
	for i := range head.Resources {
		r := &head.Resources[i]
		if p, ok := byID[r.ID]; ok {
			p.head = r
		} else {
			byID[r.ID] = &pair{kind: r.Kind, head: r}
		}
	}
	order := map[graph.Kind]int{}
	for i, k := range graph.Kinds {
		order[k] = i
	}
	for id, p := range byID {
		rd := ResourceDiff{ID: id, Kind: p.kind}
		if p.base != nil {
			rd.BaseEstimate = p.base.Estimate()
		}
		if p.head != nil {
			rd.HeadEstimate = p.head.Estimate()
		}
		switch {
		case p.base == nil:
			rd.Status, rd.Head = Added, p.head.Monthly
		case p.head == nil:
			rd.Status, rd.Base = Removed, p.base.Monthly
		default:
			rd.Base, rd.Head = p.base.Monthly, p.head.Monthly
			rd.Status = Unchanged
			if !rd.Base.Equal(rd.Head) {
				rd.Status = Changed
			}
		}
		rd.Delta = rd.Head.Sub(rd.Base)
		if rd.Status != Unchanged {
			d.Resources = append(d.Resources, rd)
		}
	}
	sort.Slice(d.Resources, func(i, j int) bool {
		a, b := d.Resources[i], d.Resources[j]
		if order[a.Kind] != order[b.Kind] {
			return order[a.Kind] < order[b.Kind]
		}
		return a.ID < b.ID
	})
	had := map[string]bool{}
	for _, u := range base.UsageDependent {
		had[u] = true
	}
	for _, u := range head.UsageDependent {
		if !had[u] {
			d.NewUsageDependent = append(d.NewUsageDependent, u)
		}
	}
	return d, nil
}

// Threshold is a --fail-on-increase gate: an amount of money a month or a
// percentage of the base.
type Threshold struct {
	Amount  decimal.Decimal
	Percent bool
}

// ParseThreshold reads "25", "25.50" (currency a month) or "10%".
func ParseThreshold(s string) (Threshold, error) {
	s = strings.TrimSpace(s)
	pct := strings.HasSuffix(s, "%")
	v, err := decimal.NewFromString(strings.TrimSuffix(s, "%"))
	if err != nil || v.IsNegative() {
		return Threshold{}, fmt.Errorf("threshold %q: want a non-negative amount or a percentage such as 10%%", s)
	}
	return Threshold{Amount: v, Percent: pct}, nil
}

// Exceeded reports whether the diff increases cost by more than t. A
// percentage of a zero base is exceeded by any increase.
func (t Threshold) Exceeded(d *Diff) bool {
	if !d.Delta.IsPositive() {
		return false
	}
	if !t.Percent {
		return d.Delta.GreaterThan(t.Amount)
	}
	if d.Percent == nil {
		return true
	}
	return d.Percent.GreaterThan(t.Amount)
}

func signed(d decimal.Decimal) string {
	if d.IsPositive() {
		return "+" + money(d)
	}
	return money(d)
}

func percentText(d *Diff) string {
	if d.Percent == nil {
		return "n/a"
	}
	if d.Percent.IsPositive() {
		return "+" + d.Percent.StringFixed(2) + "%"
	}
	return d.Percent.StringFixed(2) + "%"
}

type jsonResourceDiff struct {
	ID     string     `json:"id"`
	Kind   graph.Kind `json:"kind"`
	Status string     `json:"status"`
	Base   string     `json:"base_monthly"`
	Head   string     `json:"head_monthly"`
	Delta  string     `json:"delta_monthly"`
	// Estimate is set when a figure of the resource is an estimate.
	Estimate bool `json:"estimate"`
}

type jsonDiff struct {
	Currency          string             `json:"currency"`
	BaseTotal         string             `json:"base_total_monthly"`
	HeadTotal         string             `json:"head_total_monthly"`
	Delta             string             `json:"delta_monthly"`
	Percent           *string            `json:"delta_percent"`
	Resources         []jsonResourceDiff `json:"resources"`
	NewUsageDependent []string           `json:"new_usage_dependent"`
	Estimate          bool               `json:"estimate"`
	Footnotes         []string           `json:"footnotes"`
}

// WriteDiff writes the comparison in format (table, json, csv or markdown).
func WriteDiff(w io.Writer, d *Diff, format string) error {
	var buf bytes.Buffer
	est := d.Estimate()
	// Figures of each side, "~" before an estimate; a delta is one when
	// either side is.
	base := func(r ResourceDiff) string { return approx(money(r.Base), r.BaseEstimate) }
	head := func(r ResourceDiff) string { return approx(money(r.Head), r.HeadEstimate) }
	delta := func(r ResourceDiff) string { return approx(signed(r.Delta), r.BaseEstimate || r.HeadEstimate) }
	baseTotal, headTotal := approx(money(d.BaseTotal), d.BaseEstimate), approx(money(d.HeadTotal), d.HeadEstimate)
	totalDelta := approx(signed(d.Delta), est)
	switch format {
	case FormatJSON:
		jd := jsonDiff{Currency: d.Currency, BaseTotal: money(d.BaseTotal), HeadTotal: money(d.HeadTotal), Delta: money(d.Delta),
			Resources: []jsonResourceDiff{}, NewUsageDependent: append([]string{}, d.NewUsageDependent...), Estimate: est, Footnotes: []string{}}
		if est {
			jd.Footnotes = append(jd.Footnotes, EstimateNote)
		}
		if d.Percent != nil {
			p := d.Percent.StringFixed(2)
			jd.Percent = &p
		}
		for _, r := range d.Resources {
			jd.Resources = append(jd.Resources, jsonResourceDiff{r.ID, r.Kind, r.Status, money(r.Base), money(r.Head), money(r.Delta), r.BaseEstimate || r.HeadEstimate})
		}
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		if err := enc.Encode(jd); err != nil {
			return fmt.Errorf("write cost diff: %w", err)
		}
	case FormatCSV:
		// Amounts stay numbers; the last column marks estimates, and the
		// note is a row of its own (as in cost's CSV).
		fmt.Fprintln(&buf, "resource,kind,status,base_monthly,head_monthly,delta_monthly,estimate")
		for _, r := range d.Resources {
			fmt.Fprintf(&buf, "%s,%s,%s,%s,%s,%s,%s\n", csvField(r.ID), r.Kind, r.Status, money(r.Base), money(r.Head), money(r.Delta), approx("", r.BaseEstimate || r.HeadEstimate))
		}
		fmt.Fprintf(&buf, "total,,,%s,%s,%s,%s\n", money(d.BaseTotal), money(d.HeadTotal), money(d.Delta), approx("", est))
		if est {
			fmt.Fprintf(&buf, "note,,%s,,,,~\n", csvField(EstimateNote))
		}
	case FormatMarkdown:
		fmt.Fprintf(&buf, "### Monthly cost change: %s %s (%s)\n\n", totalDelta, d.Currency, percentText(d))
		fmt.Fprintf(&buf, "%s → %s %s a month.\n\n", baseTotal, headTotal, d.Currency)
		if len(d.Resources) > 0 {
			fmt.Fprintln(&buf, "| Resource | Change | Before | After | Delta |")
			fmt.Fprintln(&buf, "|---|---|---:|---:|---:|")
			for _, r := range d.Resources {
				fmt.Fprintf(&buf, "| `%s` %s | %s | %s | %s | %s |\n", mdEscape(r.ID), r.Kind, r.Status, base(r), head(r), delta(r))
			}
		}
		if len(d.NewUsageDependent) > 0 {
			fmt.Fprintf(&buf, "\nNew components that depend on usage: `%s`.\n", strings.Join(d.NewUsageDependent, "`, `"))
		}
		if est {
			fmt.Fprintf(&buf, "\n%s\n", mdEscape(EstimateNote))
		}
	case FormatTable, "", "text":
		fmt.Fprintf(&buf, "Monthly cost: %s → %s %s (%s %s, %s)\n\n", baseTotal, headTotal, d.Currency, totalDelta, d.Currency, percentText(d))
		var tb bytes.Buffer
		tw := tabwriter.NewWriter(&tb, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "RESOURCE\tCHANGE\tBEFORE\tAFTER\tDELTA\t")
		for _, r := range d.Resources {
			fmt.Fprintf(tw, "%s (%s)\t%s\t%s\t%s\t%s\t\n", r.ID, r.Kind, r.Status, base(r), head(r), delta(r))
		}
		tw.Flush()
		buf.Write(trimLines(tb.Bytes()))
		for _, u := range d.NewUsageDependent {
			fmt.Fprintf(&buf, "new, depends on usage: %s\n", u)
		}
		if est {
			fmt.Fprintf(&buf, "\n%s\n", EstimateNote)
		}
	default:
		return fmt.Errorf("unknown cost format %q (want %s)", format, strings.Join(Formats(), ", "))
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write cost diff: %w", err)
	}
	return nil
}

func csvField(s string) string {
	if strings.ContainsAny(s, ",\"\n") {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}
