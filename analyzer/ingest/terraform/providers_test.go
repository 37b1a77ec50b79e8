package terraform

import (
	"context"
	"github.com/vpcgate/vpcgate/analyzer/ingest"
	"os"
	"path/filepath"
	"testing"
)

// TestProviderRegion: each resource carries the region of its aws
// provider configuration — the default block, an alias named with
// provider = aws.x, a module's inherited default or the configuration the
// call passes in providers — and --region only fills what none sets.
func TestProviderRegion(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, src string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("main.tf", `
variable "region" { default = "eu-west-1" }
provider "aws" { region = var.region }
provider "aws" {
  alias  = "us"
  region = "us-west-2"
}
data "aws_availability_zones" "az" {}
data "aws_region" "here" {}
resource "aws_vpc" "main" { cidr_block = "10.0.0.0/16" }
resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = data.aws_availability_zones.az.names[0]
  tags              = { Name = data.aws_region.here.name }
}
resource "aws_vpc" "west" {
  provider   = aws.us
  cidr_block = "10.9.0.0/16"
}
module "passed" {
  source    = "./modules/net"
  providers = { aws = aws.us }
}
module "inherited" {
  source = "./modules/net"
}
module "own" {
  source = "./modules/own"
}
`)
	write("modules/net/main.tf", `resource "aws_vpc" "m" { cidr_block = "10.1.0.0/16" }`)
	write("modules/own/main.tf", `
provider "aws" { region = "ap-south-1" }
resource "aws_vpc" "m" { cidr_block = "10.2.0.0/16" }
module "deeper" { source = "../net" }
`)
	for _, opt := range []string{"", "ca-central-1"} {
		g := LoadModule(context.Background(), dir, Options{Options: ingest.Options{Region: opt}})
		for _, d := range g.Diagnostics {
			t.Errorf("diagnostic: %v", d)
		}
		want := map[string]string{
			"aws_vpc.main":                       "eu-west-1",
			"aws_vpc.main.main_route_table":      "eu-west-1",
			"aws_subnet.a":                       "eu-west-1",
			"aws_vpc.west":                       "us-west-2",
			"module.passed.aws_vpc.m":            "us-west-2",
			"module.inherited.aws_vpc.m":         "eu-west-1",
			"module.own.aws_vpc.m":               "ap-south-1",
			"module.own.module.deeper.aws_vpc.m": "ap-south-1",
		}
		for id, region := range want {
			n := g.Node(id)
			if n == nil {
				t.Errorf("--region %q: no node %s", opt, id)
				continue
			}
			if got := n.Meta().Source.Region; got != region {
				t.Errorf("--region %q: %s region = %q, want %q", opt, id, got, region)
			}
		}
		s := g.Subnets()[0]
		if s.AvailabilityZone != "eu-west-1a" || s.Name != "eu-west-1" {
			t.Errorf("--region %q: subnet zone %q, name %q: data sources should follow the provider's region", opt, s.AvailabilityZone, s.Name)
		}
	}
	// No provider region: --region fills it, and nothing when not given.
	dir2 := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir2, "main.tf"), []byte(`resource "aws_vpc" "v" { cidr_block = "10.0.0.0/16" }`), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := LoadModule(context.Background(), dir2, Options{Options: ingest.Options{Region: "eu-north-1"}}).Node("aws_vpc.v").Meta().Source.Region; r != "eu-north-1" {
		t.Errorf("--region fill: %q", r)
	}
	if r := LoadModule(context.Background(), dir2, Options{}).Node("aws_vpc.v").Meta().Source.Region; r != "" {
		t.Errorf("no region anywhere: %q, want empty", r)
	}
}
