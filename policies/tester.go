package policies

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/tester"
)

// TestResult is the outcome of one Rego test rule.
type TestResult struct {
	// Name is the package and the test rule ("vpcgate.rules.x_test.test_y").
	Name    string
	File    string
	Line    int
	Pass    bool
	Skipped bool
	// Error is set when the test could not be evaluated.
	Error    string
	Duration time.Duration
}

// RunTests runs the Rego tests (test_ rules in _test.rego files) of the
// given policy directories, with the built-in helpers and rules loaded
// beside them and the same restricted capabilities as a scan. With no
// directory it runs the built-in rules' own tests.
func RunTests(ctx context.Context, dirs ...string) ([]TestResult, error) {
	builtin, err := builtinModules(len(dirs) == 0)
	if err != nil {
		return nil, err
	}
	mods := builtin
	for _, dir := range dirs {
		dm, err := dirModules(dir, true)
		if err != nil {
			return nil, err
		}
		mods = append(mods, dm...)
	}
	return runModules(ctx, mods)
}

func runModules(ctx context.Context, mods []module) ([]TestResult, error) {
	byName := make(map[string]*ast.Module, len(mods))
	for _, m := range mods {
		byName[m.name] = m.mod
	}
	compiler := ast.NewCompiler().
		WithCapabilities(restrictedCapabilities()).
		WithDefaultRegoVersion(ast.RegoV1)
	ch, err := tester.NewRunner().
		SetCompiler(compiler).
		SetDefaultRegoVersion(ast.RegoV1).
		SetModules(byName).
		RaiseBuiltinErrors(true).
		RunTests(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("compile policy tests: %w", explainCompileError(err))
	}
	var out []TestResult
	for r := range ch {
		tr := TestResult{
			Name:     r.Package + "." + r.Name,
			Pass:     r.Pass(),
			Skipped:  r.Skip,
			Duration: r.Duration,
		}
		if r.Location != nil {
			tr.File, tr.Line = r.Location.File, r.Location.Row
		}
		if r.Error != nil {
			tr.Error = r.Error.Error()
		}
		out = append(out, tr)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}
