package diff

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpcgate/vpcgate/analyzer"
)

// Terraform trees for the benchmark: modules root modules (one folder
// each, as a repository of stacks is laid out) of perModule resources.
const (
	benchModules   = 50
	benchPerModule = 100
)

// writeTerraformTree writes benchModules root modules of benchPerModule
// resources: a VPC, an internet gateway, a public and a private subnet,
// a route table with its association, then pairs of a security group and
// an instance (every fourth one public, admitting SSH from anywhere).
func writeTerraformTree(tb testing.TB, dir string) int {
	tb.Helper()
	total := 0
	for m := range benchModules {
		// Root modules share one graph: every address is unique.
		r := strings.NewReplacer("VPC", fmt.Sprintf("aws_vpc.v%02d", m), "IGW", fmt.Sprintf("aws_internet_gateway.g%02d", m),
			"PUB", fmt.Sprintf("aws_subnet.pub%02d", m), "PRIV", fmt.Sprintf("aws_subnet.priv%02d", m), "RT", fmt.Sprintf("aws_route_table.rt%02d", m), "M", fmt.Sprintf("%02d", m))
		var b strings.Builder
		fmt.Fprintf(&b, "provider \"aws\" {\n  region = \"us-east-1\"\n}\n\n")
		fmt.Fprintf(&b, "resource \"aws_vpc\" \"vM\" {\n  cidr_block = \"10.%d.0.0/16\"\n}\n\n", m)
		fmt.Fprintf(&b, "resource \"aws_internet_gateway\" \"gM\" {\n  vpc_id = VPC.id\n}\n\n")
		fmt.Fprintf(&b, "resource \"aws_subnet\" \"pubM\" {\n  vpc_id                  = VPC.id\n  cidr_block              = \"10.%d.1.0/24\"\n  availability_zone       = \"us-east-1a\"\n  map_public_ip_on_launch = true\n}\n\n", m)
		fmt.Fprintf(&b, "resource \"aws_subnet\" \"privM\" {\n  vpc_id            = VPC.id\n  cidr_block        = \"10.%d.2.0/24\"\n  availability_zone = \"us-east-1b\"\n}\n\n", m)
		fmt.Fprintf(&b, "resource \"aws_route_table\" \"rtM\" {\n  vpc_id = VPC.id\n  route {\n    cidr_block = \"0.0.0.0/0\"\n    gateway_id = IGW.id\n  }\n}\n\n")
		fmt.Fprintf(&b, "resource \"aws_route_table_association\" \"aM\" {\n  subnet_id      = PUB.id\n  route_table_id = RT.id\n}\n")
		n := 6
		writeFile(tb, filepath.Join(dir, fmt.Sprintf("stack%02d", m), "network.tf"), r.Replace(b.String()))
		b.Reset()
		for i := 0; n < benchPerModule; i++ {
			subnet, cidr, port := "PRIV", "10.0.0.0/8", 8080
			if i%4 == 0 {
				subnet, cidr, port = "PUB", "0.0.0.0/0", 22
			}
			fmt.Fprintf(&b, "resource \"aws_security_group\" \"sM_%d\" {\n  vpc_id = VPC.id\n  ingress {\n    from_port   = %d\n    to_port     = %d\n    protocol    = \"tcp\"\n    cidr_blocks = [\"%s\"]\n  }\n}\n\n", i, port, port, cidr)
			fmt.Fprintf(&b, "resource \"aws_instance\" \"iM_%d\" {\n  ami                    = \"ami-12345678\"\n  instance_type          = \"t3.micro\"\n  subnet_id              = %s.id\n  vpc_security_group_ids = [aws_security_group.sM_%d.id]\n}\n\n", i, subnet, i)
			n += 2
		}
		writeFile(tb, filepath.Join(dir, fmt.Sprintf("stack%02d", m), "compute.tf"), r.Replace(b.String()))
		total += n
	}
	return total
}

func writeFile(tb testing.TB, p, content string) {
	tb.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		tb.Fatal(err)
	}
}

func gitIn(tb testing.TB, dir string, args ...string) {
	tb.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.email=b@example.com", "-c", "user.name=bench", "-c", "commit.gpgsign=false"}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

// benchTree builds a git repository holding the tree, committed, with one
// file changed in the working tree (a port opened on one instance).
func benchTree(b *testing.B) string {
	b.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		b.Skip("git is not installed")
	}
	dir := b.TempDir()
	if n := writeTerraformTree(b, dir); n != benchModules*benchPerModule {
		b.Fatalf("%d resources", n)
	}
	gitIn(b, dir, "init", "-q")
	gitIn(b, dir, "add", "-A", ".")
	gitIn(b, dir, "commit", "-q", "-m", "base")
	p := filepath.Join(dir, "stack07", "compute.tf")
	data, err := os.ReadFile(p)
	if err != nil {
		b.Fatal(err)
	}
	changed := strings.Replace(string(data), "from_port   = 22\n    to_port     = 22", "from_port   = 3389\n    to_port     = 3389", 1)
	writeFile(b, p, changed)
	return dir
}

// BenchmarkDiffVsScan measures `vpcgate diff --base HEAD` against
// `vpcgate scan` on two 5,000-resource Terraform trees (50 root modules)
// that differ in one file. Each iteration builds its engine as a command
// does. Run:
//
//	go test -run '^$' -bench DiffVsScan -benchtime 5x ./analyzer/diff
func BenchmarkDiffVsScan(b *testing.B) {
	dir := benchTree(b)
	ctx := context.Background()
	paths := []string{dir}
	b.Run("scan", func(b *testing.B) {
		defer cpuPerOp(b)()
		for b.Loop() {
			eng, err := analyzer.NewEngine(ctx, analyzer.WithParts(analyzer.PartFindings))
			if err != nil {
				b.Fatal(err)
			}
			snap, err := eng.Analyze(ctx, analyzer.Request{Paths: paths})
			if err != nil {
				b.Fatal(err)
			}
			if snap.HasErrors() || len(snap.Graph.Instances()) != benchModules*(benchPerModule-6)/2 {
				b.Fatalf("scan: %d instances, diagnostics %v", len(snap.Graph.Instances()), snap.Diagnostics)
			}
		}
	})
	b.Run("scan-with-cost", func(b *testing.B) {
		defer cpuPerOp(b)()
		for b.Loop() {
			eng, err := analyzer.NewEngine(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := eng.Analyze(ctx, analyzer.Request{Paths: paths}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("diff", func(b *testing.B) {
		defer cpuPerOp(b)()
		for b.Loop() {
			eng, err := analyzer.NewEngine(ctx)
			if err != nil {
				b.Fatal(err)
			}
			head, err := eng.Analyze(ctx, analyzer.Request{Paths: paths})
			if err != nil {
				b.Fatal(err)
			}
			overlay, _, err := GitOverlay(ctx, "HEAD", paths, BaseLimits{})
			if err != nil {
				b.Fatal(err)
			}
			base, err := eng.Analyze(ctx, analyzer.Request{Paths: paths, Overlay: overlay, Base: true})
			if err != nil {
				b.Fatal(err)
			}
			if len(base.Reread) != 1 {
				b.Fatalf("the base read %d inputs again, want 1 (the changed module)", len(base.Reread))
			}
			d, err := Compare(base, head, Options{})
			if err != nil {
				b.Fatal(err)
			}
			if c := d.Count(); c.Opened != 1 || c.Closed != 1 {
				b.Fatalf("diff: %+v", c)
			}
		}
	})
}

// cpuPerOp reports the process CPU time per iteration (cpu-ms/op): on a
// shared machine wall time measures the neighbours as much as the code.
func cpuPerOp(b *testing.B) func() {
	start := processCPU()
	return func() {
		if b.N > 0 {
			b.ReportMetric(float64((processCPU()-start).Milliseconds())/float64(b.N), "cpu-ms/op")
		}
	}
}
