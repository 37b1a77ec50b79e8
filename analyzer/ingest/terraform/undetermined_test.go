package terraform_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/vpcgate/vpcgate/analyzer"
	"github.com/vpcgate/vpcgate/policies"
)

// TestUnknownGivesUndetermined checks end to end that values a
// configuration leaves unknown (variables without a value, a dynamic block
// over one) make the rules that depend on them report undetermined
// findings, not a pass or a fail by guess.
func TestUnknownGivesUndetermined(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`
variable "rules" { type = list(object({ port = number, cidr = string })) }
variable "ha" { type = bool }
resource "aws_vpc" "v" { cidr_block = "10.0.0.0/16" }
resource "aws_security_group" "s" {
  name   = "s"
  vpc_id = aws_vpc.v.id
  dynamic "ingress" {
    for_each = var.rules
    content {
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      protocol    = "tcp"
      cidr_blocks = [ingress.value.cidr]
    }
  }
}
resource "aws_db_instance" "d" {
  identifier             = "d"
  engine                 = "mysql"
  multi_az               = var.ha
  publicly_accessible    = var.ha
  vpc_security_group_ids = [aws_security_group.s.id]
}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	eng, err := policies.New(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	res, err := analyzer.Analyze(context.Background(), analyzer.Options{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	fs, err := eng.Evaluate(context.Background(), res.Graph)
	if err != nil {
		t.Fatal(err)
	}
	undetermined := map[string]bool{}
	for _, f := range fs {
		key := f.RuleID + " " + f.Resource.ID
		if f.Resource.ID == "d" || f.Resource.ID == "aws_security_group.s" {
			if !f.Undetermined {
				t.Errorf("%s: decided although its input is unknown: %s", key, f.Message)
			}
			undetermined[key] = true
		}
	}
	for _, want := range []string{"rds-multi-az d", "rds-private d", "admin-ports-open-to-world aws_security_group.s"} {
		if !undetermined[want] {
			t.Errorf("no undetermined finding %s; findings: %v", want, undetermined)
		}
	}
}
