package config

import (
	"bytes"
	_ "embed"
)

//go:embed schema.json
var schema []byte

// Schema returns the JSON Schema (draft 2020-12) of .vpcgate.yaml, for
// editors (`vpcgate schema config`; a copy is examples/schemas/config.schema.json).
func Schema() []byte { return bytes.Clone(schema) }
