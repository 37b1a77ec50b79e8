package cost

import (
	"bytes"
	_ "embed"
)

//go:embed usage.schema.json
var usageSchema []byte

// UsageSchema returns the JSON Schema (draft 2020-12) of the usage file,
// for editors (`vpcgate schema usage`; a copy is
// examples/schemas/usage.schema.json).
func UsageSchema() []byte { return bytes.Clone(usageSchema) }
