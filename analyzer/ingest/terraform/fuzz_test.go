package terraform

import (
	"context"
	"github.com/vpcgate/vpcgate/analyzer/ingest"
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoadModule fuzzes the HCL text of one file of a module: whatever the
// text, loading returns a graph and diagnostics, never a panic.
//
// The seeds are whole example files, so minimizing an interesting input
// takes long: run with a bound, as in
//
//	go test ./analyzer/ingest/terraform -run '^$' -fuzz FuzzLoadModule -fuzztime 2m -fuzzminimizetime 3s
func FuzzLoadModule(f *testing.F) {
	for _, name := range []string{"basic/main.tf", "improved/main.tf", "production/main.tf", "production/modules/network/main.tf"} {
		if b, err := os.ReadFile(filepath.Join("..", "..", "..", "examples", "terraform", filepath.FromSlash(name))); err == nil {
			f.Add(string(b))
		}
	}
	for _, s := range []string{
		`resource "aws_instance" "x" { count = 1e9 }`,
		`resource "aws_vpc" "a" { cidr_block = aws_vpc.a.cidr_block }`,
		`locals { a = local.b
b = local.a }
resource "aws_subnet" "s" { cidr_block = local.a }`,
		`resource "aws_security_group" "s" { dynamic "ingress" { for_each = [1, 2] content { from_port = ingress.value } } }`,
		`resource "aws_security_group" "s" { ingress = [{ cidr_blocks = ["0.0.0.0/0"], from_port = 1, to_port = 2, protocol = "tcp" }] }`,
		`module "m" { source = "./" }`,
		`module "m" { source = "../../../../etc" }`,
		`resource "aws_subnet" "s" { for_each = toset(["a", "b"]) cidr_block = cidrsubnet("10.0.0.0/16", 8, index(["a","b"], each.key)) }`,
		`variable "v" { type = map(object({ a = optional(string, "x") })) default = { k = {} } }
output "o" { value = var.v }`,
		"# vpcgate:ignore\nresource \"aws_vpc\" \"v\" {}",
		`resource "aws_route" "r" { route_table_id = "nope" destination_cidr_block = "0.0.0.0/0" }`,
		`resource "aws_lb" "l" { internal = null subnets = null }`,
		`resource "aws_instance" "i" { count = -1 }`,
		`resource "x" "y" { for_each = {a = 1} } resource "aws_eip" "e" { instance = x.y["a"].id }`,
	} {
		f.Add(s)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, src string) {
		path := filepath.Join(dir, "main.tf")
		g := LoadModule(context.Background(), dir, Options{Options: ingest.Options{Overlay: map[string][]byte{path: []byte(src)}}})
		if g == nil {
			t.Fatal("nil graph")
		}
		for _, d := range g.Diagnostics {
			if d.Summary == "" {
				t.Errorf("diagnostic without a summary: %+v", d)
			}
		}
		_ = g.Edges()
	})
}

// FuzzTfvars fuzzes terraform.tfvars beside a module declaring variables
// of several types: whatever the values, loading returns a graph and
// diagnostics, never a panic.
func FuzzTfvars(f *testing.F) {
	for _, s := range []string{
		"cidr = \"10.0.0.0/16\"\nzones = [\"a\", \"b\"]\nports = { ssh = 22 }\n",
		"cidr = null\nzones = 1\n",
		"ports = { ssh = \"x\" }\nundeclared = true\n",
		"zones = [for z in [\"a\"] : \"${z}-1\"]\n",
		"cidr = var.cidr\n",
	} {
		f.Add(s)
	}
	dir := f.TempDir()
	module := `variable "cidr" {
  type = string
}
variable "zones" {
  type    = list(string)
  default = []
}
variable "ports" {
  type    = map(number)
  default = {}
}
resource "aws_vpc" "v" {
  cidr_block = var.cidr
}
resource "aws_subnet" "s" {
  for_each   = toset(var.zones)
  vpc_id     = aws_vpc.v.id
  cidr_block = cidrsubnet(var.cidr, 8, index(var.zones, each.key))
}
resource "aws_security_group" "g" {
  vpc_id = aws_vpc.v.id
  dynamic "ingress" {
    for_each = var.ports
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}
`
	f.Fuzz(func(t *testing.T, src string) {
		overlay := map[string][]byte{filepath.Join(dir, "main.tf"): []byte(module), filepath.Join(dir, "terraform.tfvars"): []byte(src)}
		g := LoadModule(context.Background(), dir, Options{Options: ingest.Options{Overlay: overlay}})
		if g == nil {
			t.Fatal("nil graph")
		}
		for _, d := range g.Diagnostics {
			if d.Summary == "" {
				t.Errorf("diagnostic without a summary: %+v", d)
			}
		}
	})
}
