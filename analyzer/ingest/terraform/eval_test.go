package terraform

import (
	"context"
	"fmt"
	"github.com/vpcgate/vpcgate/analyzer/ingest"
	"github.com/vpcgate/vpcgate/analyzer/reach"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/zclconf/go-cty/cty"
)

// writeTree writes files (path → content, paths relative to a new temporary
// directory) and returns the directory.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for p, content := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func load(t *testing.T, dir string, opts Options) *graph.Graph {
	t.Helper()
	return LoadModule(context.Background(), dir, opts)
}

func node[T graph.Node](t *testing.T, g *graph.Graph, id string) T {
	t.Helper()
	n, ok := graph.Get[T](g, id)
	if !ok {
		var ids []string
		for _, x := range g.Nodes() {
			ids = append(ids, x.Meta().ID)
		}
		t.Fatalf("no %T %q; nodes: %s; diagnostics: %v", n, id, strings.Join(ids, ", "), g.Diagnostics)
	}
	return n
}

func hasDiag(g *graph.Graph, sev graph.Severity, substr string) bool {
	for _, d := range g.Diagnostics {
		if d.Severity == sev && strings.Contains(d.Summary, substr) {
			return true
		}
	}
	return false
}

func TestVariablePrecedence(t *testing.T) {
	t.Parallel()
	files := map[string]string{
		"main.tf": `
variable "a" { default = "default" }
variable "b" { default = "default" }
variable "c" { default = "default" }
variable "d" { default = "default" }
variable "e" { default = "default" }
variable "n" { type = number }
resource "aws_vpc" "v" {
  cidr_block = "10.${var.n}.0.0/16"
  tags = { a = var.a, b = var.b, c = var.c, d = var.d, e = var.e }
}`,
		"terraform.tfvars":    "b = \"tfvars\"\nc = \"tfvars\"\nd = \"tfvars\"\ne = \"tfvars\"\nn = 1\n",
		"x.auto.tfvars":       "c = \"auto\"\nd = \"auto\"\ne = \"auto\"\n",
		"extra/more.tfvars":   "d = \"varfile\"\ne = \"varfile\"\n",
		"extra/ignored.tfvar": "a = \"nope\"\n",
	}
	dir := writeTree(t, files)
	g := load(t, dir, Options{VarFiles: []string{filepath.Join(dir, "extra", "more.tfvars")}, Vars: map[string]string{"e": "cli", "n": "7"}})
	v := node[*graph.VPC](t, g, "aws_vpc.v")
	want := map[string]string{"a": "default", "b": "tfvars", "c": "auto", "d": "varfile", "e": "cli"}
	if diff := cmp.Diff(want, v.Tags); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"10.7.0.0/16"}, v.CIDRBlocks); diff != "" {
		t.Errorf("cidr (-want +got):\n%s", diff)
	}
}

func TestExpressions(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{"main.tf": `
variable "env" { default = "prod" }
variable "azs" {
  type    = list(string)
  default = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
}
locals {
  cidr     = "10.20.0.0/16"
  is_prod  = var.env == "prod"
  tiers    = { web = 0, app = 10 }
  extra    = try(var.missing, "fallback")
  flat     = flatten([["a"], ["b", "c"]])
  by_name  = zipmap(["x", "y"], [1, 2])
  merged   = merge({ a = 1 }, { b = 2 })
  combined = concat(["p"], ["q"])
  name     = format("%s-%02d", var.env, 3)
}
resource "aws_vpc" "v" {
  cidr_block = local.cidr
  tags = {
    Name    = local.name
    extra   = local.extra
    flat    = join(",", local.flat)
    size    = tostring(length(toset(["a", "a", "b"])))
    y       = tostring(lookup(local.by_name, "y", 0))
    keys    = join(",", keys(local.merged))
    first   = element(local.combined, 3)
    coal    = coalesce("", "c")
    netmask = cidrnetmask(local.cidr)
  }
}
resource "aws_subnet" "s" {
  count             = local.is_prod ? length(var.azs) : 1
  vpc_id            = aws_vpc.v.id
  availability_zone = var.azs[count.index]
  cidr_block        = cidrsubnet(local.cidr, 8, count.index + 1)
  tags              = { host = cidrhost(cidrsubnet(local.cidr, 8, count.index + 1), 5) }
}
resource "aws_subnet" "tier" {
  for_each   = local.tiers
  vpc_id     = aws_vpc.v.id
  cidr_block = cidrsubnet(local.cidr, 8, 100 + each.value)
  tags       = { Name = each.key }
}
resource "aws_lb" "lb" {
  name    = "lb"
  subnets = aws_subnet.s[*].id
}
resource "aws_db_subnet_group" "g" {
  name       = "g"
  subnet_ids = [for k, s in aws_subnet.tier : s.id if k != "web"]
}
`})
	g := load(t, dir, Options{})
	v := node[*graph.VPC](t, g, "aws_vpc.v")
	wantTags := map[string]string{
		"Name": "prod-03", "extra": "fallback", "flat": "a,b,c", "size": "2", "y": "2", "keys": "a,b",
		"first": "q", "coal": "c", "netmask": "255.255.0.0",
	}
	if diff := cmp.Diff(wantTags, v.Tags); diff != "" {
		t.Errorf("vpc tags (-want +got):\n%s", diff)
	}
	for i, want := range []struct{ az, cidr, host string }{
		{"eu-west-1a", "10.20.1.0/24", "10.20.1.5"},
		{"eu-west-1b", "10.20.2.0/24", "10.20.2.5"},
		{"eu-west-1c", "10.20.3.0/24", "10.20.3.5"},
	} {
		s := node[*graph.Subnet](t, g, "aws_subnet.s["+itoa(i)+"]")
		if s.AvailabilityZone != want.az || s.CIDRBlock != want.cidr || s.Tags["host"] != want.host || s.VPCID != "aws_vpc.v" {
			t.Errorf("subnet %d = %s %s %s in %s, want %+v", i, s.AvailabilityZone, s.CIDRBlock, s.Tags["host"], s.VPCID, want)
		}
	}
	if s := node[*graph.Subnet](t, g, `aws_subnet.tier["app"]`); s.CIDRBlock != "10.20.110.0/24" || s.Name != "app" {
		t.Errorf("for_each subnet = %s %s", s.CIDRBlock, s.Name)
	}
	lb := node[*graph.LoadBalancer](t, g, "aws_lb.lb")
	if diff := cmp.Diff([]string{"aws_subnet.s[0]", "aws_subnet.s[1]", "aws_subnet.s[2]"}, lb.SubnetIDs); diff != "" {
		t.Errorf("splat subnets (-want +got):\n%s", diff)
	}
	if lb.Scheme != "internet-facing" || lb.Type != "application" || lb.VPCID != "aws_vpc.v" {
		t.Errorf("lb defaults: scheme %q type %q vpc %q", lb.Scheme, lb.Type, lb.VPCID)
	}
	dg := node[*graph.DBSubnetGroup](t, g, "g")
	if diff := cmp.Diff([]string{`aws_subnet.tier["app"]`}, dg.SubnetIDs); diff != "" {
		t.Errorf("for expression (-want +got):\n%s", diff)
	}
	for _, d := range g.Diagnostics {
		if d.Severity != graph.SeverityInfo {
			t.Errorf("unexpected diagnostic %v", d)
		}
	}
}

func TestUnknownValuesStayUnknown(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{"main.tf": `
variable "public" { type = bool }
variable "admin" { type = string }
data "aws_vpc" "shared" { default = true }
resource "aws_db_instance" "db" {
  identifier          = "db"
  engine              = "postgres"
  publicly_accessible = var.public
  multi_az            = var.public
}
resource "aws_security_group" "sg" {
  name   = "sg"
  vpc_id = data.aws_vpc.shared.id
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.admin, "10.0.0.0/8"]
  }
}
resource "aws_instance" "i" {
  count                       = length(data.aws_vpc.shared.cidr_block_associations)
  associate_public_ip_address = var.public
}
resource "aws_instance" "j" {
  associate_public_ip_address = var.public
  subnet_id                   = "subnet-123"
}
`})
	g := load(t, dir, Options{})
	db := node[*graph.DBInstance](t, g, "db")
	if diff := cmp.Diff([]string{"multi_az", "publicly_accessible"}, db.Unknown); diff != "" {
		t.Errorf("db unknown (-want +got):\n%s", diff)
	}
	if db.Port != 5432 {
		t.Errorf("postgres default port = %d", db.Port)
	}
	sg := node[*graph.SecurityGroup](t, g, "aws_security_group.sg")
	if sg.VPCID != "" || !sg.IsUnknown("vpc_id") {
		t.Errorf("vpc_id from a data source should be unknown: %q %v", sg.VPCID, sg.Unknown)
	}
	if len(sg.Egress) != 0 {
		t.Errorf("a Terraform-managed group without egress blocks has no egress, got %v", sg.Egress)
	}
	var known, unknown int
	for _, r := range sg.Ingress {
		if r.Unknown {
			unknown++
			if r.Peer != "" {
				t.Errorf("unknown rule has a guessed peer %q", r.Peer)
			}
		} else if r.Peer == "10.0.0.0/8" {
			known++
		}
	}
	if known != 1 || unknown != 1 {
		t.Errorf("rules %+v: want one known 10.0.0.0/8 and one unknown", sg.Ingress)
	}
	i := node[*graph.Instance](t, g, "aws_instance.i")
	if !i.IsUnknown("count") {
		t.Errorf("instance with unknown count: unknown = %v", i.Unknown)
	}
	if !hasDiag(g, graph.SeverityWarning, "count is not known statically") {
		t.Errorf("no warning for unknown count: %v", g.Diagnostics)
	}
	j := node[*graph.Instance](t, g, "aws_instance.j")
	if j.PublicIP != "" || !j.IsUnknown("public_ip") || !j.IsUnknown("associate_public_ip") {
		t.Errorf("instance j: public ip %q unknown %v", j.PublicIP, j.Unknown)
	}
	if !hasDiag(g, graph.SeverityInfo, `variable "public" has no value`) {
		t.Errorf("no info diagnostic for the unset variable: %v", g.Diagnostics)
	}
}

func TestProviderSemantics(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{"main.tf": `
resource "aws_vpc" "v" { cidr_block = "10.0.0.0/16" }
resource "aws_vpc" "w" { cidr_block = "10.1.0.0/16" }
resource "aws_subnet" "pub" {
  vpc_id                  = aws_vpc.v.id
  cidr_block              = "10.0.1.0/24"
  map_public_ip_on_launch = true
}
resource "aws_subnet" "priv" {
  vpc_id     = aws_vpc.v.id
  cidr_block = "10.0.2.0/24"
}
resource "aws_default_security_group" "d" {
  vpc_id = aws_vpc.v.id
}
resource "aws_default_network_acl" "d" {
  default_network_acl_id = aws_vpc.v.default_network_acl_id
  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "tcp"
    from_port  = 443
    to_port    = 443
    cidr_block = "0.0.0.0/0"
  }
}
resource "aws_network_acl" "priv" {
  vpc_id     = aws_vpc.v.id
  subnet_ids = [aws_subnet.priv.id]
}
resource "aws_network_acl_rule" "out" {
  network_acl_id = aws_network_acl.priv.id
  rule_number    = 200
  egress         = true
  protocol       = "-1"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
}
resource "aws_default_route_table" "main" {
  default_route_table_id = aws_vpc.v.default_route_table_id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.g.id
  }
}
resource "aws_internet_gateway" "g" { vpc_id = aws_vpc.v.id }
resource "aws_route_table" "other" { vpc_id = aws_vpc.w.id }
resource "aws_main_route_table_association" "w" {
  vpc_id         = aws_vpc.w.id
  route_table_id = aws_route_table.other.id
}
resource "aws_instance" "web" {
  subnet_id = aws_subnet.pub.id
}
resource "aws_instance" "quiet" {
  subnet_id                   = aws_subnet.pub.id
  associate_public_ip_address = false
}
resource "aws_lb" "internal" {
  internal = true
  subnets  = [aws_subnet.priv.id]
}
`})
	g := load(t, dir, Options{})
	d := node[*graph.SecurityGroup](t, g, "aws_vpc.v.default_security_group")
	if len(d.Ingress)+len(d.Egress) != 0 || d.GroupName != "default" || d.Source.Address != "aws_default_security_group.d" {
		t.Errorf("adopted default SG keeps rules or lost its identity: %+v", d)
	}
	wsg := node[*graph.SecurityGroup](t, g, "aws_vpc.w.default_security_group")
	if len(wsg.Ingress) != 1 || wsg.Ingress[0].Peer != wsg.ID || len(wsg.Egress) != 1 {
		t.Errorf("synthesized default SG of w: %+v", wsg)
	}
	acl := node[*graph.NetworkACL](t, g, "aws_vpc.v.default_network_acl")
	// The adopted ACL has its own entry and the "*" deny entries AWS keeps.
	if len(acl.Entries) != 3 || acl.Entries[0].FromPort != 443 || !acl.IsDefault || !finalDeny(acl.Entries[1], false) || !finalDeny(acl.Entries[2], true) {
		t.Errorf("adopted default ACL entries = %+v", acl.Entries)
	}
	if diff := cmp.Diff([]string{"aws_subnet.pub"}, acl.SubnetIDs); diff != "" {
		t.Errorf("default ACL subnets (-want +got):\n%s", diff)
	}
	priv := node[*graph.NetworkACL](t, g, "aws_network_acl.priv")
	if len(priv.Entries) != 3 || !finalDeny(priv.Entries[0], false) || !priv.Entries[1].Egress || priv.Entries[1].RuleNumber != 200 || !finalDeny(priv.Entries[2], true) {
		t.Errorf("acl rule not applied: %+v", priv.Entries)
	}
	main := node[*graph.RouteTable](t, g, "aws_vpc.v.main_route_table")
	if !main.Main || len(main.Routes) != 2 || main.Routes[0].TargetKind != graph.TargetLocal || main.Routes[1].TargetKind != graph.TargetIGW || main.Routes[1].TargetID != "aws_internet_gateway.g" {
		t.Errorf("adopted main route table: %+v", main)
	}
	if wm := node[*graph.RouteTable](t, g, "aws_vpc.w.main_route_table"); wm.Main {
		t.Errorf("the main table of w was replaced by aws_main_route_table_association but is still main")
	}
	if o := node[*graph.RouteTable](t, g, "aws_route_table.other"); !o.Main {
		t.Errorf("aws_route_table.other should be main")
	}
	if w := node[*graph.Instance](t, g, "aws_instance.web"); w.PublicIP != PublicIPPlaceholder || w.VPCID != "aws_vpc.v" {
		t.Errorf("instance in a mapping subnet: public ip %q vpc %q", w.PublicIP, w.VPCID)
	}
	if q := node[*graph.Instance](t, g, "aws_instance.quiet"); q.PublicIP != "" {
		t.Errorf("associate_public_ip_address = false still got %q", q.PublicIP)
	}
	if q := node[*graph.Instance](t, g, "aws_instance.quiet"); len(q.SecurityGroups) != 1 || q.SecurityGroups[0] != "aws_vpc.v.default_security_group" {
		t.Errorf("instance without groups should get the VPC default group: %v", q.SecurityGroups)
	}
	if lb := node[*graph.LoadBalancer](t, g, "aws_lb.internal"); lb.Scheme != "internal" {
		t.Errorf("internal = true gave scheme %q", lb.Scheme)
	}
}

func TestSuppressions(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{"main.tf": `
# vpcgate:ignore rds-multi-az single-AZ is fine for this reporting replica
# (reviewed 2026-01)
resource "aws_db_instance" "a" {
  identifier = "a"
}

resource "aws_db_instance" "b" { # vpcgate:ignore rds-private the vendor connects from its VPN
  identifier = "b"
  # vpcgate:ignore rds-multi-az
}

# vpcgate:ignore rds-private not for c: a blank line separates it

resource "aws_db_instance" "c" {
  identifier = "c"
}
`})
	g := load(t, dir, Options{})
	sup := func(id string) []string {
		var out []string
		for _, s := range node[*graph.DBInstance](t, g, id).Suppressions {
			if s.Source != "inline" || s.Range.Start.Line == 0 {
				t.Errorf("suppression %+v lacks source or range", s)
			}
			out = append(out, s.RuleID+": "+s.Reason)
		}
		return out
	}
	if diff := cmp.Diff([]string{"rds-multi-az: single-AZ is fine for this reporting replica"}, sup("a")); diff != "" {
		t.Errorf("a (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"rds-private: the vendor connects from its VPN"}, sup("b")); diff != "" {
		t.Errorf("b (-want +got):\n%s", diff)
	}
	if got := sup("c"); len(got) != 0 {
		t.Errorf("c got %v", got)
	}
	var found bool
	for _, d := range g.Diagnostics {
		if strings.Contains(d.Summary, "suppression without a reason") {
			found = true
			if d.Range.Start.Line != 10 {
				t.Errorf("missing-reason diagnostic at line %d, want 10", d.Range.Start.Line)
			}
		}
	}
	if !found {
		t.Errorf("no diagnostic for the suppression without a reason: %v", g.Diagnostics)
	}
}

func TestRootEscape(t *testing.T) {
	t.Parallel()
	base := writeTree(t, map[string]string{
		"outside/main.tf":       `resource "aws_vpc" "outside" { cidr_block = "10.9.0.0/16" }`,
		"outside/secret.tf":     `resource "aws_vpc" "secret" { cidr_block = "10.8.0.0/16" }`,
		"root/env/prod/main.tf": "module \"m\" {\n  source = \"../../../outside\"\n}\nresource \"aws_vpc\" \"own\" { cidr_block = \"10.0.0.0/16\" }\n",
	})
	root := filepath.Join(base, "root")
	if err := os.Symlink(filepath.Join(base, "outside", "secret.tf"), filepath.Join(root, "env", "prod", "link.tf")); err != nil {
		t.Skipf("symlinks unavailable: %v", err)
	}
	dir := filepath.Join(root, "env", "prod")
	g := load(t, dir, Options{Options: ingest.Options{Root: root}})
	if _, ok := graph.Get[*graph.VPC](g, "aws_vpc.own"); !ok {
		t.Errorf("the module's own resources are missing")
	}
	for _, id := range []string{"module.m.aws_vpc.outside", "aws_vpc.secret"} {
		if _, ok := graph.Get[*graph.VPC](g, id); ok {
			t.Errorf("%s was read from outside the root", id)
		}
	}
	var module, link bool
	for _, d := range g.Diagnostics {
		if d.Severity != graph.SeverityError {
			continue
		}
		if strings.Contains(d.Summary, "outside the scanned root") && strings.HasSuffix(d.Range.File, "main.tf") && d.Range.Start.Line == 1 {
			module = true
		}
		if strings.Contains(d.Summary, "link.tf") && strings.Contains(d.Summary, "outside the scanned root") {
			link = true
		}
	}
	if !module || !link {
		t.Errorf("want errors for the module source (%v) and the symlink (%v): %v", module, link, g.Diagnostics)
	}
	g = load(t, dir, Options{Options: ingest.Options{Root: root, AllowOutsideRoot: true}})
	for _, id := range []string{"module.m.aws_vpc.outside", "aws_vpc.secret"} {
		if _, ok := graph.Get[*graph.VPC](g, id); !ok {
			t.Errorf("%s missing with AllowOutsideRoot", id)
		}
	}
}

func TestRegistryModuleFromManifest(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"main.tf": `
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.0"
  name    = "main"
  cidr    = "10.0.0.0/16"
  private_subnets = ["10.0.1.0/24", "10.0.2.0/24"]
}
module "missing" {
  source = "terraform-aws-modules/security-group/aws"
}
resource "aws_lb" "lb" {
  internal = true
  subnets  = module.vpc.private_subnets
}`,
		".terraform/modules/modules.json": `{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"vpc","Source":"registry.terraform.io/terraform-aws-modules/vpc/aws","Version":"5.8.1","Dir":".terraform/modules/vpc"}]}`,
		".terraform/modules/vpc/main.tf": `
variable "name" { type = string }
variable "cidr" { type = string }
variable "private_subnets" { type = list(string) }
variable "create_vpc" { default = true }
locals { len = var.create_vpc ? length(var.private_subnets) : 0 }
resource "aws_vpc" "this" {
  count      = var.create_vpc ? 1 : 0
  cidr_block = var.cidr
  tags       = { Name = var.name }
}
resource "aws_subnet" "private" {
  count      = local.len
  vpc_id     = aws_vpc.this[0].id
  cidr_block = element(concat(var.private_subnets, [""]), count.index)
}
output "private_subnets" { value = aws_subnet.private[*].id }
`,
	})
	g := load(t, dir, Options{})
	node[*graph.VPC](t, g, "module.vpc.aws_vpc.this[0]")
	s := node[*graph.Subnet](t, g, "module.vpc.aws_subnet.private[1]")
	if s.CIDRBlock != "10.0.2.0/24" || s.VPCID != "module.vpc.aws_vpc.this[0]" {
		t.Errorf("subnet = %+v", s)
	}
	lb := node[*graph.LoadBalancer](t, g, "aws_lb.lb")
	if diff := cmp.Diff([]string{"module.vpc.aws_subnet.private[0]", "module.vpc.aws_subnet.private[1]"}, lb.SubnetIDs); diff != "" {
		t.Errorf("module output (-want +got):\n%s", diff)
	}
	if !hasDiag(g, graph.SeverityWarning, "module missing") {
		t.Errorf("no warning for the module that is not installed: %v", g.Diagnostics)
	}

	// A manifest pointing out of the root is not followed.
	evil := writeTree(t, map[string]string{
		"root/main.tf":                         `module "vpc" { source = "terraform-aws-modules/vpc/aws" }`,
		"root/.terraform/modules/modules.json": `{"Modules":[{"Key":"vpc","Source":"x","Dir":"../elsewhere"}]}`,
		"elsewhere/main.tf":                    `resource "aws_vpc" "stolen" { cidr_block = "10.0.0.0/16" }`,
	})
	g = load(t, filepath.Join(evil, "root"), Options{})
	if _, ok := graph.Get[*graph.VPC](g, "module.vpc.aws_vpc.stolen"); ok {
		t.Error("a module installed outside the root was read")
	}
	if !hasDiag(g, graph.SeverityError, "outside the scanned root") {
		t.Errorf("no error for the module outside the root: %v", g.Diagnostics)
	}
}

func TestBadFileDoesNotHideOthers(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"a.tf": `resource "aws_vpc" "ok" { cidr_block = "10.0.0.0/16" }`,
		"b.tf": "resource \"aws_vpc\" \"broken\" {\n  cidr_block = \n",
		"c.tf": `resource "aws_subnet" "s" {
  vpc_id     = aws_vpc.ok.id
  cidr_block = cidrsubnet("10.0.0.0/16", 99, 1)
}`,
	})
	g := load(t, dir, Options{})
	node[*graph.VPC](t, g, "aws_vpc.ok")
	s := node[*graph.Subnet](t, g, "aws_subnet.s")
	if s.VPCID != "aws_vpc.ok" || s.CIDRBlock != "" || !s.IsUnknown("cidr_block") {
		t.Errorf("subnet with a failing function: %+v", s)
	}
	var parse, fn bool
	for _, d := range g.Diagnostics {
		if d.Severity == graph.SeverityError && strings.HasSuffix(d.Range.File, "b.tf") && d.Range.Start.Line >= 2 {
			parse = true
		}
		if d.Severity == graph.SeverityWarning && strings.HasSuffix(d.Range.File, "c.tf") && d.Range.Start.Line == 3 {
			fn = true
		}
	}
	if !parse || !fn {
		t.Errorf("want a parse error in b.tf (%v) and a warning at c.tf:3 (%v): %v", parse, fn, g.Diagnostics)
	}
}

func TestCIDRFunctions(t *testing.T) {
	t.Parallel()
	// Examples from Terraform's function documentation.
	cases := []struct {
		expr string
		want cty.Value
	}{
		{`cidrsubnet("172.16.0.0/12", 4, 2)`, cty.StringVal("172.18.0.0/16")},
		{`cidrsubnet("10.1.2.0/24", 4, 15)`, cty.StringVal("10.1.2.240/28")},
		{`cidrsubnet("fd00:fd12:3456:7890::/56", 16, 162)`, cty.StringVal("fd00:fd12:3456:7800:a200::/72")},
		{`cidrhost("10.12.112.0/20", 16)`, cty.StringVal("10.12.112.16")},
		{`cidrhost("10.12.112.0/20", 268)`, cty.StringVal("10.12.113.12")},
		// The /72 network of fd00:fd12:3456:7890:00a2:: is fd00:fd12:3456:7890::.
		{`cidrhost("fd00:fd12:3456:7890:00a2::/72", 34)`, cty.StringVal("fd00:fd12:3456:7890::22")},
		{`cidrnetmask("172.16.0.0/12")`, cty.StringVal("255.240.0.0")},
		{`cidrsubnets("10.1.0.0/16", 4, 4, 8, 4)`, cty.ListVal([]cty.Value{cty.StringVal("10.1.0.0/20"), cty.StringVal("10.1.16.0/20"), cty.StringVal("10.1.32.0/24"), cty.StringVal("10.1.48.0/20")})},
		{`cidrsubnets("fd00:fd12:3456:7890::/56", 16, 16, 16, 32)`, cty.ListVal([]cty.Value{cty.StringVal("fd00:fd12:3456:7800::/72"), cty.StringVal("fd00:fd12:3456:7800:100::/72"), cty.StringVal("fd00:fd12:3456:7800:200::/72"), cty.StringVal("fd00:fd12:3456:7800:300::/88")})},
		{`one(["x"])`, cty.StringVal("x")},
		{`sum([1, 2, 3])`, cty.NumberIntVal(6)},
		{`alltrue([true, true])`, cty.True},
		{`anytrue([false])`, cty.False},
		{`length("héllo")`, cty.NumberIntVal(5)},
		{`startswith("subnet-1", "subnet-")`, cty.True},
	}
	for _, c := range cases {
		t.Run(c.expr, func(t *testing.T) {
			t.Parallel()
			dir := writeTree(t, map[string]string{"main.tf": "output \"x\" { value = " + c.expr + " }\n"})
			ev := newEvaluator(context.Background(), NewLoader(), dir, Options{})
			ev.run()
			got := ev.root.outputs().GetAttr("x")
			if !got.RawEquals(c.want) {
				t.Errorf("%s = %#v, want %#v (diagnostics %v)", c.expr, got, c.want, ev.diags)
			}
		})
	}
}

// TestModuleInTheStyleOfTerraformAWSModules loads a VPC module written in
// the style of terraform-aws-modules/vpc (create flags, count over
// conditionals, element/concat/try/lookup/coalescelist, dynamic blocks):
// everything evaluates, without a warning.
func TestModuleInTheStyleOfTerraformAWSModules(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("..", "..", "..", "testdata", "terraform", "modstyle")
	g := load(t, dir, Options{})
	for _, d := range g.Diagnostics {
		if d.Severity != graph.SeverityInfo {
			t.Errorf("unexpected diagnostic %v", d)
		}
	}
	counts := map[graph.Kind]int{}
	for _, n := range g.Nodes() {
		if !strings.HasPrefix(n.Meta().ID, "module.vpc.") {
			if strings.HasPrefix(n.Meta().ID, "module.disabled.") {
				t.Errorf("create_vpc = false still made %s", n.Meta().ID)
			}
			continue
		}
		counts[n.Meta().Kind]++
	}
	want := map[graph.Kind]int{
		graph.KindVPC: 1, graph.KindSubnet: 6, graph.KindRouteTable: 3, graph.KindInternetGateway: 1,
		graph.KindNATGateway: 1, graph.KindEIP: 1, graph.KindSecurityGroup: 1, graph.KindNetworkACL: 2,
	}
	if diff := cmp.Diff(want, counts); diff != "" {
		t.Errorf("node counts (-want +got):\n%s", diff)
	}
	priv := node[*graph.RouteTable](t, g, "module.vpc.aws_route_table.private[0]")
	if len(priv.Associations) != 3 || len(priv.Routes) != 2 || priv.Routes[1].TargetKind != graph.TargetNAT || priv.Routes[1].TargetID != "module.vpc.aws_nat_gateway.this[0]" {
		t.Errorf("private route table %+v", priv)
	}
	s := node[*graph.Subnet](t, g, "module.vpc.aws_subnet.public[2]")
	if s.CIDRBlock != "10.10.103.0/24" || s.AvailabilityZone != "eu-west-1c" || s.Name != "shop-public-eu-west-1c" || s.Tags["Environment"] != "production" {
		t.Errorf("public subnet %+v", s)
	}
	def := node[*graph.SecurityGroup](t, g, "module.vpc.aws_vpc.this[0].default_security_group")
	if len(def.Ingress) != 1 || def.Ingress[0].Peer != def.ID || len(def.Egress) != 0 {
		t.Errorf("managed default group: ingress %+v egress %+v", def.Ingress, def.Egress)
	}
	acl := node[*graph.NetworkACL](t, g, "module.vpc.aws_network_acl.public[0]")
	if len(acl.Entries) != 3 || !acl.Entries[0].Allow || !finalDeny(acl.Entries[1], false) || !finalDeny(acl.Entries[2], true) || len(acl.SubnetIDs) != 3 {
		t.Errorf("public ACL %+v", acl)
	}
	lb := node[*graph.LoadBalancer](t, g, "aws_lb.web")
	if len(lb.SubnetIDs) != 3 || lb.VPCID != "module.vpc.aws_vpc.this[0]" {
		t.Errorf("lb %+v", lb)
	}
}

func TestLoaderCachesParsedFilesAndHonoursOverlay(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"a.tf": `resource "aws_vpc" "v" { cidr_block = "10.0.0.0/16" }`,
		"b.tf": `resource "aws_subnet" "s" {
  vpc_id     = aws_vpc.v.id
  cidr_block = "10.0.1.0/24"
}`,
	})
	l := NewLoader()
	ctx := context.Background()
	g := l.Load(ctx, dir, Options{})
	node[*graph.Subnet](t, g, "aws_subnet.s")
	a1, b1 := l.files[filepath.Join(dir, "a.tf")], l.files[filepath.Join(dir, "b.tf")]

	// An unsaved edit of b.tf, and a new unsaved file c.tf.
	overlay := map[string][]byte{
		filepath.Join(dir, "b.tf"): []byte(`resource "aws_subnet" "s" {
  vpc_id     = aws_vpc.v.id
  cidr_block = "10.0.2.0/24"
}`),
		filepath.Join(dir, "c.tf"): []byte(`resource "aws_internet_gateway" "g" { vpc_id = aws_vpc.v.id }`),
	}
	g = l.Load(ctx, dir, Options{Options: ingest.Options{Overlay: overlay}})
	if s := node[*graph.Subnet](t, g, "aws_subnet.s"); s.CIDRBlock != "10.0.2.0/24" {
		t.Errorf("overlay not used: %s", s.CIDRBlock)
	}
	node[*graph.InternetGateway](t, g, "aws_internet_gateway.g")
	if l.files[filepath.Join(dir, "a.tf")] != a1 {
		t.Error("the unchanged file was parsed again")
	}
	if l.files[filepath.Join(dir, "b.tf")] == b1 {
		t.Error("the edited file was not parsed again")
	}

	// Mid-edit, b.tf does not parse: a.tf's resources are still there.
	overlay[filepath.Join(dir, "b.tf")] = []byte(`resource "aws_subnet" "s" {`)
	g = l.Load(ctx, dir, Options{Options: ingest.Options{Overlay: overlay}})
	node[*graph.VPC](t, g, "aws_vpc.v")
	if !hasDiag(g, graph.SeverityError, "") {
		t.Errorf("no error for the broken file: %v", g.Diagnostics)
	}
}

func TestLoadModuleCancelled(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{"a.tf": `resource "aws_vpc" "v" { cidr_block = "10.0.0.0/16" }`})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	g := LoadModule(ctx, dir, Options{})
	if !hasDiag(g, graph.SeverityError, "stopped") {
		t.Errorf("no diagnostic for the cancelled context: %v", g.Diagnostics)
	}
}

func TestListenerDefaultsAndSkippedFiles(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"main.tf": `
resource "aws_lb" "alb" { name = "a" }
resource "aws_lb" "nlb" {
  name               = "n"
  load_balancer_type = "network"
  internal           = true
}
resource "aws_lb_listener" "a" {
  load_balancer_arn = aws_lb.alb.arn
  port              = 80
  default_action {
    type = "redirect"
    redirect {
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}
resource "aws_lb_listener" "n" {
  load_balancer_arn = aws_lb.nlb.arn
  port              = 5432
}`,
		"extra.tf.json":    `{"resource": {"aws_vpc": {"j": {"cidr_block": "10.0.0.0/16"}}}}`,
		"main_override.tf": `resource "aws_lb" "alb" { internal = true }`,
	})
	g := load(t, dir, Options{})
	a := node[*graph.Listener](t, g, "aws_lb_listener.a")
	want := []graph.ListenerAction{{Type: "redirect", RedirectProtocol: "HTTPS", RedirectPort: "#{port}", StatusCode: "HTTP_301"}}
	if a.Protocol != "HTTP" || a.LoadBalancerARN != "aws_lb.alb" {
		t.Errorf("listener a: %q on %q", a.Protocol, a.LoadBalancerARN)
	}
	if diff := cmp.Diff(want, a.DefaultActions); diff != "" {
		t.Errorf("redirect (-want +got):\n%s", diff)
	}
	if n := node[*graph.Listener](t, g, "aws_lb_listener.n"); n.Protocol != "TCP" {
		t.Errorf("listener n: %q", n.Protocol)
	}
	if lb := node[*graph.LoadBalancer](t, g, "aws_lb.nlb"); lb.Scheme != "internal" || len(lb.SecurityGroups) != 0 {
		t.Errorf("nlb %+v", lb)
	}
	for _, f := range []string{"extra.tf.json", "main_override.tf"} {
		if !hasDiag(g, graph.SeverityInfo, f+" is not read") {
			t.Errorf("no note that %s is skipped: %v", f, g.Diagnostics)
		}
	}
}

func TestHugeNumberLiteral(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"a.tf": "resource \"aws_vpc\" \"v\" { cidr_block = \"10.0.0.0/16\" }\n",
		"b.tf": "locals {\n  x = 1e99999999 + 1\n}\n",
	})
	g := load(t, dir, Options{})
	node[*graph.VPC](t, g, "aws_vpc.v")
	var found bool
	for _, d := range g.Diagnostics {
		if strings.Contains(d.Summary, "number literal out of range") && strings.HasSuffix(d.Range.File, "b.tf") && d.Range.Start.Line == 2 {
			found = true
		}
	}
	if !found {
		t.Errorf("no error at b.tf:2 for the huge literal: %v", g.Diagnostics)
	}
}

func TestMoreResourceTypes(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{"main.tf": `
resource "aws_vpc" "a" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_vpc" "b" {
  cidr_block = "10.1.0.0/16"
}
resource "aws_subnet" "a1" {
  vpc_id            = aws_vpc.a.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_subnet" "a2" {
  vpc_id            = aws_vpc.a.id
  cidr_block        = "10.0.2.0/24"
  availability_zone = "us-east-1b"
}
resource "aws_egress_only_internet_gateway" "e" { vpc_id = aws_vpc.a.id }
resource "aws_vpc_peering_connection" "p" {
  vpc_id      = aws_vpc.a.id
  peer_vpc_id = aws_vpc.b.id
  auto_accept = true
}
resource "aws_ec2_transit_gateway" "t" {}
resource "aws_ec2_transit_gateway_vpc_attachment" "ta" {
  transit_gateway_id = aws_ec2_transit_gateway.t.id
  vpc_id             = aws_vpc.a.id
  subnet_ids         = [aws_subnet.a1.id, aws_subnet.a2.id]
}
resource "aws_route_table" "r" {
  vpc_id = aws_vpc.a.id
  route {
    cidr_block                = "10.1.0.0/16"
    vpc_peering_connection_id = aws_vpc_peering_connection.p.id
  }
  route {
    ipv6_cidr_block        = "::/0"
    egress_only_gateway_id = aws_egress_only_internet_gateway.e.id
  }
}
resource "aws_route" "tgw" {
  route_table_id         = aws_route_table.r.id
  destination_cidr_block = "172.16.0.0/12"
  transit_gateway_id     = aws_ec2_transit_gateway.t.id
}
resource "aws_vpc_endpoint" "s3" {
  vpc_id          = aws_vpc.a.id
  service_name    = "com.amazonaws.us-east-1.s3"
  route_table_ids = [aws_route_table.r.id]
}
resource "aws_security_group" "sg" {
  name   = "sg"
  vpc_id = aws_vpc.a.id
}
resource "aws_vpc_security_group_egress_rule" "all" {
  security_group_id = aws_security_group.sg.id
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}
resource "aws_network_interface" "n" {
  subnet_id       = aws_subnet.a1.id
  security_groups = [aws_security_group.sg.id]
}
resource "aws_eip" "x" { domain = "vpc" }
resource "aws_eip_association" "x" {
  allocation_id        = aws_eip.x.id
  network_interface_id = aws_network_interface.n.id
}
resource "aws_launch_configuration" "lc" {
  name                        = "lc"
  image_id                    = "ami-1"
  instance_type               = "t3.micro"
  security_groups             = [aws_security_group.sg.id]
  associate_public_ip_address = true
}
resource "aws_autoscaling_group" "g" {
  name                 = "g"
  min_size             = 1
  max_size             = 4
  launch_configuration = aws_launch_configuration.lc.name
  vpc_zone_identifier  = [aws_subnet.a1.id, aws_subnet.a2.id]
  warm_pool {
    min_size = 1
  }
}
resource "aws_lb_target_group" "tg" {
  name   = "tg"
  port   = 80
  vpc_id = aws_vpc.a.id
}
resource "aws_autoscaling_attachment" "g" {
  autoscaling_group_name = aws_autoscaling_group.g.id
  lb_target_group_arn    = aws_lb_target_group.tg.arn
}
resource "aws_autoscaling_policy" "cpu" {
  name                   = "cpu"
  autoscaling_group_name = aws_autoscaling_group.g.name
  policy_type            = "TargetTrackingScaling"
  target_tracking_configuration {
    predefined_metric_specification {
      predefined_metric_type = "ASGAverageCPUUtilization"
    }
    target_value = 42.5
  }
}
resource "aws_autoscaling_schedule" "peak" {
  scheduled_action_name  = "peak"
  autoscaling_group_name = aws_autoscaling_group.g.name
  desired_capacity       = 4
  recurrence             = "0 9 * * MON"
}
resource "aws_db_subnet_group" "d" {
  name       = "d"
  subnet_ids = [aws_subnet.a1.id, aws_subnet.a2.id]
}
resource "aws_rds_cluster" "c" {
  cluster_identifier     = "c"
  engine                 = "aurora-postgresql"
  db_subnet_group_name   = aws_db_subnet_group.d.name
  vpc_security_group_ids = [aws_security_group.sg.id]
}
resource "aws_rds_cluster_instance" "ci" {
  count              = 2
  identifier         = "c-${count.index}"
  cluster_identifier = aws_rds_cluster.c.id
  instance_class     = "db.r6g.large"
  engine             = aws_rds_cluster.c.engine
}
resource "aws_ecs_service" "s" {
  name          = "s"
  cluster       = "arn:aws:ecs:us-east-1:1:cluster/c"
  launch_type   = "FARGATE"
  desired_count = 2
  network_configuration {
    subnets         = [aws_subnet.a1.id]
    security_groups = [aws_security_group.sg.id]
  }
  load_balancer {
    target_group_arn = aws_lb_target_group.tg.arn
    container_name   = "web"
    container_port   = 8080
  }
}
`})
	g := load(t, dir, Options{})
	for _, d := range g.Diagnostics {
		if d.Severity != graph.SeverityInfo {
			t.Errorf("unexpected diagnostic %v", d)
		}
	}
	r := node[*graph.RouteTable](t, g, "aws_route_table.r")
	var kinds []string
	for _, rt := range r.Routes {
		kinds = append(kinds, rt.Destination()+">"+string(rt.TargetKind))
	}
	if diff := cmp.Diff([]string{"10.0.0.0/16>local", "10.1.0.0/16>pcx", "::/0>eigw", "172.16.0.0/12>tgw"}, kinds); diff != "" {
		t.Errorf("routes (-want +got):\n%s", diff)
	}
	p := node[*graph.VPCPeering](t, g, "aws_vpc_peering_connection.p")
	if p.Status != "active" || p.Accepter.VPCID != "aws_vpc.b" || len(p.Accepter.CIDRBlocks) != 1 {
		t.Errorf("peering %+v", p)
	}
	ta := node[*graph.TransitGatewayAttachment](t, g, "aws_ec2_transit_gateway_vpc_attachment.ta")
	if ta.TransitGatewayID != "aws_ec2_transit_gateway.t" || ta.ResourceID != "aws_vpc.a" || len(ta.SubnetIDs) != 2 {
		t.Errorf("tgw attachment %+v", ta)
	}
	if ep := node[*graph.VPCEndpoint](t, g, "aws_vpc_endpoint.s3"); ep.EndpointType != "Gateway" || len(ep.RouteTableIDs) != 1 {
		t.Errorf("endpoint %+v", ep)
	}
	sg := node[*graph.SecurityGroup](t, g, "aws_security_group.sg")
	if len(sg.Ingress) != 0 || len(sg.Egress) != 1 || sg.Egress[0].Protocol != "-1" || sg.Egress[0].Peer != "0.0.0.0/0" {
		t.Errorf("sg %+v", sg)
	}
	eip := node[*graph.EIP](t, g, "aws_eip.x")
	if !eip.Associated() || eip.NetworkInterfaceID != "aws_network_interface.n" {
		t.Errorf("eip %+v", eip)
	}
	if n := node[*graph.NetworkInterface](t, g, "aws_network_interface.n"); n.VPCID != "aws_vpc.a" || !n.SourceDestCheck {
		t.Errorf("eni %+v", n)
	}
	lc := node[*graph.LaunchTemplate](t, g, "aws_launch_configuration.lc")
	if !lc.IsLaunchConfiguration || lc.AssociatePublicIP == nil || !*lc.AssociatePublicIP {
		t.Errorf("launch configuration %+v", lc)
	}
	asg := node[*graph.AutoScalingGroup](t, g, "g")
	want := graph.AutoScalingGroup{
		MinSize: 1, MaxSize: 4, DesiredCapacity: 1, LaunchTemplateID: "aws_launch_configuration.lc",
		SubnetIDs: []string{"aws_subnet.a1", "aws_subnet.a2"}, AvailabilityZones: []string{"us-east-1a", "us-east-1b"},
		TargetGroupARNs: []string{"aws_lb_target_group.tg"}, WarmPool: &graph.WarmPool{MinSize: 1, PoolState: "Stopped"},
	}
	if diff := cmp.Diff(
		[]any{want.MinSize, want.MaxSize, want.DesiredCapacity, want.LaunchTemplateID, want.SubnetIDs, want.AvailabilityZones, want.TargetGroupARNs, *want.WarmPool},
		[]any{asg.MinSize, asg.MaxSize, asg.DesiredCapacity, asg.LaunchTemplateID, asg.SubnetIDs, asg.AvailabilityZones, asg.TargetGroupARNs, *asg.WarmPool},
	); diff != "" {
		t.Errorf("asg (-want +got):\n%s", diff)
	}
	if len(asg.Policies) != 1 || asg.Policies[0].TargetValue != 42.5 || asg.Policies[0].MetricType != "ASGAverageCPUUtilization" {
		t.Errorf("policies %+v", asg.Policies)
	}
	if len(asg.ScheduledActions) != 1 || asg.ScheduledActions[0].Desired == nil || *asg.ScheduledActions[0].Desired != 4 {
		t.Errorf("schedule %+v", asg.ScheduledActions)
	}
	c := node[*graph.DBCluster](t, g, "c")
	if diff := cmp.Diff([]string{"c-0", "c-1"}, c.Members); diff != "" || !c.MultiAZ || c.Port != 5432 || c.DBSubnetGroup != "d" {
		t.Errorf("cluster %+v %s", c, diff)
	}
	if ci := node[*graph.DBInstance](t, g, "c-1"); ci.ClusterID != "c" || ci.DBSubnetGroup != "d" || len(ci.SecurityGroups) != 1 || ci.VPCID != "aws_vpc.a" {
		t.Errorf("cluster instance %+v", ci)
	}
	s := node[*graph.ECSService](t, g, "aws_ecs_service.s")
	if s.LaunchType != "FARGATE" || s.DesiredCount != 2 || len(s.LoadBalancers) != 1 || s.LoadBalancers[0].ContainerPort != 8080 || s.AssignPublicIP {
		t.Errorf("ecs %+v", s)
	}
}

// TestDeterministic loads a configuration with a reference cycle and
// several warnings many times: the graph and the diagnostics are the same
// every time.
func TestDeterministic(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{"main.tf": `
variable "x" {}
resource "aws_security_group" "a" {
  name   = "a"
  vpc_id = aws_security_group.b.vpc_id
  ingress {
    from_port       = 1
    to_port         = 1
    protocol        = "tcp"
    security_groups = [aws_security_group.b.id]
  }
}
resource "aws_security_group" "b" {
  name   = "b"
  vpc_id = aws_security_group.a.vpc_id
}
resource "aws_subnet" "s" {
  cidr_block        = cidrsubnet(var.x, 8, 1)
  availability_zone = nosuchfunction()
  vpc_id            = data.aws_vpc.v.id
}
data "aws_vpc" "v" {}
locals {
  p = local.q
  q = local.p
}
resource "aws_instance" "i" { subnet_id = local.p }
`})
	g0 := load(t, dir, Options{})
	first := takeSnapshot(t, dir, g0)
	for i := 0; i < 10; i++ {
		g := load(t, dir, Options{})
		if diff := cmp.Diff(first, takeSnapshot(t, dir, g)); diff != "" {
			t.Fatalf("run %d differs:\n%s", i, diff)
		}
		if diff := cmp.Diff(g0.Diagnostics, g.Diagnostics); diff != "" {
			t.Fatalf("run %d: diagnostics in another order:\n%s", i, diff)
		}
	}
	if len(first.Diagnostics) < 3 {
		t.Errorf("diagnostics %v", first.Diagnostics)
	}
}

func TestUnknownDynamicBlock(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{"main.tf": `
variable "rules" { type = list(object({ port = number, cidr = string })) }
resource "aws_security_group" "s" {
  name = "s"
  dynamic "ingress" {
    for_each = var.rules
    content {
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      protocol    = "tcp"
      cidr_blocks = [ingress.value.cidr]
    }
  }
}`})
	g := load(t, dir, Options{})
	sg := node[*graph.SecurityGroup](t, g, "aws_security_group.s")
	if !sg.IsUnknown("ingress") || len(sg.Ingress) != 1 || !sg.Ingress[0].Unknown || sg.Ingress[0].Range.Start.Line != 5 {
		t.Errorf("unknown dynamic ingress: unknown %v rules %+v", sg.Unknown, sg.Ingress)
	}
	if !hasDiag(g, graph.SeverityWarning, `dynamic "ingress": for_each is not known statically`) {
		t.Errorf("no warning: %v", g.Diagnostics)
	}
}

func TestNestedRegistryModule(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"main.tf": `module "net" { source = "example/net/aws" }`,
		".terraform/modules/modules.json": `{"Modules":[
  {"Key":"net","Source":"registry.terraform.io/example/net/aws","Dir":".terraform/modules/net"},
  {"Key":"net.sg","Source":"registry.terraform.io/example/sg/aws","Dir":".terraform/modules/net.sg"}]}`,
		".terraform/modules/net/main.tf": `
resource "aws_vpc" "v" { cidr_block = "10.0.0.0/16" }
module "sg" {
  source = "example/sg/aws"
  vpc_id = aws_vpc.v.id
}`,
		".terraform/modules/net.sg/main.tf": `
variable "vpc_id" {}
resource "aws_security_group" "this" {
  name   = "x"
  vpc_id = var.vpc_id
}`,
	})
	g := load(t, dir, Options{})
	sg := node[*graph.SecurityGroup](t, g, "module.net.module.sg.aws_security_group.this")
	if sg.VPCID != "module.net.aws_vpc.v" {
		t.Errorf("nested module group in %q", sg.VPCID)
	}
}

func TestDetailedMonitoring(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{"main.tf": `
resource "aws_launch_template" "detailed" {
  instance_type = "t3.micro"
  monitoring {
    enabled = true
  }
}
resource "aws_launch_template" "basic" {
  instance_type = "t3.micro"
}
resource "aws_launch_configuration" "config" {
  image_id      = "ami-12345678"
  instance_type = "t3.micro"
}
resource "aws_launch_configuration" "quiet" {
  image_id          = "ami-12345678"
  instance_type     = "t3.micro"
  enable_monitoring = false
}
`})
	g := load(t, dir, Options{Options: ingest.Options{Root: dir}})
	want := map[string]string{
		"aws_launch_template.detailed": "true", "aws_launch_template.basic": "unset",
		"aws_launch_configuration.config": "true", "aws_launch_configuration.quiet": "false",
	}
	for id, w := range want {
		lt := node[*graph.LaunchTemplate](t, g, id)
		got := "unset"
		if lt.DetailedMonitoring != nil {
			got = fmt.Sprint(*lt.DetailedMonitoring)
		}
		if got != w {
			t.Errorf("%s: detailed monitoring %s, want %s", id, got, w)
		}
	}
}

// TestNamesCollideAcrossKinds: AWS names are per kind, so an RDS instance
// and its DB subnet group may share a name; both nodes must survive and
// the instance must still find its group, whichever is declared first.
func TestNamesCollideAcrossKinds(t *testing.T) {
	t.Parallel()
	group := `
resource "aws_db_subnet_group" "db" {
  name       = "orders"
  subnet_ids = ["subnet-a", "subnet-b"]
}
`
	instance := `
resource "aws_db_instance" "db" {
  identifier           = "orders"
  engine               = "mysql"
  instance_class       = "db.t3.micro"
  db_subnet_group_name = aws_db_subnet_group.db.name
}
`
	for name, text := range map[string]string{"group first": group + instance, "instance first": instance + group} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := writeTree(t, map[string]string{"main.tf": text})
			g := load(t, dir, Options{Options: ingest.Options{Root: dir}})
			for _, d := range g.Diagnostics {
				if strings.Contains(d.Summary, "declared twice") {
					t.Errorf("a node was dropped: %v", d)
				}
			}
			dbs, groups := g.DBInstances(), g.DBSubnetGroups()
			if len(dbs) != 1 || len(groups) != 1 {
				t.Fatalf("%d DB instances and %d subnet groups, want 1 and 1", len(dbs), len(groups))
			}
			if dbs[0].DBSubnetGroup != groups[0].ID {
				t.Errorf("instance names subnet group %q, the group's id is %q", dbs[0].DBSubnetGroup, groups[0].ID)
			}
			if got := g.Resolve("orders"); len(got) != 2 {
				t.Errorf("Resolve(orders) = %d nodes, want both (ambiguous)", len(got))
			}
		})
	}
}

// TestBlockPublicAccess: aws_vpc_block_public_access_options stops the
// internet at the internet gateway, unless the VPC (or one of its subnets)
// is excluded, in whichever order the resources come.
func TestBlockPublicAccess(t *testing.T) {
	t.Parallel()
	base, err := os.ReadFile(filepath.Join("testdata", "bpa", "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	options := func(mode string) string {
		return fmt.Sprintf("resource \"aws_vpc_block_public_access_options\" \"this\" {\n  internet_gateway_block_mode = %q\n}\n", mode)
	}
	exclusion := "resource \"aws_vpc_block_public_access_exclusion\" \"web\" {\n  subnet_id                       = aws_subnet.pub.id\n  internet_gateway_exclusion_mode = \"allow-bidirectional\"\n}\n"
	cases := []struct {
		name, extra, wantMode, wantCode string
	}{
		{"no options", "", "", ""},
		{"off", options("off"), "", ""},
		{"block-ingress", options("block-ingress"), "block-ingress", reach.CodeBlockPublicAccess},
		{"block-bidirectional", options("block-bidirectional"), "block-bidirectional", reach.CodeBlockPublicAccess},
		{"excluded after", options("block-ingress") + exclusion, "", ""},
		{"excluded before", exclusion + options("block-ingress"), "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := writeTree(t, map[string]string{"main.tf": string(base) + c.extra})
			g := load(t, dir, Options{Options: ingest.Options{Root: dir}})
			vpc := node[*graph.VPC](t, g, "aws_vpc.main")
			if vpc.BlockPublicAccess != c.wantMode {
				t.Errorf("block public access %q, want %q", vpc.BlockPublicAccess, c.wantMode)
			}
			reach.Derive(g)
			v, err := reach.Explain(g, "aws_instance.web", "tcp", 22)
			if err != nil {
				t.Fatal(err)
			}
			if c.wantCode == "" && !v.Reachable {
				t.Errorf("SSH blocked by %+v, want reachable", v.BlockedBy)
			}
			if c.wantCode != "" && (v.Reachable || v.BlockedBy == nil || v.BlockedBy.Code != c.wantCode) {
				t.Errorf("verdict %+v, want blocked with %s", v, c.wantCode)
			}
		})
	}
}

// finalDeny reports whether e is a network ACL's final "*" entry (rule
// 32767, deny all IPv4) in direction egress.
func finalDeny(e graph.ACLEntry, egress bool) bool {
	return e.RuleNumber == 32767 && !e.Allow && e.Egress == egress && e.Protocol == graph.ProtocolAll && e.CIDR == "0.0.0.0/0"
}
