package schematest

import (
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMissing(t *testing.T) {
	t.Parallel()
	type item struct {
		A int `yaml:"a"`
		B int `yaml:"b"`
	}
	type doc struct {
		Items []item           `yaml:"items"`
		ByKey map[string]*item `yaml:"by_key"`
		Skip  int              `yaml:"-"`
		Gone  string           `yaml:"gone"`
	}
	schema := []byte(`{"properties": {
		"items": {"type": "array", "items": {"$ref": "#/$defs/item"}},
		"by_key": {"additionalProperties": {"properties": {"a": {}}}}},
		"$defs": {"item": {"properties": {"a": {}}}}}`)
	got, err := Missing(schema, reflect.TypeFor[doc]())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"items[].b", "by_key.*.b", "gone"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	s, err := Compile(schema)
	if err != nil {
		t.Fatal(err)
	}
	if err := ValidateYAML(s, []byte("items: [{a: 1}]\nwhen: 2026-12-31\n")); err != nil {
		t.Error(err)
	}
}
