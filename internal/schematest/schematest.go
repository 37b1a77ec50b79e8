// Package schematest validates YAML and JSON documents against the JSON
// Schemas vpcgate ships for its own files (.vpcgate.yaml, usage and
// scenario files), for the tests of the packages that own them.
package schematest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

// Compile compiles a JSON Schema document.
func Compile(schema []byte) (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema))
	if err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("schema.json", doc); err != nil {
		return nil, err
	}
	return c.Compile("schema.json")
}

// ValidateYAML decodes a YAML document as an editor's YAML language server
// sees it (timestamps as strings) and validates it.
func ValidateYAML(s *jsonschema.Schema, data []byte) error {
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		return fmt.Errorf("yaml: %w", err)
	}
	return s.Validate(jsonValue(v))
}

// jsonValue turns what yaml.v3 decodes into the values of encoding/json.
func jsonValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = jsonValue(e)
		}
		return out
	case map[any]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[fmt.Sprint(k)] = jsonValue(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonValue(e)
		}
		return out
	case int:
		return json.Number(fmt.Sprint(x))
	case int64:
		return json.Number(fmt.Sprint(x))
	case uint64:
		return json.Number(fmt.Sprint(x))
	case float64:
		return json.Number(fmt.Sprint(x))
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format(time.DateOnly)
		}
		return x.Format(time.RFC3339Nano)
	}
	return v
}

// Missing returns the yaml field names of the struct type t (and of the
// structs it holds, by field path such as "load.phases[].rps") that the
// schema document does not declare under "properties", followed through
// local "$ref"s and "additionalProperties". It keeps a hand-written schema
// in step with the Go types that read the file.
func Missing(schema []byte, t reflect.Type) ([]string, error) {
	var doc map[string]any
	if err := json.Unmarshal(schema, &doc); err != nil {
		return nil, err
	}
	var out []string
	var walk func(node map[string]any, t reflect.Type, path string)
	walk = func(node map[string]any, t reflect.Type, path string) {
		node = deref(doc, node)
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			if t.Kind() == reflect.Slice {
				if items, ok := node["items"].(map[string]any); ok {
					node = deref(doc, items)
				}
				path += "[]"
			}
			t = t.Elem()
		}
		if t.Kind() == reflect.Map {
			if ap, ok := node["additionalProperties"].(map[string]any); ok {
				walk(ap, t.Elem(), path+".*")
			}
			return
		}
		if t.Kind() != reflect.Struct {
			return
		}
		props, _ := node["properties"].(map[string]any)
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if name == "" || name == "-" || !f.IsExported() {
				if f.Anonymous {
					walk(node, f.Type, path)
				}
				continue
			}
			p, ok := props[name].(map[string]any)
			if !ok {
				out = append(out, strings.TrimPrefix(path+"."+name, "."))
				continue
			}
			walk(p, f.Type, path+"."+name)
		}
	}
	walk(doc, t, "")
	return out, nil
}

// deref follows a local $ref (#/$defs/name).
func deref(doc, node map[string]any) map[string]any {
	for range 8 {
		ref, ok := node["$ref"].(string)
		if !ok {
			return node
		}
		name, ok := strings.CutPrefix(ref, "#/$defs/")
		if !ok {
			return node
		}
		defs, _ := doc["$defs"].(map[string]any)
		next, ok := defs[name].(map[string]any)
		if !ok {
			return node
		}
		node = next
	}
	return node
}
