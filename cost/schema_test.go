package cost

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/vpcgate/vpcgate/internal/schematest"
)

// TestUsageSchema: the usage files in the repository validate against the
// schema and parse; the schema declares every field ParseUsage reads; and
// on a table of documents the schema and ParseUsage agree.
func TestUsageSchema(t *testing.T) {
	t.Parallel()
	s, err := schematest.Compile(UsageSchema())
	if err != nil {
		t.Fatal(err)
	}
	missing, err := schematest.Missing(UsageSchema(), reflect.TypeFor[Usage]())
	if err != nil || len(missing) > 0 {
		t.Errorf("usage.schema.json lacks %v (%v)", missing, err)
	}
	files, _ := filepath.Glob("testdata/*usage*.yaml")
	more, _ := filepath.Glob("../examples/*/usage*.yaml")
	files = append(files, more...)
	if len(files) == 0 {
		t.Fatal("no usage files to check")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := schematest.ValidateYAML(s, data); err != nil {
			t.Errorf("%s: %v", f, err)
		}
		if _, err := ParseUsage(strings.NewReader(string(data)), f); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	for _, d := range []struct {
		name, doc string
		valid     bool
	}{
		{"numbers as strings", "version: \"1\"\nresources:\n  nat-1: {gb_processed: \"120.5\", lcu: 2}\n", true},
		{"discount", "resources:\n  asg: {discount: {type: savings_plan, percent: 28}, os: windows, monthly_hours: 200}\n", true},
		{"defaults by kind", "defaults:\n  nat_gateway: {gb_processed: 100}\n", true},
		{"unknown field", "resources:\n  nat-1: {gb_procesed: 1}\n", false},
		{"negative", "resources:\n  nat-1: {gb_processed: -1}\n", false},
		{"not a number", "resources:\n  nat-1: {gb_processed: lots}\n", false},
		{"bad discount type", "resources:\n  a: {discount: {type: spot, percent: 5}}\n", false},
		{"discount over 100", "resources:\n  a: {discount: {type: reserved, percent: 120}}\n", false},
		{"bad version", "version: \"2\"\n", false},
		{"unknown top-level key", "resource: {}\n", false},
	} {
		schemaErr := schematest.ValidateYAML(s, []byte(d.doc))
		if (schemaErr == nil) != d.valid {
			t.Errorf("%s: schema says %v, want valid=%v", d.name, schemaErr, d.valid)
		}
		if _, err := ParseUsage(strings.NewReader(d.doc), "u.yaml"); (err == nil) != d.valid {
			t.Errorf("%s: ParseUsage says %v, want valid=%v", d.name, err, d.valid)
		}
	}
}
