package terraform

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

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
					before, effects := len(bl.order), len(bl.effects)
					bl.mapResource(c.typ, inst.id, inst.addr, o)
					if len(bl.order) == before && len(bl.effects) == effects {
						// Not modelled: an Elastic IP it is handed may be
						// associated through it.
						bl.handsEIPs(m.addr, c.block.Body, fmt.Sprintf("%s, a resource vpcgate does not model, is given its id", inst.addr))
					}
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
		for _, m := range ev.modules {
			for _, c := range m.cfg.calls {
				if ci := m.calls[c.name]; ci == nil || len(ci.instances) == 0 {
					bl.handsEIPs(m.addr, c.block.Body, fmt.Sprintf("module %s%s, which is not read, is given its id", m.addr, c.name))
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

// handsEIPs records, for every Elastic IP of module mod whose id body
// hands on (aws_eip.NAME.id, .allocation_id, the whole object or a splat),
// that its association is not known, with why.
func (bl *builder) handsEIPs(mod string, body *hclsyntax.Body, why string) {
	if body == nil {
		return
	}
	for _, a := range body.Attributes {
		for _, t := range a.Expr.Variables() {
			if name, ok := eipTraversal(t); ok {
				key := mod + "aws_eip." + name
				bl.eipWhy[key] = append(bl.eipWhy[key], why)
			}
		}
	}
	for _, b := range body.Blocks {
		bl.handsEIPs(mod, b.Body, why)
	}
}

// eipTraversal returns the name of the Elastic IP a traversal names when
// it hands on its id: aws_eip.NAME.id, .allocation_id, or the object.
func eipTraversal(t hcl.Traversal) (string, bool) {
	if len(t) < 2 || t.RootName() != "aws_eip" {
		return "", false
	}
	a, ok := t[1].(hcl.TraverseAttr)
	if !ok {
		return "", false
	}
	for _, step := range t[2:] {
		if at, ok := step.(hcl.TraverseAttr); ok {
			return a.Name, at.Name == "id" || at.Name == "allocation_id"
		}
	}
	return a.Name, true
}

// eipKey is the address of an Elastic IP without its instance key.
func eipKey(addr string) string {
	if i := strings.LastIndexByte(addr, '['); i > 0 && strings.HasSuffix(addr, "]") {
		return addr[:i]
	}
	return addr
}
