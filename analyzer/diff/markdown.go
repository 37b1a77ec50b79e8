package diff

import (
	"fmt"
	"io"
	"strings"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/cost"
	"github.com/vpcgate/vpcgate/policies"
)

// mdSection is one collapsible section of the comment: its items are
// added while the comment stays within its limit.
type mdSection struct {
	title string
	open  bool
	head  string // table header or intro, written before the first item
	items []string
	noun  string // what an item is, for the note of what was cut
}

// Markdown writes a pull-request comment: a headline, a summary table and
// one <details> section per kind of change. It stays within
// o.MaxMarkdown characters (GitHub's 65,536 by default): when the change
// is too large, sections are cut, each says how many of its items it
// shows, and a closing note lists what was left out.
func Markdown(w io.Writer, d *Diff, o WriteOptions) {
	limit := o.MaxMarkdown
	if limit <= 0 {
		limit = GitHubCommentLimit
	}
	c := d.Count()
	var b strings.Builder
	switch {
	case d.Empty():
		b.WriteString("### ✅ vpcgate diff: no change in exposure, findings or cost\n\n")
	case c.Opened > 0 || c.New > 0 || c.UnsuppressedNow > 0 || c.BecamePublic > 0:
		fmt.Fprintf(&b, "### ⚠️ vpcgate diff: %s\n\n", headline(d, c))
	default:
		fmt.Fprintf(&b, "### vpcgate diff: %s\n\n", headline(d, c))
	}
	fmt.Fprintf(&b, "Base `%s` → head `%s`.\n\n", code(orDash(d.Base)), code(orDash(d.Head)))
	b.WriteString("| | |\n|---|---|\n")
	fmt.Fprintf(&b, "| Internet exposure | %d opened, %d closed, %d with other sources |\n", c.Opened, c.Closed, c.SourcesChanged)
	fmt.Fprintf(&b, "| Subnets | %d changed, %d became public |\n", c.SubnetChanges, c.BecamePublic)
	fmt.Fprintf(&b, "| Tiers | %d changed |\n", c.TierChanges)
	fmt.Fprintf(&b, "| Findings | %d new, %d fixed, %d newly suppressed, %d no longer suppressed, %d unchanged |\n", c.New, c.Fixed, c.SuppressedNow, c.UnsuppressedNow, c.Stayed)
	switch {
	case d.CostErr != nil:
		fmt.Fprintf(&b, "| Monthly cost | not compared: %s |\n", cell(d.CostErr.Error()))
	case d.Cost != nil:
		k := d.Cost
		fmt.Fprintf(&b, "| Monthly cost | %s → %s %s (**%s**, %s)", approx(money(k.BaseTotal), k.BaseEstimate), approx(money(k.HeadTotal), k.HeadEstimate), k.Currency, approx(signed(k.Delta), k.Estimate()), percentText(k))
		if !k.BaseMin.Equal(k.BaseMax) || !k.HeadMin.Equal(k.HeadMax) {
			fmt.Fprintf(&b, "; range %s–%s → %s–%s", money(k.BaseMin), money(k.BaseMax), money(k.HeadMin), money(k.HeadMax))
		}
		b.WriteString(" |\n")
	}
	b.WriteString("\n")
	if d.Cost != nil && d.Cost.Estimate() {
		b.WriteString(cell(cost.EstimateNote) + "\n\n")
	}

	var sections []*mdSection
	if len(d.Exposure) > 0 {
		s := &mdSection{title: fmt.Sprintf("Internet exposure: %d opened, %d closed, %d with other sources", c.Opened, c.Closed, c.SourcesChanged), open: true, noun: "exposure changes"}
		for _, e := range d.Exposure {
			s.items = append(s.items, exposureItem(e, o.BaseDir))
		}
		sections = append(sections, s)
	}
	if len(d.Subnets) > 0 {
		s := &mdSection{title: fmt.Sprintf("Subnets: %d changed, %d became public", c.SubnetChanges, c.BecamePublic), open: c.BecamePublic > 0, noun: "subnet changes",
			head: "| Subnet | Change | Base → head |\n|---|---|---|\n"}
		for _, x := range d.Subnets {
			s.items = append(s.items, fmt.Sprintf("| `%s` | %s | %s |\n", code(x.Subnet), strings.ReplaceAll(x.SubnetChangeKind(), "_", " "), cell(subnetText(x))))
		}
		sections = append(sections, s)
	}
	if len(d.Tiers) > 0 {
		s := &mdSection{title: fmt.Sprintf("Tiers: %d changed", c.TierChanges), noun: "tier changes",
			head: "| Resource | Base | Head | Why |\n|---|---|---|---|\n"}
		for _, t := range d.Tiers {
			s.items = append(s.items, fmt.Sprintf("| `%s` %s | %s | %s | %s |\n", code(t.Resource), t.Kind, tierName(t.Base), tierName(t.Head), cell(t.HeadReason)))
		}
		sections = append(sections, s)
	}
	findingSection := func(status, title, noun string, open bool) {
		var fs []policies.Finding
		for _, f := range d.Findings {
			if f.Status == status {
				fs = append(fs, f.Finding)
			}
		}
		if len(fs) == 0 {
			return
		}
		s := &mdSection{title: fmt.Sprintf("%s: %d", title, len(fs)), open: open, noun: noun,
			head: "| Severity | Rule | Resource | Location | Message |\n|---|---|---|---|---|\n"}
		for _, f := range fs {
			s.items = append(s.items, findingRow(f, o.BaseDir, status == Fixed))
		}
		sections = append(sections, s)
	}
	findingSection(New, "New findings", "new findings", true)
	findingSection(Unsuppressed, "Findings no longer suppressed", "findings no longer suppressed", true)
	findingSection(Suppressed, "Findings suppressed by this change", "newly suppressed findings", false)
	if k := d.Cost; k != nil && len(k.Resources) > 0 {
		s := &mdSection{title: fmt.Sprintf("Monthly cost: %s %s (%s)", approx(signed(k.Delta), k.Estimate()), k.Currency, percentText(k)), noun: "cost changes",
			head: "| Resource | Change | Base | Head | Delta |\n|---|---|---:|---:|---:|\n"}
		for _, r := range k.Resources {
			s.items = append(s.items, fmt.Sprintf("| `%s` %s | %s | %s | %s | %s |\n", code(r.ID), r.Kind, r.Status,
				approx(rangeText(r.BaseMin, r.BaseMax, r.Base), r.BaseEstimate), approx(rangeText(r.HeadMin, r.HeadMax, r.Head), r.HeadEstimate),
				approx(signed(r.Delta), r.BaseEstimate || r.HeadEstimate)))
		}
		for _, u := range k.NewUsageDependent {
			s.items = append(s.items, fmt.Sprintf("| `%s` | new, depends on usage | | | |\n", code(u)))
		}
		sections = append(sections, s)
	}
	findingSection(Fixed, "Fixed findings", "fixed findings", false)
	if len(d.Unchanged) > 0 {
		s := &mdSection{title: fmt.Sprintf("Unchanged findings: %d", len(d.Unchanged)), noun: "unchanged findings",
			head: "| Severity | Rule | Resource | Location | Message |\n|---|---|---|---|---|\n"}
		for _, f := range d.Unchanged {
			s.items = append(s.items, findingRow(f, o.BaseDir, false))
		}
		sections = append(sections, s)
	}

	// Room for the note of what was cut and for every section's frame.
	const noteRoom = 1200
	avail := limit - len(b.String()) - noteRoom
	for _, s := range sections {
		avail -= len(frame(s, 0, len(s.items))) + 64 // + "(showing n of m)"
	}
	shown := fairShare(sections, avail)
	var cut []string
	for i, s := range sections {
		if shown[i] < len(s.items) {
			cut = append(cut, fmt.Sprintf("%d %s", len(s.items)-shown[i], s.noun))
		}
		b.WriteString(render(s, shown[i]))
	}
	if len(cut) > 0 {
		fmt.Fprintf(&b, "> **Cut to fit GitHub's %s-character comment limit.** Not shown: %s. `vpcgate diff --format json` has everything.\n", groupDigits(limit), strings.Join(cut, ", "))
	}
	io.WriteString(w, b.String())
}

// fairShare decides how many items of each section fit in avail bytes:
// every section first gets an equal share (a short section leaves the
// rest of its share to the others), then what is left goes to the
// sections in order. Items are shown in order.
func fairShare(sections []*mdSection, avail int) []int {
	shown := make([]int, len(sections))
	if avail <= 0 || len(sections) == 0 {
		return shown
	}
	used := 0
	// Equal shares, recomputed as short sections finish under theirs.
	pending := map[int]bool{}
	for i := range sections {
		pending[i] = true
	}
	for len(pending) > 0 {
		share := (avail - used) / len(pending)
		progressed := false
		for i := range sections {
			if !pending[i] {
				continue
			}
			size := 0
			for _, it := range sections[i].items {
				size += len(it)
			}
			if size <= share {
				shown[i] = len(sections[i].items)
				used += size
				delete(pending, i)
				progressed = true
			}
		}
		if !progressed {
			for i := range sections {
				if !pending[i] {
					continue
				}
				size := 0
				for _, it := range sections[i].items {
					if size+len(it) > share {
						break
					}
					size += len(it)
					shown[i]++
				}
				used += size
			}
			break
		}
	}
	// What the shares left over, in section order.
	for i, s := range sections {
		for shown[i] < len(s.items) && used+len(s.items[shown[i]]) <= avail {
			used += len(s.items[shown[i]])
			shown[i]++
		}
	}
	return shown
}

func headline(d *Diff, c Counts) string {
	var parts []string
	if c.Opened > 0 {
		parts = append(parts, fmt.Sprintf("opens %s to the internet", plural(c.Opened, "port range", "port ranges")))
	}
	if c.Closed > 0 {
		parts = append(parts, fmt.Sprintf("closes %s", plural(c.Closed, "port range", "port ranges")))
	}
	if c.BecamePublic > 0 {
		parts = append(parts, fmt.Sprintf("makes %s public", plural(c.BecamePublic, "subnet", "subnets")))
	}
	if c.New+c.UnsuppressedNow > 0 {
		parts = append(parts, fmt.Sprintf("adds %s", plural(c.New+c.UnsuppressedNow, "finding", "findings")))
	}
	if c.Fixed > 0 {
		parts = append(parts, fmt.Sprintf("fixes %d", c.Fixed))
	}
	if d.Cost != nil && !d.Cost.Delta.IsZero() {
		verb := "adds"
		if d.Cost.Delta.IsNegative() {
			verb = "saves"
		}
		parts = append(parts, fmt.Sprintf("%s %s %s a month", verb, money(d.Cost.Delta.Abs()), d.Cost.Currency))
	}
	if len(parts) == 0 {
		return "changes without effect on exposure, findings or cost"
	}
	return "this change " + strings.Join(parts, ", ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func groupDigits(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// frame is a section without items (n of m shown).
func frame(s *mdSection, n, m int) string {
	open := ""
	if s.open {
		open = " open"
	}
	shown := ""
	if n < m {
		shown = fmt.Sprintf(" (showing %d of %d)", n, m)
	}
	return fmt.Sprintf("<details%s><summary><b>%s</b>%s</summary>\n\n%s\n</details>\n\n", open, s.title, shown, s.head)
}

func render(s *mdSection, n int) string {
	open := ""
	if s.open {
		open = " open"
	}
	shown := ""
	if n < len(s.items) {
		shown = fmt.Sprintf(" (showing %d of %d)", n, len(s.items))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "<details%s><summary><b>%s</b>%s</summary>\n\n", open, s.title, shown)
	if n > 0 {
		b.WriteString(s.head)
		for _, it := range s.items[:n] {
			b.WriteString(it)
		}
	} else {
		b.WriteString("(cut: see the note below)\n")
	}
	b.WriteString("\n</details>\n\n")
	return b.String()
}

func exposureItem(e ExposureChange, base string) string {
	var b strings.Builder
	icon := map[string]string{Opened: "🔴 **opened**", Closed: "🟢 **closed**", SourcesChanged: "🟠 **sources changed**"}[e.Change]
	fmt.Fprintf(&b, "- %s `%s` on `%s` (%s)", icon, e.ports(), code(e.Resource), e.Kind)
	if e.Via != "" && e.Via != "direct" {
		fmt.Fprintf(&b, " via `%s`", code(e.Via))
	}
	if len(e.Sources) > 0 {
		fmt.Fprintf(&b, " from `%s`", code(strings.Join(e.Sources, ", ")))
	}
	if e.Change == SourcesChanged {
		fmt.Fprintf(&b, " (was `%s`)", code(strings.Join(e.BaseSources, ", ")))
	}
	if !e.Location.IsZero() {
		fmt.Fprintf(&b, " — %s", mdLocation(base, e.Location, false))
	}
	b.WriteString("\n")
	if len(e.Path) > 0 {
		b.WriteString("  <details><summary>path: ")
		b.WriteString(html(PathText(e.Path)))
		b.WriteString("</summary>\n\n")
		for i, h := range e.Path {
			fmt.Fprintf(&b, "  %d. `%s` %s: %s\n", i+1, code(h.Node), h.Kind, cell(h.Detail))
		}
		b.WriteString("  </details>\n")
	}
	return b.String()
}

func severityIcon(s policies.Severity) string {
	switch s {
	case policies.SeverityCritical:
		return "🟣"
	case policies.SeverityHigh:
		return "🔴"
	case policies.SeverityMedium:
		return "🟠"
	}
	return "🔵"
}

// findingRow is one finding's table row; onBase marks a fixed finding,
// whose location is in the base revision (shown as base:FILE:LINE).
func findingRow(f policies.Finding, base string, onBase bool) string {
	sev := string(f.Severity)
	if f.Undetermined {
		sev += " (undetermined)"
	}
	msg := f.Message
	if f.Suppression != nil {
		msg += " (suppressed: " + f.Suppression.Reason + ")"
	}
	return fmt.Sprintf("| %s %s | `%s` | `%s` | %s | %s |\n", severityIcon(f.Severity), sev, code(f.RuleID), code(f.Resource.ID), mdLocation(base, f.Location(), onBase), cell(msg))
}

func mdLocation(base string, r graph.Range, onBase bool) string {
	if r.IsZero() {
		return ""
	}
	return "`" + code(sideRange(base, r, onBase)) + "`"
}

// code makes s safe inside a one-backtick code span of a table cell.
func code(s string) string {
	s = strings.ReplaceAll(s, "`", "'")
	s = strings.ReplaceAll(s, "|", "\\|")
	return strings.ReplaceAll(s, "\n", " ")
}

// cell makes s safe as table cell text: no pipes, newlines or HTML.
func cell(s string) string {
	s = html(s)
	s = strings.ReplaceAll(s, "|", "\\|")
	s = strings.ReplaceAll(s, "\r", "")
	return strings.ReplaceAll(s, "\n", "<br>")
}

func html(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
