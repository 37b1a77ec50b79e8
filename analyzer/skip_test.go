package analyzer

import "testing"

func TestSkipped(t *testing.T) {
	cases := []struct {
		pattern, rel string
		want         bool
	}{
		{"test", "test", true},
		{"test", "a/b/test", true},
		{"test", "a/test/b.tf", false}, // the folder itself matches when walked
		{"*.bak.json", "dumps/vpcs.bak.json", true},
		{"*.bak.json", "dumps/vpcs.json", false},
		{"envs/dev", "envs/dev", true},
		{"envs/dev", "x/envs/dev", false},
		{"**/dev", "x/envs/dev", true},
		{"**/dev", "dev", true},
		{"envs/**", "envs", true},
		{"envs/**/main.tf", "envs/a/b/main.tf", true},
		{"envs/**/main.tf", "envs/main.tf", true},
		{"envs/**/main.tf", "other/main.tf", false},
		{"stacks/b*", "stacks/basic", true},
		{"stacks/b*", "stacks/improved", false},
		{"/stacks/basic/", "stacks/basic", true},
		{"a/?/c", "a/b/c", true},
		{"a/?/c", "a/bb/c", false},
	}
	for _, c := range cases {
		if got := skipped([]string{c.pattern}, c.rel); got != c.want {
			t.Errorf("skipped(%q, %q) = %v, want %v", c.pattern, c.rel, got, c.want)
		}
	}
	if err := checkSkipPaths([]string{"a/[b"}); err == nil {
		t.Error("a bad pattern was accepted")
	}
	if err := checkSkipPaths([]string{"**/x", "*.json"}); err != nil {
		t.Error(err)
	}
}
