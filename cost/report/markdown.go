package report

import (
	"fmt"
	"io"
	"strings"
)

func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;").Replace(s)
}

func mdCode(s string) string {
	if strings.Contains(s, "`") {
		return "`` " + s + " ``"
	}
	return "`" + s + "`"
}

// writeMarkdown writes the report's content as Markdown; plotRef is the
// file the plot is linked as ("" leaves it out with a note).
func writeMarkdown(w io.Writer, r *Report, plotRef string) {
	fmt.Fprintf(w, "# %s\n\n", mdEscape(r.Title))
	var ins []string
	for _, p := range r.Inputs {
		ins = append(ins, mdCode(p))
	}
	if len(ins) == 0 {
		ins = []string{"no input"}
	}
	fmt.Fprintf(w, "Read from %s. Priced in %s; amounts in %s for a month of 730 hours", strings.Join(ins, ", "), mdEscape(r.Regions), r.Currency)
	if r.UsageFile != "" {
		fmt.Fprintf(w, ", usage from %s", mdCode(r.UsageFile))
	}
	fmt.Fprint(w, ".")
	if r.Estimates {
		fmt.Fprint(w, " Figures marked ~ are estimates (see the note at the end).")
	}
	fmt.Fprint(w, "\n\n## Summary\n\n")
	if r.HasRange {
		fmt.Fprintf(w, "- **Monthly cost: %s %s**, from %s to %s with Auto Scaling at its minimum and maximum.\n", r.Total, r.Currency, r.TotalMin, r.TotalMax)
	} else {
		fmt.Fprintf(w, "- **Monthly cost: %s %s** (fixed: nothing scales).\n", r.Total, r.Currency)
	}
	if len(r.Pending) > 0 {
		fmt.Fprintf(w, "- **%d item(s) depend on usage** and are not in the total until a usage file gives them.\n", len(r.Pending))
	} else {
		fmt.Fprint(w, "- Nothing depends on usage: every component is priced.\n")
	}
	if s := r.Spike; s != nil {
		fmt.Fprintf(w, "- **Tickets lost in a spike: %s of %s**", s.Current.Lost, s.Current.Tickets)
		if s.LostValueSpike != "" {
			fmt.Fprintf(w, ", worth %s %s a spike at %s %s a ticket (%s %s a month with %d spike(s))", s.LostValueSpike, s.Currency, s.TicketPrice, s.Currency, s.LostValueMonth, s.Currency, s.SpikesPerMonth)
		} else {
			fmt.Fprint(w, " (give a ticket price with `--ticket-price` to value them)")
		}
		fmt.Fprint(w, ".\n")
		if s.Recommendation != "" {
			fmt.Fprintf(w, "- **Recommendation: %s %s a month**, and %s tickets lost a spike. The month with %d spike(s): %s %s today, %s %s with it.\n",
				s.RecDelta, s.Currency, s.Alt.Lost, s.SpikesPerMonth, s.MonthCurrent, s.Currency, s.MonthRecommended, s.Currency)
		} else {
			fmt.Fprint(w, "- No change tried serves the spike without failed requests.\n")
		}
	}

	fmt.Fprint(w, "\n## Monthly cost by tier\n\n| Tier | Resources | Monthly | Min | Max |\n|---|---:|---:|---:|---:|\n")
	for _, t := range r.Tiers {
		fmt.Fprintf(w, "| %s | %d | %s | %s | %s |\n", mdEscape(t.Label), len(t.Resources), t.Monthly, t.Min, t.Max)
	}
	fmt.Fprintf(w, "| **Total (%s)** | | **%s** | %s | %s |\n", r.Currency, r.Total, r.TotalMin, r.TotalMax)
	fmt.Fprint(w, "\nMin and max price each Auto Scaling group (and ECS service) at its smallest and largest size; everything else is fixed.")
	if len(r.Pending) > 0 {
		fmt.Fprint(w, " Items that depend on usage are in none of these figures.")
	}
	fmt.Fprint(w, "\n\n## Monthly cost by component\n\n| Component | Resources | Monthly | Depends on usage |\n|---|---:|---:|---|\n")
	for _, k := range r.Kinds {
		p := ""
		if k.Pending > 0 {
			p = fmt.Sprintf("_%d not priced: depends on usage_", k.Pending)
		}
		fmt.Fprintf(w, "| %s | %d | %s | %s |\n", mdCode(k.Name), k.Resources, k.Monthly, p)
	}

	fmt.Fprint(w, "\n## Every resource\n\n| Resource / component | Quantity | Unit price | Monthly | Min – max |\n|---|---:|---:|---:|---:|\n")
	multi := r.MultiRegion()
	for _, t := range r.Tiers {
		fmt.Fprintf(w, "| **%s** | | | | |\n", mdEscape(t.Label))
		for _, res := range t.Resources {
			label := mdCode(res.ID)
			if res.Name != "" {
				label += " " + mdEscape(res.Name)
			}
			label += " " + res.Kind
			if multi {
				label += ", " + res.Region
			}
			rng := ""
			if res.Min != "" {
				rng = res.Min + " – " + res.Max
			}
			fmt.Fprintf(w, "| %s | | | **%s** | %s |\n", label, res.Monthly, rng)
			for _, c := range res.Components {
				name := c.Name
				if c.Detail != "" {
					name += " [" + c.Detail + "]"
				}
				m := c.Monthly
				if c.Pending {
					m = "_" + m + "_"
				}
				fmt.Fprintf(w, "| &nbsp;&nbsp;%s | %s | %s | %s | |\n", mdEscape(name), c.Quantity, c.UnitPrice, m)
			}
		}
	}
	fmt.Fprintf(w, "| **Total (%s)** | | | **%s** | %s – %s |\n", r.Currency, r.Total, r.TotalMin, r.TotalMax)

	fmt.Fprint(w, "\n## Depends on usage\n\n")
	if len(r.Pending) > 0 {
		fmt.Fprint(w, "These components are priced per unit of use that configuration cannot know; they are **not in the total**. Each is settled by one entry of a usage file (YAML, given with `--usage FILE`")
		if r.UsageFile != "" {
			fmt.Fprintf(w, "; this report read %s", mdCode(r.UsageFile))
		}
		fmt.Fprint(w, ").\n\n| Resource | Component | Unit price | Usage file entry that settles it |\n|---|---|---:|---|\n")
		for _, p := range r.Pending {
			res := mdCode(p.Resource)
			if p.ResourceName != "" {
				res += " " + mdEscape(p.ResourceName)
			}
			comp := p.Component
			if p.Detail != "" {
				comp += " [" + p.Detail + "]"
			}
			entry := "no usage field gives it"
			if p.Field != "" {
				entry = fmt.Sprintf("%s under `resources:` → %s: %s", mdCode(p.Field), mdCode(p.Key), mdEscape(p.Unit))
			}
			fmt.Fprintf(w, "| %s | %s | %s | %s |\n", res, mdEscape(comp), p.UnitPrice, entry)
		}
		fmt.Fprint(w, "\nFor example:\n\n```yaml\nversion: \"1\"\nresources:\n")
		seen := map[string]bool{}
		for _, p := range r.Pending {
			if p.Field == "" || seen[p.Key+"\x00"+p.Field] {
				continue
			}
			seen[p.Key+"\x00"+p.Field] = true
			fmt.Fprintf(w, "  %s:\n    %s: …  # %s\n", yamlKey(p.Key), p.Field, p.Unit)
		}
		fmt.Fprint(w, "```\n")
	} else {
		fmt.Fprint(w, "Nothing: every component is priced")
		if r.UsageFile != "" {
			fmt.Fprintf(w, " (usage from %s)", mdCode(r.UsageFile))
		}
		fmt.Fprint(w, ".\n")
	}
	if len(r.Unpriced) > 0 {
		fmt.Fprint(w, "\n### Not priced\n\n")
		for _, u := range r.Unpriced {
			fmt.Fprintf(w, "- %s (%s): %s\n", mdCode(u.ID), u.Kind, mdEscape(u.Reason))
		}
	}

	fmt.Fprint(w, "\n## Spike simulation\n\n")
	s := r.Spike
	if s == nil {
		fmt.Fprintf(w, "%s\n", mdEscape(r.NoSpikeReason))
	} else {
		writeSpikeMarkdown(w, s, plotRef)
	}

	fmt.Fprint(w, "\n---\n\n")
	if r.Estimates {
		fmt.Fprintf(w, "%s\n\n", mdEscape(r.EstimateNote))
	}
	for _, wn := range r.Warnings {
		fmt.Fprintf(w, "> **Warning:** %s\n\n", mdEscape(wn))
	}
	if len(r.Sources) > 0 {
		fmt.Fprintf(w, "Prices from: %s.\n\n", mdEscape(strings.Join(r.Sources, "; ")))
	}
	fmt.Fprint(w, "Written by vpcgate report. Monthly figures are the same as `vpcgate cost --format json` gives for the same input.\n")
}

func writeSpikeMarkdown(w io.Writer, s *SpikeView, plotRef string) {
	fmt.Fprintf(w, "Scenario **%s**: %s in %s; %s. %d spike(s) a month.\n", mdEscape(s.Scenario), s.Window, s.Region, mdEscape(s.Load), s.SpikesPerMonth)
	if len(s.Notes) > 0 {
		fmt.Fprintln(w)
		for _, n := range s.Notes {
			fmt.Fprintf(w, "- %s\n", mdEscape(n))
		}
	}
	fmt.Fprint(w, "\n| | Current |")
	if s.Alt != nil {
		fmt.Fprintf(w, " %s |", mdEscape(s.Alt.Label))
	}
	fmt.Fprint(w, "\n|---|---:|")
	if s.Alt != nil {
		fmt.Fprint(w, "---:|")
	}
	fmt.Fprintln(w)
	row := func(k string, f func(Side) string) {
		fmt.Fprintf(w, "| %s | %s |", k, f(s.Current))
		if s.Alt != nil {
			fmt.Fprintf(w, " %s |", f(*s.Alt))
		}
		fmt.Fprintln(w)
	}
	row("Configuration", func(x Side) string { return mdEscape(x.Group) })
	row("Peak in service", func(x Side) string { return x.PeakInService })
	row("Capacity met", func(x Side) string { return x.CapacityMet })
	row("Failed attempts", func(x Side) string { return x.Failed })
	row("Tickets lost a spike", func(x Side) string { return x.Lost + " of " + x.Tickets })
	row("Tickets lost a month", func(x Side) string { return x.LostPerMonth })
	row("Cost of one spike ("+s.Currency+")", func(x Side) string { return x.SpikeCost })
	row("Month at rest ("+s.Currency+")", func(x Side) string { return x.BaselineMonthly })
	row(fmt.Sprintf("Month with %d spike(s) (%s)", s.SpikesPerMonth, s.Currency), func(x Side) string { return x.MonthlyWithSpikes })
	row("Cost per ticket sold ("+s.Currency+")", func(x Side) string { return x.PerTick })
	fmt.Fprint(w, "\nThe simulated parts are the group's instances, the load balancer's hours and capacity units and the NAT data of the requests; \"month at rest\" is the same window without the spike, scaled to 730 hours.\n\n")
	if plotRef != "" {
		fmt.Fprintf(w, "![Requests a second and instances in service, current against recommended](%s)\n\n", plotRef)
	} else {
		fmt.Fprint(w, "_The plot is written beside the Markdown when the report goes to a file (`-o report.md` writes `report.svg`); the HTML report embeds it._\n\n")
	}
	fmt.Fprintf(w, "### Lost tickets\n\nThe current group loses **%s** of %s tickets a spike (%s a month with %d spike(s)): buyers whose requests failed and who gave up. ",
		s.Current.Lost, s.Current.Tickets, s.Current.LostPerMonth, s.SpikesPerMonth)
	if s.LostValueSpike != "" {
		fmt.Fprintf(w, "At %s %s a ticket that is **%s %s** a spike and **%s %s** a month.\n", s.TicketPrice, s.Currency, s.LostValueSpike, s.Currency, s.LostValueMonth, s.Currency)
	} else {
		fmt.Fprint(w, "No ticket price was given (`--ticket-price`), so they are not valued.\n")
	}
	fmt.Fprint(w, "\n### Recommendation\n\n")
	if s.Recommendation != "" {
		fmt.Fprintf(w, "**%s**.\n\nIt costs **%s %s** a month against the current configuration (%s → %s %s for the simulated parts with %d spike(s)) and loses %s tickets a spike instead of %s.",
			mdEscape(s.Recommendation), s.RecDelta, s.Currency, s.Current.MonthlyWithSpikes, s.RecMonthly, s.Currency, s.SpikesPerMonth, s.Alt.Lost, s.Current.Lost)
		if s.SavedValueMonth != "" {
			fmt.Fprintf(w, " The tickets it keeps are worth %s %s a month: net %s %s.", s.SavedValueMonth, s.Currency, s.NetMonth, s.Currency)
		}
		fmt.Fprintf(w, "\n\nThe architecture's month with %d spike(s) — the monthly total above plus each spike's simulated extra cost — is %s %s today and %s %s with the recommendation.\n",
			s.SpikesPerMonth, s.MonthCurrent, s.Currency, s.MonthRecommended, s.Currency)
	} else {
		fmt.Fprint(w, "No change tried serves the spike without failed requests.\n")
	}
	if len(s.Options) > 0 {
		fmt.Fprint(w, "\n| Change tried | Serves | Failed | Spike cost | Month with spikes |\n|---|---|---:|---:|---:|\n")
		for _, o := range s.Options {
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", mdEscape(o.Description), o.Serves, o.Failed, o.SpikeCost, o.Monthly)
		}
		fmt.Fprint(w, "\nThe cheapest change that fails no request, by the month with spikes, is recommended.\n")
	}
}
