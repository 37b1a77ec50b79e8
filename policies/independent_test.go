package policies_test

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vpcgate/vpcgate/analyzer"
	"github.com/vpcgate/vpcgate/policies"
)

// evaluateDir analyses dir and returns "rule resource" of each determined
// finding of the given rules, sorted.
func evaluateDir(t *testing.T, dir string, rules ...string) []string {
	t.Helper()
	e, err := policies.New(context.Background(), policies.WithRules(rules...))
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
	var out []string
	for _, f := range fs {
		if !f.Undetermined {
			out = append(out, f.RuleID+" "+f.Resource.ID)
		}
	}
	sort.Strings(out)
	return out
}

// TestNetworkStackAlone: the CDK example's NetworkStack, scanned without
// the application stack that puts compute in its subnets, still reports
// the private subnets routing to the NAT gateway of another AZ (a subnet
// routing to a NAT gateway means to have egress).
func TestNetworkStackAlone(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile("../examples/cdk/cdk.out/NetworkStack.template.json")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "NetworkStack.template.json"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	got := evaluateDir(t, dir, "private-egress-via-nat")
	want := []string{
		"private-egress-via-nat NetworkStack.template/vpcprivateSubnet2Subnet1C8B0CEE",
		"private-egress-via-nat NetworkStack.template/vpcprivateSubnet3SubnetE7E339A1",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("NetworkStack alone (-want +got):\n%s", diff)
	}
	// With the application stack the same subnets are reported.
	whole := evaluateDir(t, "../examples/cdk", "private-egress-via-nat")
	if len(whole) != len(want) {
		t.Errorf("whole CDK app: %v, want the same %d subnets", whole, len(want))
	}
}

// exposedHostTF is a public host whose only rule opens SSH to the world,
// with nothing declaring it a bastion and no group admitting SSH from it.
const exposedHostTF = `resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "public" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.0.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
}

resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}

resource "aws_security_group" "ssh" {
  vpc_id = aws_vpc.main.id
  ingress {
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_instance" "host" {
  ami                         = "ami-12345678"
  instance_type               = "t3.micro"
  subnet_id                   = aws_subnet.public.id
  associate_public_ip_address = true
  vpc_security_group_ids      = [aws_security_group.ssh.id]
}
`

// TestExposedHostIsNotABastion: exposure is not evidence of a tier. The
// host is not a bastion, so only-lb-public and ssh-via-bastion-only report
// it on the instance; declared a bastion (tag), only-lb-public lets its
// SSH through and ssh-via-bastion-only judges its group as a bastion's.
func TestExposedHostIsNotABastion(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(exposedHostTF), 0o644); err != nil {
		t.Fatal(err)
	}
	got := evaluateDir(t, dir, "only-lb-public", "ssh-via-bastion-only")
	want := []string{
		"only-lb-public aws_instance.host",
		"ssh-via-bastion-only aws_instance.host",
		"ssh-via-bastion-only aws_security_group.ssh",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("exposed host (-want +got):\n%s", diff)
	}
	declared := filepath.Join(t.TempDir(), "declared")
	if err := os.Mkdir(declared, 0o755); err != nil {
		t.Fatal(err)
	}
	tagged := exposedHostTF[:len(exposedHostTF)-2] + "  tags = { Role = \"bastion\" }\n}\n"
	if err := os.WriteFile(filepath.Join(declared, "main.tf"), []byte(tagged), 0o644); err != nil {
		t.Fatal(err)
	}
	got = evaluateDir(t, declared, "only-lb-public", "ssh-via-bastion-only")
	want = []string{"ssh-via-bastion-only aws_security_group.ssh"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("declared bastion (-want +got):\n%s", diff)
	}
}
