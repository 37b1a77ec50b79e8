package cost

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/shopspring/decimal"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// Formats of Write.
const (
	FormatTable    = "table"
	FormatJSON     = "json"
	FormatCSV      = "csv"
	FormatMarkdown = "markdown"
)

// Formats lists the output formats.
func Formats() []string { return []string{FormatTable, FormatJSON, FormatCSV, FormatMarkdown} }

// money formats an amount with two decimals.
func money(d decimal.Decimal) string { return d.StringFixed(2) }

// approx prefixes "~" to an estimated figure.
func approx(s string, estimate bool) string {
	if estimate {
		return "~" + s
	}
	return s
}

// regionText says which regions the report prices in and why:
// "eu-west-1 (from the input)", "us-east-1 (default: nothing says)".
func regionText(r *Report) string {
	if len(r.Regions) == 0 {
		return r.Region
	}
	parts := make([]string, 0, len(r.Regions))
	for _, u := range r.Regions {
		why := map[string]string{
			RegionFromInput:   "from the input",
			RegionFromOption:  "from --region",
			RegionFromOthers:  "the region the rest of the input states",
			RegionFromDefault: "default: the input names no region",
		}[u.From]
		if len(r.Regions) > 1 {
			noun := "resources"
			if u.Resources == 1 {
				noun = "resource"
			}
			why = fmt.Sprintf("%d %s, %s", u.Resources, noun, why)
		}
		parts = append(parts, fmt.Sprintf("%s (%s)", u.Region, why))
	}
	return strings.Join(parts, ", ")
}

// sourceLines names the sources of the prices used.
func sourceLines(r *Report) []string {
	out := make([]string, 0, len(r.Sources))
	for _, s := range r.Sources {
		out = append(out, fmt.Sprintf("%s, as of %s", s.Source, s.AsOf))
	}
	return out
}

func optMoney(d *decimal.Decimal) *string {
	if d == nil {
		return nil
	}
	s := money(*d)
	return &s
}

func optDec(d *decimal.Decimal) *string {
	if d == nil {
		return nil
	}
	s := d.String()
	return &s
}

// JSON shapes (DESIGN section 7). Amounts are decimal strings.
type jsonComponent struct {
	Name           string  `json:"name"`
	Detail         string  `json:"detail,omitempty"`
	Unit           string  `json:"unit"`
	Quantity       *string `json:"quantity"`
	UnitPrice      string  `json:"unit_price"`
	Monthly        *string `json:"monthly"`
	UsageDependent bool    `json:"usage_dependent"`
	Estimate       bool    `json:"estimate"`
}

type jsonResource struct {
	ID         string          `json:"id"`
	Kind       graph.Kind      `json:"kind"`
	Name       string          `json:"name,omitempty"`
	Region     string          `json:"region"`
	Monthly    string          `json:"monthly"`
	Estimate   bool            `json:"estimate"`
	MonthlyMin *string         `json:"monthly_min,omitempty"`
	MonthlyMax *string         `json:"monthly_max,omitempty"`
	Components []jsonComponent `json:"components"`
}

type jsonUnpriced struct {
	ID     string     `json:"id"`
	Kind   graph.Kind `json:"kind"`
	Reason string     `json:"reason"`
}

type jsonRegion struct {
	Region    string `json:"region"`
	From      string `json:"from"`
	Resources int    `json:"resources"`
}

type jsonSource struct {
	Source string `json:"source"`
	AsOf   string `json:"as_of"`
}

type jsonReport struct {
	Region         string         `json:"region"`
	Regions        []jsonRegion   `json:"regions"`
	Currency       string         `json:"currency"`
	PricesAsOf     string         `json:"prices_as_of"`
	PriceSources   []jsonSource   `json:"price_sources"`
	Warnings       []string       `json:"warnings"`
	Footnotes      []string       `json:"footnotes"`
	Resources      []jsonResource `json:"resources"`
	TotalMonthly   string         `json:"total_monthly"`
	TotalMin       string         `json:"total_monthly_min"`
	TotalMax       string         `json:"total_monthly_max"`
	UsageDependent []string       `json:"usage_dependent"`
	Unpriced       []jsonUnpriced `json:"unpriced"`
}

func toJSON(r *Report) jsonReport {
	out := jsonReport{
		Region: r.Region, Currency: r.Currency, PricesAsOf: r.PricesAsOf,
		Resources:    []jsonResource{},
		TotalMonthly: money(r.TotalMonthly), TotalMin: money(r.TotalMin), TotalMax: money(r.TotalMax),
		UsageDependent: append([]string{}, r.UsageDependent...),
		Unpriced:       []jsonUnpriced{},
		Regions:        []jsonRegion{},
		PriceSources:   []jsonSource{},
		Warnings:       append([]string{}, r.Warnings...),
		Footnotes:      []string{},
	}
	for _, u := range r.Regions {
		out.Regions = append(out.Regions, jsonRegion(u))
	}
	for _, s := range r.Sources {
		out.PriceSources = append(out.PriceSources, jsonSource{Source: s.Source, AsOf: s.AsOf})
	}
	if r.HasEstimates() {
		out.Footnotes = append(out.Footnotes, EstimateNote)
	}
	for _, res := range r.Resources {
		jr := jsonResource{ID: res.ID, Kind: res.Kind, Name: res.Name, Region: res.Region, Monthly: money(res.Monthly), Estimate: res.Estimate(),
			MonthlyMin: optMoney(res.MonthlyMin), MonthlyMax: optMoney(res.MonthlyMax), Components: []jsonComponent{}}
		for _, c := range res.Components {
			jr.Components = append(jr.Components, jsonComponent{Name: c.Name, Detail: c.Detail, Unit: c.Unit,
				Quantity: optDec(c.Quantity), UnitPrice: c.UnitPrice.String(), Monthly: optMoney(c.Monthly), UsageDependent: c.UsageDependent, Estimate: c.Estimate})
		}
		out.Resources = append(out.Resources, jr)
	}
	for _, u := range r.Unpriced {
		out.Unpriced = append(out.Unpriced, jsonUnpriced(u))
	}
	return out
}

// Write writes the report in format (table, json, csv or markdown).
func Write(w io.Writer, r *Report, format string) error {
	var buf bytes.Buffer
	switch format {
	case FormatJSON:
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		if err := enc.Encode(toJSON(r)); err != nil {
			return fmt.Errorf("write cost json: %w", err)
		}
	case FormatCSV:
		cw := csv.NewWriter(&buf)
		_ = cw.Write([]string{"resource", "kind", "component", "detail", "unit", "quantity", "unit_price", "monthly", "usage_dependent", "currency", "region", "estimate"})
		for _, res := range r.Resources {
			for _, c := range res.Components {
				q, m := "", DependsOnUsage
				if c.Quantity != nil {
					q = c.Quantity.String()
				}
				if c.Monthly != nil {
					m = money(*c.Monthly)
				}
				_ = cw.Write([]string{res.ID, string(res.Kind), c.Name, c.Detail, c.Unit, q, c.UnitPrice.String(), m, fmt.Sprint(c.UsageDependent), r.Currency, res.Region, approx("", c.Estimate)})
			}
		}
		_ = cw.Write([]string{"total", "", "", "", "", "", "", money(r.TotalMonthly), "", r.Currency, "", approx("", r.HasEstimates())})
		// Footnote rows keep the column count: the text is in "detail".
		if r.HasEstimates() {
			_ = cw.Write([]string{"note", "", "", EstimateNote, "", "", "", "", "", "", "", "~"})
		}
		for _, w := range r.Warnings {
			_ = cw.Write([]string{"warning", "", "", w, "", "", "", "", "", "", "", ""})
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return fmt.Errorf("write cost csv: %w", err)
		}
	case FormatMarkdown:
		writeMarkdown(&buf, r)
	case FormatTable, "", "text":
		writeTable(&buf, r)
	default:
		return fmt.Errorf("unknown cost format %q (want %s)", format, strings.Join(Formats(), ", "))
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write cost report: %w", err)
	}
	return nil
}

func resourceLabel(res Resource) string {
	if res.Name != "" && res.Name != res.ID {
		return fmt.Sprintf("%s (%s, %s)", res.ID, res.Name, res.Kind)
	}
	return fmt.Sprintf("%s (%s)", res.ID, res.Kind)
}

func compRow(c Component) (name, qty, price, monthly string) {
	name = c.Name
	if c.Detail != "" {
		name += " [" + c.Detail + "]"
	}
	qty = "?"
	if c.Quantity != nil {
		qty = c.Quantity.String() + " " + c.Unit
	} else {
		qty = "? " + c.Unit
	}
	price = approx(c.UnitPrice.String(), c.Estimate) + "/" + c.Unit
	monthly = DependsOnUsage
	if c.Monthly != nil {
		monthly = approx(money(*c.Monthly), c.Estimate)
	}
	return
}

func rangeText(lo, hi *decimal.Decimal, estimate bool) string {
	if lo == nil || hi == nil {
		return ""
	}
	return fmt.Sprintf("%s – %s", approx(money(*lo), estimate), approx(money(*hi), estimate))
}

func writeTable(w *bytes.Buffer, r *Report) {
	fmt.Fprintf(w, "Monthly cost (%d h) in %s, prices in %s\n\n", HoursPerMonth, regionText(r), r.Currency)
	multi := len(r.Regions) > 1
	est := r.HasEstimates()
	var tb bytes.Buffer
	tw := tabwriter.NewWriter(&tb, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RESOURCE / COMPONENT\tQUANTITY\tUNIT PRICE\tMONTHLY\tMIN – MAX\t")
	for _, res := range r.Resources {
		label := resourceLabel(res)
		if multi {
			label += " " + res.Region
		}
		fmt.Fprintf(tw, "%s\t\t\t%s\t%s\t\n", label, approx(money(res.Monthly), res.Estimate()), rangeText(res.MonthlyMin, res.MonthlyMax, res.Estimate()))
		for _, c := range res.Components {
			name, qty, price, monthly := compRow(c)
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t\t\n", name, qty, price, monthly)
		}
	}
	fmt.Fprintf(tw, "TOTAL (%s)\t\t\t%s\t%s\t\n", r.Currency, approx(money(r.TotalMonthly), est), rangeText(&r.TotalMin, &r.TotalMax, est))
	tw.Flush()
	w.Write(trimLines(tb.Bytes()))
	if est {
		fmt.Fprintf(w, "\n%s\n", EstimateNote)
	}
	for _, wn := range r.Warnings {
		fmt.Fprintf(w, "\nWarning: %s\n", wn)
	}
	if lines := sourceLines(r); len(lines) > 0 {
		fmt.Fprintf(w, "\nPrices from:\n")
		for _, l := range lines {
			fmt.Fprintf(w, "  %s\n", l)
		}
	}
	if len(r.UsageDependent) > 0 {
		fmt.Fprintf(w, "\nDepends on usage (not in the total; give them with --usage):\n")
		for _, u := range r.UsageDependent {
			fmt.Fprintf(w, "  %s\n", u)
		}
	}
	if len(r.Unpriced) > 0 {
		fmt.Fprintf(w, "\nNot priced:\n")
		for _, u := range r.Unpriced {
			fmt.Fprintf(w, "  %s (%s): %s\n", u.ID, u.Kind, u.Reason)
		}
	}
}

func mdEscape(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

func writeMarkdown(w io.Writer, r *Report) {
	est := r.HasEstimates()
	fmt.Fprintf(w, "### Monthly cost: %s %s\n\n", approx(money(r.TotalMonthly), est), r.Currency)
	fmt.Fprintf(w, "Region %s, %d hours a month. Range with Auto Scaling at min and max: %s – %s %s.\n\n",
		regionText(r), HoursPerMonth, approx(money(r.TotalMin), est), approx(money(r.TotalMax), est), r.Currency)
	fmt.Fprintln(w, "| Resource | Component | Quantity | Unit price | Monthly |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|")
	for _, res := range r.Resources {
		for i, c := range res.Components {
			label := ""
			if i == 0 {
				label = "`" + mdEscape(res.ID) + "` " + string(res.Kind)
				if len(r.Regions) > 1 {
					label += " (" + res.Region + ")"
				}
			}
			name, qty, price, monthly := compRow(c)
			if c.Monthly == nil {
				monthly = "_" + monthly + "_"
			}
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", label, mdEscape(name), qty, price, monthly)
		}
	}
	fmt.Fprintf(w, "| **Total** | | | | **%s** |\n", approx(money(r.TotalMonthly), est))
	if est {
		fmt.Fprintf(w, "\n%s\n", mdEscape(EstimateNote))
	}
	for _, wn := range r.Warnings {
		fmt.Fprintf(w, "\n> **Warning:** %s\n", mdEscape(wn))
	}
	if len(r.UsageDependent) > 0 {
		fmt.Fprintf(w, "\n%d component(s) depend on usage and are not in the total: %s.\n", len(r.UsageDependent), "`"+strings.Join(r.UsageDependent, "`, `")+"`")
	}
	if len(r.Unpriced) > 0 {
		fmt.Fprintln(w, "\nNot priced:")
		for _, u := range r.Unpriced {
			fmt.Fprintf(w, "- `%s` (%s): %s\n", mdEscape(u.ID), u.Kind, u.Reason)
		}
	}
	if lines := sourceLines(r); len(lines) > 0 {
		fmt.Fprintf(w, "\nPrices from: %s.\n", mdEscape(strings.Join(lines, "; ")))
	}
}

// trimLines removes the padding tabwriter leaves at the end of lines.
func trimLines(b []byte) []byte {
	lines := bytes.Split(b, []byte("\n"))
	for i, l := range lines {
		lines[i] = bytes.TrimRight(l, " ")
	}
	return bytes.Join(lines, []byte("\n"))
}

// RegionText says which regions the report prices in and why, as every
// output of cost prints it: "eu-west-1 (from the input)".
func RegionText(r *Report) string { return regionText(r) }
