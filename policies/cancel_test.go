package policies

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// A cancelled Evaluate returns ctx.Err() and no findings wherever the
// cancel lands: before it starts, while the input is built, and while the
// rules run (when some rules have already given their findings).
func TestEvaluateCancelled(t *testing.T) {
	e := newEngine(t)
	g := threeTier(0)
	if len(evaluate(t, e, g)) == 0 {
		t.Fatal("the fixture has no findings")
	}
	mid := e.selected[len(e.selected)/2].ID
	for _, tc := range []struct {
		name string
		hook func(cancel func())
	}{
		{"before", nil},
		{"input", func(cancel func()) {
			inputHook = func(k graph.Kind) {
				if k == graph.KindSecurityGroup {
					cancel()
				}
			}
		}},
		{"rules", func(cancel func()) {
			evalHook = func(rule string) {
				if rule == mid {
					cancel()
				}
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tc.hook == nil {
				cancel()
			} else {
				tc.hook(cancel)
				defer func() { inputHook, evalHook = nil, nil }()
			}
			fs, err := e.Evaluate(ctx, g)
			if !errors.Is(err, context.Canceled) || fs != nil {
				t.Fatalf("%d findings, error %v; want none and context.Canceled", len(fs), err)
			}
		})
	}
}

// The lookups and the input document stop at a cancel: an error and
// nothing half-built.
func TestInputCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	g := threeTier(0)
	if ix, err := newIndex(ctx, g); ix != nil || !errors.Is(err, context.Canceled) {
		t.Errorf("newIndex: %v, %v", ix, err)
	}
	if h, u, s, err := placement(ctx, g); h != nil || u != nil || s != nil || !errors.Is(err, context.Canceled) {
		t.Errorf("placement: %v", err)
	}
	if v, err := inputValueCtx(ctx, g); v != nil || !errors.Is(err, context.Canceled) {
		t.Errorf("inputValueCtx: %v", err)
	}
	// Not cancelled: the same graph gives the whole document.
	if v, err := inputValueCtx(context.Background(), g); v == nil || err != nil {
		t.Errorf("inputValueCtx: %v", err)
	}
}

// TestBackgroundCompile: New compiles the built-in rules alone on another
// goroutine; an evaluation cancelled while it waits returns ctx.Err(), and
// the findings are those of an engine that compiled before returning (a
// policy directory, even an empty one, makes New compile itself).
func TestBackgroundCompile(t *testing.T) {
	ctx := context.Background()
	bg, err := New(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if bg.ready == nil {
		t.Fatal("the built-in rules alone were not compiled in the background")
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := bg.Evaluate(cancelled, threeTier(0)); !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled evaluation returned %v, want context.Canceled", err)
	}
	fg, err := New(ctx, WithPolicyDir(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	if fg.ready != nil {
		t.Fatal("with a policy directory New did not compile itself")
	}
	for _, g := range []*graph.Graph{threeTier(0), threeTier(3)} {
		a, b := evaluate(t, bg, g), evaluate(t, fg, g)
		if len(a) == 0 || !reflect.DeepEqual(a, b) {
			t.Errorf("background compile: %d findings, compiled by New: %d, or they differ", len(a), len(b))
		}
	}
}
