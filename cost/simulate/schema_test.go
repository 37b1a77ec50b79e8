package simulate

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/vpcgate/vpcgate/internal/schematest"
)

// TestScenarioSchema: the scenario files in the repository validate
// against the schema and parse; the schema declares every field
// ParseScenario reads; and on a table of documents the schema and
// ParseScenario agree.
func TestScenarioSchema(t *testing.T) {
	t.Parallel()
	s, err := schematest.Compile(ScenarioSchema())
	if err != nil {
		t.Fatal(err)
	}
	missing, err := schematest.Missing(ScenarioSchema(), reflect.TypeFor[Scenario]())
	if err != nil || len(missing) > 0 {
		t.Errorf("scenario.schema.json lacks %v (%v)", missing, err)
	}
	files, _ := filepath.Glob("testdata/*.yaml")
	more, _ := filepath.Glob("../../examples/*/scenario*.yaml")
	files = append(files, more...)
	if len(files) == 0 {
		t.Fatal("no scenario files to check")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := schematest.ValidateYAML(s, data); err != nil {
			t.Errorf("%s: %v", f, err)
		}
		if _, err := ParseScenario(strings.NewReader(string(data)), f); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	for _, d := range []struct {
		name, doc string
		valid     bool
	}{
		{"minimal", "version: \"1\"\nduration: 60\n", true},
		{"group", "version: 1\nduration: 60\ngroup: {min: 2, max: 10, metric: requests, warm_pool: {size: 2, state: Stopped}, scheduled_actions: [{at: 30, desired: 4}]}\n", true},
		{"no version", "duration: 60\n", false},
		{"unknown key", "version: \"1\"\nduration: 60\nloads: {}\n", false},
		{"zero duration", "version: \"1\"\nduration: 0\n", false},
		{"retry share 1", "version: \"1\"\nduration: 60\nload: {retry_share: 1}\n", false},
		{"bad metric", "version: \"1\"\nduration: 60\ngroup: {metric: memory}\n", false},
		{"phase without duration", "version: \"1\"\nduration: 60\nload: {phases: [{start: 1, rps: 5}]}\n", false},
		{"step over 300", "version: \"1\"\nduration: 600\nstep: 301\n", false},
	} {
		schemaErr := schematest.ValidateYAML(s, []byte(d.doc))
		if (schemaErr == nil) != d.valid {
			t.Errorf("%s: schema says %v, want valid=%v", d.name, schemaErr, d.valid)
		}
		if _, err := ParseScenario(strings.NewReader(d.doc), "s.yaml"); (err == nil) != d.valid {
			t.Errorf("%s: ParseScenario says %v, want valid=%v", d.name, err, d.valid)
		}
	}
}
