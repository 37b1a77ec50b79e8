package analyzer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vpcgate/vpcgate/internal/estate"
)

// vpcFile is one VPC of perFile Terraform resources: an internet
// gateway, a route table, subnets, then security groups (SSH from
// admin), instances in them and Elastic IPs.
func vpcFile(f, perFile int, admin string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `resource "aws_vpc" "v%[1]d" {
  cidr_block = "10.%[1]d.0.0/16"
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
	subnets := max(1, (perFile-n)/10)
	for s := 0; s < subnets && n < perFile; s++ {
		fmt.Fprintf(&b, `resource "aws_subnet" "s%[1]d_%[2]d" {
  vpc_id            = aws_vpc.v%[1]d.id
  cidr_block        = "10.%[1]d.%[2]d.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_route_table_association" "a%[1]d_%[2]d" {
  subnet_id      = aws_subnet.s%[1]d_%[2]d.id
  route_table_id = aws_route_table.r%[1]d.id
}
`, f, s)
		n += 2
	}
	for s := 0; n < perFile; s++ {
		cidr := `"203.0.113.10/32"`
		if s == 0 {
			cidr = admin
		}
		fmt.Fprintf(&b, `resource "aws_security_group" "sg%[1]d_%[2]d" {
  name   = "sg-%[1]d-%[2]d"
  vpc_id = aws_vpc.v%[1]d.id
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [%[3]s]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`, f, s, cidr)
		n++
		if n >= perFile {
			break
		}
		fmt.Fprintf(&b, `resource "aws_instance" "i%[1]d_%[2]d" {
  ami                    = "ami-760aaa0f"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.s%[1]d_%[3]d.id
  vpc_security_group_ids = [aws_security_group.sg%[1]d_%[2]d.id]
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

// workspace writes vpcs VPCs of perVPC resources: each its own root
// module (stacks/vpcNN/main.tf) when stacks, else files of one module.
func workspace(tb testing.TB, vpcs, perVPC int, stacks bool) (dir string, files []string) {
	tb.Helper()
	dir = tb.TempDir()
	for f := range vpcs {
		p := filepath.Join(dir, fmt.Sprintf("net%03d.tf", f))
		if stacks {
			p = filepath.Join(dir, "stacks", fmt.Sprintf("vpc%03d", f), "main.tf")
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(vpcFile(f, perVPC, `"203.0.113.10/32"`)), 0o644); err != nil {
			tb.Fatal(err)
		}
		files = append(files, p)
	}
	return dir, files
}

func TestWorkspaceGenerator(t *testing.T) {
	t.Parallel()
	for _, stacks := range []bool{true, false} {
		t.Run(fmt.Sprintf("stacks=%t", stacks), func(t *testing.T) { testWorkspace(t, stacks) })
	}
}

// testWorkspace edits one VPC of three: only its component is derived
// and evaluated again, whether the VPCs are stacks or files of one module.
func testWorkspace(t *testing.T, stacks bool) {
	dir, files := workspace(t, 3, 100, stacks)
	e := newTestEngine(t)
	s, err := e.Analyze(context.Background(), Request{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	if s.HasErrors() || s.Graph.Len() < 250 || (stacks && len(s.Inputs) != 3) {
		t.Fatalf("%d nodes, %d inputs, diagnostics %v", s.Graph.Len(), len(s.Inputs), s.Diagnostics)
	}
	s2, err := e.Update(context.Background(), Change{Path: files[1], Content: []byte(vpcFile(1, 100, `"0.0.0.0/0"`))})
	if err != nil {
		t.Fatal(err)
	}
	if len(findingsOf(s2, "admin-ports-open-to-world")) != len(findingsOf(s, "admin-ports-open-to-world"))+1 {
		t.Errorf("opening SSH adds one finding: %d → %d", len(findingsOf(s, "admin-ports-open-to-world")), len(findingsOf(s2, "admin-ports-open-to-world")))
	}
	if e.derived[0] != 1 {
		t.Errorf("the edit re-derived %d of %d components, want 1", e.derived[0], e.derived[1])
	}
}

// BenchmarkEngineEdit measures one-file edits re-analysed — graph,
// findings and costs — alternating SSH from an admin address and from the
// world in one VPC: a 300-resource module, and 5,000-resource workspaces
// of 50 VPCs as 50 stacks (root modules) or as 50 files of one module.
// Run: go test -run '^$' -bench EngineEdit ./analyzer
func BenchmarkEngineEdit(b *testing.B) {
	for _, tc := range []struct {
		name         string
		vpcs, perVPC int
		stacks       bool
	}{
		{"module-300", 3, 100, false},
		{"stacks-5000", 50, 100, true},
		{"module-5000", 50, 100, false},
	} {
		b.Run(tc.name, func(b *testing.B) {
			ctx := context.Background()
			dir, files := workspace(b, tc.vpcs, tc.perVPC, tc.stacks)
			e, err := NewEngine(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := e.Analyze(ctx, Request{Paths: []string{dir}}); err != nil {
				b.Fatal(err)
			}
			edit := [2][]byte{[]byte(vpcFile(1, tc.perVPC, `"0.0.0.0/0"`)), []byte(vpcFile(1, tc.perVPC, `"203.0.113.10/32"`))}
			i := 0
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				s, err := e.Update(ctx, Change{Path: files[1], Content: edit[i%2]})
				if err != nil {
					b.Fatal(err)
				}
				if s.Costs == nil || len(s.Findings) == 0 {
					b.Fatal("no costs or findings")
				}
				i++
			}
		})
	}
}

// BenchmarkEngineUnchanged measures an analysis of an unchanged
// 5,000-resource workspace: nothing is parsed again.
func BenchmarkEngineUnchanged(b *testing.B) {
	ctx := context.Background()
	dir, _ := workspace(b, 50, 100, true)
	e, err := NewEngine(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := e.Analyze(ctx, Request{Paths: []string{dir}}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		s, err := e.Analyze(ctx, Request{Paths: []string{dir}})
		if err != nil {
			b.Fatal(err)
		}
		if len(s.Reread) != 0 {
			b.Fatalf("re-read %v", s.Reread)
		}
	}
}

// BenchmarkEngineCold is a whole scan (graph, findings, costs) by a new
// engine: the 10k-instance describe estate and a 5,000-resource module.
func BenchmarkEngineCold(b *testing.B) {
	ctx := context.Background()
	est := b.TempDir()
	if _, err := estate.Write(est, estate.Options{Instances: 10000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	mod, _ := workspace(b, 50, 100, false)
	for _, tc := range []struct{ name, dir string }{{"estate-10k", est}, {"module-5000", mod}} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				e, err := NewEngine(ctx, WithParts(PartFindings))
				if err != nil {
					b.Fatal(err)
				}
				if _, err := e.Analyze(ctx, Request{Paths: []string{tc.dir}}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestCancelEstate cancels an analysis of the 10k-instance estate at
// several points: each returns context.Canceled and publishes no snapshot.
// The time from the cancel to the return is logged (go test -v -run
// CancelEstate), not asserted: the machine may be loaded.
func TestCancelEstate(t *testing.T) {
	if testing.Short() {
		t.Skip("writes an 85 MB estate")
	}
	dir := t.TempDir()
	if _, err := estate.Write(dir, estate.Options{Instances: 10000, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	for _, after := range []time.Duration{50 * time.Millisecond, 300 * time.Millisecond, 700 * time.Millisecond, 1200 * time.Millisecond} {
		// A new engine each time: one that read the inputs before would
		// answer from its cache and never reach the later phases.
		e := newTestEngine(t)
		ctx, cancel := context.WithCancel(context.Background())
		at := make(chan time.Time, 1)
		timer := time.AfterFunc(after, func() { at <- time.Now(); cancel() })
		s, err := e.Analyze(ctx, Request{Paths: []string{dir}})
		stopped := time.Now()
		timer.Stop()
		cancel()
		if err == nil {
			// Finished before the cancel: a whole snapshot.
			if s == nil || s.Graph.Len() == 0 {
				t.Fatal("a finished analysis without a snapshot")
			}
			continue
		}
		if !errors.Is(err, context.Canceled) || s != nil {
			t.Fatalf("cancelled after %v: snapshot %v, error %v", after, s != nil, err)
		}
		if e.Last() != nil {
			t.Fatal("a cancelled analysis published a snapshot")
		}
		t.Logf("cancelled %v into the analysis: returned %v after the cancel", after, stopped.Sub(<-at))
	}
}
