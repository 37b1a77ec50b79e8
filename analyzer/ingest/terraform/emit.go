package terraform

import (
	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// emit maps every evaluated resource instance to nodes and adds them, with
// the diagnostics, to g.
func (ev *evaluator) emit(g *graph.Graph) {
	bl := newBuilder()
	if ev.root != nil && !ev.stopped {
		for _, m := range ev.modules {
			for _, c := range m.cfg.resources {
				if c.data {
					continue
				}
				r, ok := m.resources[c.key()]
				if !ok {
					continue
				}
				// The region of the resource's aws provider configuration
				// (provider blocks, aliases, module provider passing),
				// else the --region option.
				region := ev.opts.Region
				if alias, ok := providerRef(c.block); ok {
					if pr := m.providerRegion(alias); pr != "" {
						region = pr
					}
				}
				for _, inst := range r.instances {
					if ev.cancelled() {
						break
					}
					o := m.bodyOf(inst)
					before := len(bl.order)
					bl.mapResource(c.typ, inst.id, inst.addr, o)
					for _, n := range bl.order[before:] {
						if b := n.Meta(); b.Source.Region == "" {
							b.Source.Region = region
						}
					}
					if r.unknownCount && len(bl.order) > before {
						b := bl.order[len(bl.order)-1].Meta()
						b.Unknown = append(b.Unknown, "count")
					}
				}
			}
		}
		bl.link()
	}
	ds := dedupe(append(ev.diags, bl.diags...))
	sortDiagnostics(ds)
	g.Diagnostics = append(g.Diagnostics, ds...)
	for _, n := range bl.order {
		sortUnknown(n.Meta())
		if d := g.Add(n); d != nil {
			g.Diagnostics = append(g.Diagnostics, *d)
		}
	}
}

func sortUnknown(b *graph.Base) {
	if len(b.Unknown) < 2 {
		return
	}
	seen := map[string]bool{}
	out := b.Unknown[:0]
	for _, u := range b.Unknown {
		if !seen[u] {
			seen[u] = true
			out = append(out, u)
		}
	}
	sortStrings(out)
	b.Unknown = out
}

// dedupe drops repeated diagnostics (one expression evaluated for each
// instance of a resource reports once).
func dedupe(ds []graph.Diagnostic) []graph.Diagnostic {
	seen := map[graph.Diagnostic]bool{}
	out := ds[:0]
	for _, d := range ds {
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	return out
}
