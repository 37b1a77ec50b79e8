package policies

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/vpcgate/vpcgate/analyzer/ingest"
	"github.com/vpcgate/vpcgate/analyzer/ingest/depth"
)

// builtinFS holds the built-in rules, their helpers and the fixtures of
// their tests.
//
//go:embed rules lib fixtures
var builtinFS embed.FS

// maxPolicyFile bounds the size of one user policy file.
const maxPolicyFile = 1 << 20

// module is a parsed Rego file.
type module struct {
	name    string // file name used in locations
	mod     *ast.Module
	test    bool
	builtin bool
}

func parseModule(name string, src []byte, builtin bool) (module, error) {
	if err := depth.Rego(name, src, 0); err != nil {
		return module{}, fmt.Errorf("parse %w", err)
	}
	m, err := ast.ParseModuleWithOpts(name, string(src), ast.ParserOptions{
		ProcessAnnotation: true,
		RegoVersion:       ast.RegoV1,
	})
	if err != nil {
		return module{}, fmt.Errorf("parse %w", boundedParseError(name, err))
	}
	return module{name: name, mod: m, test: strings.HasSuffix(name, "_test.rego"), builtin: builtin}, nil
}

// builtinModules parses the embedded rules and helpers; test files only
// when tests is set.
func builtinModules(tests bool) ([]module, error) {
	var out []module
	err := fs.WalkDir(builtinFS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || path.Ext(p) != ".rego" {
			return nil
		}
		if strings.HasSuffix(p, "_test.rego") && !tests {
			return nil
		}
		src, err := builtinFS.ReadFile(p)
		if err != nil {
			return err
		}
		m, err := parseModule("policies/"+p, src, true)
		if err != nil {
			return err
		}
		if err := mirrorsFolder(p, m.mod.Package.Path); err != nil {
			return err
		}
		out = append(out, m)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("built-in policies: %w", err)
	}
	return out, nil
}

// dirModules parses the .rego files under dir (a user policy directory).
// Symbolic links that leave dir are not followed, and files over 1 MiB are
// refused.
func dirModules(dir string, tests bool) ([]module, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("policy directory: %w", err)
	}
	defer root.Close()
	var out []module
	err = fs.WalkDir(root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != "." && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		if path.Ext(p) != ".rego" || (strings.HasSuffix(p, "_test.rego") && !tests) {
			return nil
		}
		name := filepath.Join(dir, filepath.FromSlash(p))
		f, err := root.Open(filepath.FromSlash(p))
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		defer f.Close()
		src, err := io.ReadAll(io.LimitReader(f, maxPolicyFile+1))
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if len(src) > maxPolicyFile {
			return fmt.Errorf("%s: larger than %d bytes", name, maxPolicyFile)
		}
		m, err := parseModule(name, src, false)
		if err != nil {
			return err
		}
		if reservedPackage(m.mod.Package.Path) {
			return fmt.Errorf("%s: package %s is reserved for vpcgate", name, m.mod.Package.Path)
		}
		out = append(out, m)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("policy directory %s: %w", dir, err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out, nil
}

// mirrorsFolder checks the house rule of the built-in Rego: a module's
// package mirrors its folder under policies/ ("rules/network/only-lb-public"
// is package vpcgate.rules.network.only_lb_public, dashes becoming
// underscores); a test module may add _test to the last component.
func mirrorsFolder(file string, pkg ast.Ref) error {
	dir := path.Dir(file)
	want := "data.vpcgate." + strings.ReplaceAll(strings.ReplaceAll(dir, "/", "."), "-", "_")
	got := pkg.String()
	if got == want || (strings.HasSuffix(file, "_test.rego") && got == want+"_test") {
		return nil
	}
	return fmt.Errorf("policies/%s: package %s does not mirror its folder: want %s", file, strings.TrimPrefix(got, "data."), strings.TrimPrefix(want, "data."))
}

// reservedPackage reports whether a user module claims vpcgate's helper or
// engine packages.
func reservedPackage(p ast.Ref) bool {
	s := p.String()
	return s == "data.vpcgate.lib" || strings.HasPrefix(s, "data.vpcgate.lib.") || s == "data.vpcgate.engine"
}

// boundedParseError keeps OPA's parse errors to their locations and
// messages, each cut to a bounded excerpt: a hostile policy file (one
// 500 KB line) must not flood the report with its own text.
func boundedParseError(name string, err error) error {
	var errs ast.Errors
	if !errors.As(err, &errs) {
		return fmt.Errorf("%s: %s", name, ingest.Excerpt(err.Error()))
	}
	var b strings.Builder
	for i, e := range errs {
		if i == 5 {
			fmt.Fprintf(&b, "; and %d more errors", len(errs)-i)
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(name)
		if e.Location != nil {
			fmt.Fprintf(&b, ":%d:%d", e.Location.Row, e.Location.Col)
		}
		b.WriteString(": " + ingest.Excerpt(e.Message))
	}
	return errors.New(b.String())
}
