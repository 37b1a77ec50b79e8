package policies_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vpcgate/vpcgate/analyzer"
	"github.com/vpcgate/vpcgate/policies"
)

// shadowTF has, per AWS's rules of evaluation, a network ACL entry that
// never applies (200 denies SSH from the world, which entries 100 and 110
// already allow as two halves of the address space), one that does
// (300: UDP is not covered), and a security group with a rule inside
// another (spelled with a protocol number and a non-canonical CIDR),
// another inside the same one, and a rule whose peer is a group, which no
// CIDR covers.
const shadowTF = `resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_network_acl" "edge" {
  vpc_id = aws_vpc.main.id

  ingress {
    rule_no    = 100
    protocol   = "tcp"
    action     = "allow"
    cidr_block = "0.0.0.0/1"
    from_port  = 0
    to_port    = 65535
  }

  ingress {
    rule_no    = 110
    protocol   = "6"
    action     = "allow"
    cidr_block = "128.0.0.0/1"
    from_port  = 0
    to_port    = 65535
  }

  ingress {
    rule_no    = 200
    protocol   = "tcp"
    action     = "deny"
    cidr_block = "0.0.0.0/0"
    from_port  = 22
    to_port    = 22
  }

  ingress {
    rule_no    = 300
    protocol   = "udp"
    action     = "deny"
    cidr_block = "198.51.100.0/24"
    from_port  = 53
    to_port    = 53
  }
}

resource "aws_security_group" "app" {
  vpc_id = aws_vpc.main.id

  ingress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["10.0.0.0/8"]
  }

  ingress {
    protocol    = "6"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["10.1.255.255/16"]
  }

  ingress {
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["10.20.0.0/16"]
  }

  ingress {
    protocol        = "tcp"
    from_port       = 443
    to_port         = 443
    security_groups = [aws_security_group.lb.id]
  }
}

resource "aws_security_group" "lb" {
  vpc_id = aws_vpc.main.id
}
`

// TestShadowedRuleOnTerraform runs shadowed-rule end to end: the finding
// points at the shadowed block's line, the covering blocks are related.
func TestShadowedRuleOnTerraform(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(shadowTF), 0o644); err != nil {
		t.Fatal(err)
	}
	e, err := policies.New(context.Background(), policies.WithRules("shadowed-rule"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := analyzer.Analyze(context.Background(), analyzer.Options{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	fs, err := e.Evaluate(context.Background(), res.Graph)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range fs {
		var rel []string
		for _, r := range f.Related {
			rel = append(rel, fmt.Sprintf("line %d", r.Range.Start.Line))
		}
		got = append(got, fmt.Sprintf("%s line %d: %s [related %s]", f.Resource.ID, f.Subject.Start.Line, f.Message, strings.Join(rel, ", ")))
	}
	sort.Strings(got)
	want := []string{
		"aws_network_acl.edge line 26: network ACL aws_network_acl.edge: inbound entry 200 (deny tcp port 22 from 0.0.0.0/0) never applies: entries 100, 110 match all its traffic first [related line 8, line 17]",
		"aws_security_group.app line 59: security group aws_security_group.app: ingress rule (tcp port 22 from 10.1.255.255/16) adds nothing: rule (all traffic from 10.0.0.0/8) already admits its traffic [related line 52]",
		"aws_security_group.app line 66: security group aws_security_group.app: ingress rule (tcp port 443 from 10.20.0.0/16) adds nothing: rule (all traffic from 10.0.0.0/8) already admits its traffic [related line 52]",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}
