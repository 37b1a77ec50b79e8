package config

import (
	"os"
	"testing"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/internal/schematest"
)

// TestSchema: the example configuration validates against the schema, and
// on a table of documents the schema and Parse agree (what Parse reports
// as an error the schema rejects, and the other way round).
func TestSchema(t *testing.T) {
	t.Parallel()
	s, err := schematest.Compile(Schema())
	if err != nil {
		t.Fatal(err)
	}
	example, err := os.ReadFile("../../examples/ci/vpcgate.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := schematest.ValidateYAML(s, example); err != nil {
		t.Errorf("examples/ci/vpcgate.yaml: %v", err)
	}
	docs := []struct {
		name, doc string
		valid     bool
	}{
		{"empty", "{}", true},
		{"everything", "version: 1\npolicies: [p]\nrules: '*'\nskip_rules: [idle-eip]\nseverity: low\nfail_on: none\nsuppressions:\n  - {rule: r, resource: 'sg-*', reason: why, expires: 2026-12-31}\n", true},
		{"version as string", "version: \"1\"\n", true},
		{"unknown key", "fail-on: high\n", false},
		{"bad version", "version: 2\n", false},
		{"suppression without reason", "suppressions:\n  - {rule: r}\n", false},
		{"suppression with a blank reason", "suppressions:\n  - {rule: r, reason: '  '}\n", false},
		{"suppression without rule", "suppressions:\n  - {reason: why}\n", false},
		{"unknown suppression key", "suppressions:\n  - {rule: r, reason: why, until: 2026-01-01}\n", false},
		{"bad expiry", "suppressions:\n  - {rule: r, reason: why, expires: soon}\n", false},
		{"policies a mapping", "policies: {a: b}\n", false},
	}
	for _, d := range docs {
		schemaErr := schematest.ValidateYAML(s, []byte(d.doc))
		if (schemaErr == nil) != d.valid {
			t.Errorf("%s: schema says %v, want valid=%v", d.name, schemaErr, d.valid)
		}
		// Severity values are checked by the policy engine, not Parse.
		_, diags := Parse("x.yaml", []byte(d.doc))
		parseErr := false
		for _, dg := range diags {
			parseErr = parseErr || dg.Severity == graph.SeverityError
		}
		if parseErr == d.valid {
			t.Errorf("%s: Parse errors %v, want valid=%v", d.name, diags, d.valid)
		}
	}
}
