package cloudformation

import (
	"testing"
)

// TestValueRanges checks the range of each kind of value: the text a
// value's range spans must be exactly the value as written.
func TestValueRanges(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, doc, key, want string
	}{
		{"plain", "A: hello world\n", "A", "hello world"},
		{"double quoted", `A: "a \"q\" b" # c` + "\n", "A", `"a \"q\" b"`},
		{"single quoted", "A: 'it''s'\n", "A", "'it''s'"},
		{"tagged", "A: !Ref Vpc\n", "A", "!Ref Vpc"},
		{"tagged sequence", "A: !Join ['', [a, b]]\n", "A", "!Join ['', [a, b]]"},
		{"flow mapping", "A: {B: 1, C: [2, 3]}  \n", "A", "{B: 1, C: [2, 3]}"},
		{"block mapping", "A:\n  B: 1\n  C:\n    - x\n    - y\nD: 2\n", "A", "B: 1\n  C:\n    - x\n    - y"},
		{"literal block", "A: |\n  line one\n  line two\n\nB: 1\n", "A", "|\n  line one\n  line two"},
		{"folded block", "X:\n  A: >-\n    folded\n    text\n  B: 2\n", "X", "A: >-\n    folded\n    text\n  B: 2"},
		{"json", `{"A": {"B": [1, {"C": "d"}]}, "E": 2}`, "A", `{"B": [1, {"C": "d"}]}`},
		{"utf-8 before", "A: 'é→x' \nB: ü\n", "B", "ü"},
		{"alias", "A: &x [1, 2]\nB: *x\n", "B", "[1, 2]"},
		{"byte order mark", "\ufeffA: 1\n", "A", "1"},
		{"one-line json after utf-8", `{"D": "é→", "A": {"B": "ü"}, "C": 1}`, "A", `{"B": "ü"}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			src := newSource("t.yaml", []byte(c.doc))
			root, diags, err := parseTemplate(src, limits{maxAliases: 10, maxDepth: 10, maxNodes: 1000})
			if err != nil || len(diags) > 0 {
				t.Fatalf("parse: %v %v", err, diags)
			}
			v := root.get(c.key)
			if v == nil {
				t.Fatalf("no key %s", c.key)
			}
			got := c.doc[v.rng.Start.Byte:v.rng.End.Byte]
			if got != c.want {
				t.Errorf("range %v spans %q, want %q", v.rng, got, c.want)
			}
			if p := src.pos(v.rng.Start.Byte); p != v.rng.Start {
				t.Errorf("start %+v disagrees with its byte offset (%+v)", v.rng.Start, p)
			}
		})
	}
}

// TestShortFormTags checks that every short-form tag becomes its long form.
func TestShortFormTags(t *testing.T) {
	t.Parallel()
	for tag, fn := range shortForms {
		src := newSource("t.yaml", []byte("A: "+tag+" x\n"))
		root, _, err := parseTemplate(src, limits{maxAliases: 10, maxDepth: 10, maxNodes: 100})
		if err != nil {
			t.Fatalf("%s: %v", tag, err)
		}
		a := root.get("A")
		if a.kind != mapNode || len(a.ents) != 1 || a.ents[0].key != fn || a.ents[0].val.value != "x" {
			t.Errorf("%s x read as %+v", tag, a)
		}
	}
}
