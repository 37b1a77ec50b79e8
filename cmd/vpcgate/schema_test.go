package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpcgate/vpcgate/internal/golden"
)

// TestSchemaCommand: vpcgate schema prints each schema, and the copies
// under examples/schemas (for editors) are the same bytes.
func TestSchemaCommand(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"config", "usage", "scenario"} {
		out, stderr, code := runCLI(t, "schema", name)
		if code != 0 {
			t.Fatalf("schema %s: exit %d: %s", name, code, stderr)
		}
		var doc map[string]any
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Errorf("schema %s is not JSON: %v", name, err)
		}
		if doc["$schema"] != "https://json-schema.org/draft/2020-12/schema" || !strings.HasSuffix(doc["$id"].(string), "/examples/schemas/"+name+".schema.json") {
			t.Errorf("schema %s: $schema %v, $id %v", name, doc["$schema"], doc["$id"])
		}
		// The copy for editors is the same bytes (-update rewrites it).
		golden.Check(t, filepath.Join("..", "..", "examples", "schemas", name+".schema.json"), []byte(out))
	}
	for _, args := range [][]string{{"schema"}, {"schema", "plan"}, {"schema", "config", "usage"}} {
		if _, stderr, code := runCLI(t, args...); code != exitUsage || stderr == "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
}
