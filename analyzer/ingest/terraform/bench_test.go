package terraform

import (
	"context"
	"fmt"
	"github.com/vpcgate/vpcgate/analyzer/ingest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the process's user + system CPU time: on a shared machine the
// wall-clock ns/op includes time spent waiting for a core, cpu-ms/op does
// not.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}

// generate writes files × perFile resources in the style of a real network
// configuration (VPCs, subnets from cidrsubnet, route tables, security groups
// referencing each other, instances) and returns the directory.
func generate(tb testing.TB, files, perFile int) string {
	tb.Helper()
	dir := tb.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "variables.tf"), []byte(`
variable "base_cidr" { default = "10.0.0.0/8" }
variable "admin_cidr" { default = "203.0.113.10/32" }
locals { azs = ["us-east-1a", "us-east-1b", "us-east-1c"] }
`), 0o644); err != nil {
		tb.Fatal(err)
	}
	for f := 0; f < files; f++ {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("net%03d.tf", f)), []byte(generatedFile(f, perFile)), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return dir
}

func generatedFile(f, perFile int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `resource "aws_vpc" "v%[1]d" {
  cidr_block = cidrsubnet(var.base_cidr, 8, %[1]d)
  tags       = { Name = "vpc-%[1]d" }
}
resource "aws_internet_gateway" "g%[1]d" { vpc_id = aws_vpc.v%[1]d.id }
resource "aws_route_table" "r%[1]d" {
  vpc_id = aws_vpc.v%[1]d.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.g%[1]d.id
  }
}
`, f)
	n := 3
	subnets := (perFile - n) / 5
	for s := 0; s < subnets && n < perFile; s++ {
		fmt.Fprintf(&b, `resource "aws_subnet" "s%[1]d_%[2]d" {
  vpc_id            = aws_vpc.v%[1]d.id
  cidr_block        = cidrsubnet(aws_vpc.v%[1]d.cidr_block, 8, %[2]d)
  availability_zone = element(local.azs, %[2]d)
  tags              = { Name = format("subnet-%%d-%%d", %[1]d, %[2]d), Tier = %[2]d %% 2 == 0 ? "public" : "app" }
}
resource "aws_route_table_association" "a%[1]d_%[2]d" {
  subnet_id      = aws_subnet.s%[1]d_%[2]d.id
  route_table_id = aws_route_table.r%[1]d.id
}
`, f, s)
		n += 2
	}
	for s := 0; n < perFile; s++ {
		prev := ""
		if s > 0 {
			prev = fmt.Sprintf(`
  ingress {
    from_port       = 443
    to_port         = 443
    protocol        = "tcp"
    security_groups = [aws_security_group.sg%d_%d.id]
  }`, f, s-1)
		}
		fmt.Fprintf(&b, `resource "aws_security_group" "sg%[1]d_%[2]d" {
  name   = "sg-%[1]d-%[2]d"
  vpc_id = aws_vpc.v%[1]d.id
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.admin_cidr]
  }%[3]s
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`, f, s, prev)
		n++
		if n >= perFile {
			break
		}
		fmt.Fprintf(&b, `resource "aws_instance" "i%[1]d_%[2]d" {
  ami                    = "ami-760aaa0f"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.s%[1]d_%[3]d.id
  vpc_security_group_ids = [aws_security_group.sg%[1]d_%[2]d.id]
  tags                   = { Name = "app-%[1]d-%[2]d" }
}
`, f, s, s%subnets)
		n++
		if n >= perFile {
			break
		}
		fmt.Fprintf(&b, `resource "aws_eip" "e%[1]d_%[2]d" {
  domain   = "vpc"
  instance = aws_instance.i%[1]d_%[2]d.id
}
`, f, s)
		n++
	}
	return b.String()
}

func TestGeneratedConfiguration(t *testing.T) {
	t.Parallel()
	dir := generate(t, 3, 100)
	g := LoadModule(context.Background(), dir, Options{})
	// 300 resources: 297 nodes plus the 3 × 3 VPC defaults minus the 60
	// associations that modify route tables instead of being nodes.
	if got, want := g.Len(), 300-3*19+3*3; got != want {
		t.Errorf("nodes = %d, want %d", got, want)
	}
	for _, d := range g.Diagnostics {
		t.Errorf("unexpected diagnostic %v", d)
	}
}

func BenchmarkLoadModule5000(b *testing.B) {
	dir := generate(b, 50, 100)
	ctx := context.Background()
	b.ResetTimer()
	start := cpuTime()
	for i := 0; i < b.N; i++ {
		g := LoadModule(ctx, dir, Options{})
		if g.Len() < 4000 {
			b.Fatalf("only %d nodes", g.Len())
		}
	}
	reportCPU(b, start)
}

// BenchmarkReloadAfterEdit is what the language server does on a keystroke:
// one file of a 300-resource module changes (in the editor overlay), the
// module is loaded again with the same Loader, which parses that file only.
func BenchmarkReloadAfterEdit(b *testing.B) {
	dir := generate(b, 3, 100)
	ctx := context.Background()
	l := NewLoader()
	edited := filepath.Join(dir, "net001.tf")
	orig, err := os.ReadFile(edited)
	if err != nil {
		b.Fatal(err)
	}
	l.Load(ctx, dir, Options{})
	b.ResetTimer()
	start := cpuTime()
	defer reportCPU(b, start)
	for i := 0; i < b.N; i++ {
		src := append([]byte(fmt.Sprintf("# edit %d\n", i)), orig...)
		g := l.Load(ctx, dir, Options{Options: ingest.Options{Overlay: map[string][]byte{edited: src}}})
		if g.Len() < 200 {
			b.Fatalf("only %d nodes", g.Len())
		}
	}
}
