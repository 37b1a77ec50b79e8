package policies

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// Issue 13, deliverable 7: a rule whose evaluation panics on its worker
// goroutine is recovered there; Evaluate returns the other rules' findings
// with a *RulePanicError naming it.
func TestRulePanicRecovered(t *testing.T) {
	e := newEngine(t)
	g := threeTier(0)
	all := evaluate(t, e, g)
	const victim = "admin-ports-open-to-world"
	var others int
	for _, f := range all {
		if f.RuleID != victim {
			others++
		}
	}
	if others == len(all) || others == 0 {
		t.Fatalf("the fixture needs findings of %s and of other rules: %d of %d", victim, others, len(all))
	}
	evalHook = func(rule string) {
		if rule == victim {
			panic("injected")
		}
	}
	defer func() { evalHook = nil }()
	got, err := e.Evaluate(context.Background(), g)
	var rp *RulePanicError
	if !errors.As(err, &rp) || len(rp.Rules) != 1 || rp.Rules[0].ID != victim || rp.Rules[0].Panic != "injected" {
		t.Fatalf("err = %v", err)
	}
	if len(got) != others {
		t.Errorf("%d findings, want the other rules' %d", len(got), others)
	}
	for _, f := range got {
		if f.RuleID == victim {
			t.Errorf("a finding of the rule that panicked: %v", f)
		}
	}
}

// A panic while building the input on a worker goroutine is recovered
// there and raised again on the caller's, where the analyzer turns it into
// a diagnostic (analyzer.TestInjectedPanics).
func TestInputPanicRaisedOnCaller(t *testing.T) {
	e := newEngine(t)
	inputHook = func(k graph.Kind) {
		if k == graph.KindSecurityGroup {
			panic("injected")
		}
	}
	defer func() { inputHook = nil }()
	var got any
	func() {
		defer func() { got = recover() }()
		_, _ = e.Evaluate(context.Background(), threeTier(0))
	}()
	if s := fmt.Sprint(got); !strings.Contains(s, "building the policy input: injected") {
		t.Fatalf("recovered %v", got)
	}
}
