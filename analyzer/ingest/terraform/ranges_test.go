package terraform_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/vpcgate/vpcgate/analyzer"
	"github.com/vpcgate/vpcgate/policies"
)

// TestFindingRangesOnAttributes checks, for Terraform input, that every
// built-in rule fires on testdata/terraform/rules and that each finding's
// subject is the offending attribute (or rule block) inside the resource,
// not the whole resource.
func TestFindingRangesOnAttributes(t *testing.T) {
	t.Parallel()
	eng, err := policies.New(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "testdata", "terraform", "rules")
	res, err := analyzer.Analyze(context.Background(), analyzer.Options{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	fs, err := eng.Evaluate(context.Background(), res.Graph)
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(filepath.Join(dir, "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	// The attributes each rule may point at. Rules about a resource as a
	// whole (an idle address, the default group with its rules as related
	// ranges, a VPC or subnet) point at its block: "resource".
	allowed := map[string][]string{
		"admin-ports-open-to-world":  {"cidr_blocks"},
		"default-sg-closed":          {"resource"},
		"env-isolation":              {"security_groups"},
		"https-listener":             {"type", "protocol", "port"},
		"idle-eip":                   {"resource"},
		"multi-az":                   {"subnets", "resource"},
		"only-lb-public":             {"cidr_blocks"},
		"private-app-tier":           {"subnet_id", "associate_public_ip_address"},
		"private-egress-via-nat":     {"resource"},
		"public-subnet-auto-ip":      {"map_public_ip_on_launch"},
		"rds-multi-az":               {"multi_az", "db_subnet_group_name"},
		"rds-private":                {"publicly_accessible", "db_subnet_group_name", "cidr_blocks"},
		"sg-reference-between-tiers": {"cidr_blocks"},
		"shadowed-rule":              {"cidr_blocks"},
		"ssh-via-bastion-only":       {"cidr_blocks"},
	}
	fired := map[string]bool{}
	var lines []string
	for _, f := range fs {
		fired[f.RuleID] = true
		if f.Subject.File != "" && filepath.Base(f.Subject.File) != "main.tf" {
			t.Errorf("%s on %s points at %s", f.RuleID, f.Resource.ID, f.Subject.File)
			continue
		}
		text := ""
		if f.Subject.End.Byte <= len(src) && f.Subject.Start.Byte < f.Subject.End.Byte {
			text = string(src[f.Subject.Start.Byte:f.Subject.End.Byte])
		}
		first, _, _ := strings.Cut(text, "\n")
		lines = append(lines, fmt.Sprintf("%s %s %d:%d %q", f.RuleID, f.Resource.ID, f.Subject.Start.Line, f.Subject.Start.Column, first))
		ok := false
		for _, a := range allowed[f.RuleID] {
			if strings.HasPrefix(first, a+" ") || strings.HasPrefix(first, a+"=") || (a == "resource" && strings.HasPrefix(first, "resource ")) {
				ok = true
			}
		}
		if !ok {
			t.Errorf("%s on %s: subject %d:%d %q is not one of %v", f.RuleID, f.Resource.ID, f.Subject.Start.Line, f.Subject.Start.Column, first, allowed[f.RuleID])
		}
		if f.Subject.End.Line > f.Subject.Start.Line && !strings.HasPrefix(first, "resource ") {
			t.Errorf("%s on %s: an attribute subject spans lines %d-%d", f.RuleID, f.Resource.ID, f.Subject.Start.Line, f.Subject.End.Line)
		}
	}
	for _, r := range eng.Rules() {
		if !fired[r.ID] {
			t.Errorf("built-in rule %s does not fire on %s", r.ID, dir)
		}
	}
	sort.Strings(lines)
	t.Log(strings.Join(lines, "\n"))
}
