package analyzer

import (
	"context"
	"errors"
	"fmt"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/analyzer/reach"
	"github.com/vpcgate/vpcgate/cost"
	"github.com/vpcgate/vpcgate/policies"
)

// panicHook is set by tests only: it runs at the start of each guarded
// stage ("read:" and the input's path, "derive", "evaluate", "cost") with
// the graph the stage works on (nil for a read), so that a test can inject
// a panic.
var panicHook func(stage string, g *graph.Graph)

// panicked turns a recovered value into the detail of a diagnostic.
func panicked(r any) string { return fmt.Sprint(r) }

// guardedDerive derives g; a panic is returned as panicValue (not raised).
func guardedDerive(ctx context.Context, g *graph.Graph) (panicValue any, err error) {
	defer func() {
		if r := recover(); r != nil {
			panicValue = panicked(r)
		}
	}()
	if panicHook != nil {
		panicHook("derive", g)
	}
	return nil, reach.DeriveContext(ctx, g)
}

// derive fills g.Facts and reports whether anything panicked. A panic of the derivation is never a crash: g is
// derived again component by component (components are independent, as
// the incremental path relies on), and the components whose derivation
// panics go without facts, each with an error diagnostic at the file of
// its first node.
func derive(ctx context.Context, g *graph.Graph, serial map[string]uint64) (panics bool, err error) {
	pv, err := guardedDerive(ctx, g)
	if pv == nil {
		return false, err
	}
	g.Facts = graph.Facts{}
	p, err := partitionGraph(ctx, g, serial)
	if err != nil {
		return true, err
	}
	parts := make([]*graph.Facts, 0, len(p.nodes))
	for _, nodes := range p.nodes {
		sub := graph.New()
		for _, n := range nodes {
			sub.Add(n)
		}
		pv, err := guardedDerive(ctx, sub)
		if err != nil {
			return true, err
		}
		if pv != nil {
			var at graph.Range
			if len(nodes) > 0 {
				at = graph.Range{File: nodes[0].Meta().Source.Range.File}
			}
			g.Diagnostics = append(g.Diagnostics, graph.Diagnostic{
				Severity: graph.SeverityError,
				Summary:  fmt.Sprintf("internal error deriving the reachability of %d resources (%s and what is connected to it); they are left without derived facts", len(nodes), nodes[0].Meta().ID),
				Detail:   fmt.Sprint(pv),
				Range:    at,
			})
			continue
		}
		parts = append(parts, &sub.Facts)
	}
	g.Facts = reach.MergeFacts(parts...)
	return true, nil
}

// evaluatePolicies runs the policies over g. A rule whose evaluation panics is an
// error diagnostic and the other rules' findings are kept; a panic outside
// the rules (building the policy input) is an error diagnostic and no
// findings.
func evaluatePolicies(ctx context.Context, pe *policies.Engine, g *graph.Graph) (findings []policies.Finding, panics bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			findings, panics, err = nil, true, nil
			g.Diagnostics = append(g.Diagnostics, graph.Diagnostic{
				Severity: graph.SeverityError,
				Summary:  "internal error evaluating the policies; no findings are reported",
				Detail:   panicked(r),
			})
		}
	}()
	if panicHook != nil {
		panicHook("evaluate", g)
	}
	findings, err = pe.Evaluate(ctx, g)
	var rp *policies.RulePanicError
	if errors.As(err, &rp) {
		rulePanics(g, rp)
		panics, err = true, nil
	}
	return findings, panics, err
}

// evaluatePoliciesEach is evaluatePolicies over subs, parts of g no rule
// looks across; the diagnostics go to g and the findings of every part
// are returned together, sorted.
func evaluatePoliciesEach(ctx context.Context, pe *policies.Engine, subs []*graph.Graph, g *graph.Graph) (findings []policies.Finding, panics bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			findings, panics, err = nil, true, nil
			g.Diagnostics = append(g.Diagnostics, graph.Diagnostic{
				Severity: graph.SeverityError,
				Summary:  "internal error evaluating the policies; no findings are reported",
				Detail:   panicked(r),
			})
		}
	}()
	if panicHook != nil {
		panicHook("evaluate", g)
	}
	each, err := pe.EvaluateEach(ctx, subs)
	var rp *policies.RulePanicError
	if errors.As(err, &rp) {
		rulePanics(g, rp)
		panics, err = true, nil
	}
	if err != nil {
		return nil, panics, err
	}
	for _, fs := range each {
		findings = append(findings, fs...)
	}
	policies.SortFindings(findings)
	return findings, panics, nil
}

// rulePanics reports each rule whose evaluation panicked as an error
// diagnostic of g.
func rulePanics(g *graph.Graph, rp *policies.RulePanicError) {
	for _, r := range rp.Rules {
		g.Diagnostics = append(g.Diagnostics, graph.Diagnostic{
			Severity: graph.SeverityError,
			Summary:  fmt.Sprintf("internal error evaluating rule %s; its findings are missing", r.ID),
			Detail:   r.Panic,
		})
	}
}

// estimate prices g; a panic is the estimate's error, never a crash.
func estimate(g *graph.Graph, o cost.Options) (est *cost.Report, err error) {
	defer func() {
		if r := recover(); r != nil {
			est, err = nil, fmt.Errorf("internal error pricing the architecture: %s", panicked(r))
		}
	}()
	if panicHook != nil {
		panicHook("cost", g)
	}
	return cost.Estimate(g, o)
}
