package simulate

import (
	"bytes"
	_ "embed"
)

//go:embed scenario.schema.json
var scenarioSchema []byte

// ScenarioSchema returns the JSON Schema (draft 2020-12) of the scenario
// file, for editors (`vpcgate schema scenario`; a copy is
// examples/schemas/scenario.schema.json).
func ScenarioSchema() []byte { return bytes.Clone(scenarioSchema) }
