package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestDiffCostEstimates: the cost part of diff marks what is priced from
// estimates (an eu-west-1 head) with "~" and the estimate note, in text
// and Markdown, and says so in JSON.
func TestDiffCostEstimates(t *testing.T) {
	t.Parallel()
	base, head := "../../cost/testdata/terraform/two-regions", "../../cost/testdata/terraform/eu-stack"
	note := "~ estimate: the unit price is not a list price"
	text, errOut, code := runCLI(t, "diff", "--base-path", base, head)
	if code != 0 && code != exitFindings {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	// aws_instance.db is new at eu-west-1 estimates: 325.57; the base's
	// us-east-1 instance is at list price.
	for _, want := range []string{"aws_instance.db (instance): 0.00 → ~325.57 (~+325.57)", "aws_instance.east_app (instance): 32.37 → 0.00 (-32.37)", note} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	md, _, _ := runCLI(t, "diff", "--format", "markdown", "--base-path", base, head)
	if !strings.Contains(md, note) || !strings.Contains(md, "| 0.00 | ~325.57 | ~+325.57 |") {
		t.Errorf("markdown:\n%s", md)
	}
	js, _, _ := runCLI(t, "diff", "--format", "json", "--base-path", base, head)
	var doc struct {
		Cost struct {
			Estimate  bool     `json:"estimate"`
			Footnotes []string `json:"footnotes"`
			Resources []struct {
				ID       string `json:"id"`
				Estimate bool   `json:"estimate"`
			} `json:"resources"`
		} `json:"cost"`
	}
	if err := json.Unmarshal([]byte(js), &doc); err != nil {
		t.Fatal(err)
	}
	if !doc.Cost.Estimate || len(doc.Cost.Footnotes) != 1 || !strings.HasPrefix(doc.Cost.Footnotes[0], note) {
		t.Errorf("json cost estimate %v, footnotes %q", doc.Cost.Estimate, doc.Cost.Footnotes)
	}
	for _, r := range doc.Cost.Resources {
		if want := r.ID != "aws_instance.east_app"; r.Estimate != want {
			t.Errorf("%s: estimate %v, want %v", r.ID, r.Estimate, want)
		}
	}
}
