package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The architecture the diff tests change, commit by commit: a bastion in a
// public subnet admitting SSH from one address, an application server in
// an isolated subnet.
var diffFixture = map[string]string{
	"network.tf": `provider "aws" {
  region = "us-east-1"
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "public" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "10.0.1.0/24"
  availability_zone       = "us-east-1a"
  map_public_ip_on_launch = true
}

resource "aws_subnet" "private" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.2.0/24"
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
`,
	"security.tf": `resource "aws_security_group" "bastion" {
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["203.0.113.10/32"]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "app" {
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 8080
    to_port     = 8080
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    from_port       = 22
    to_port         = 22
    protocol        = "tcp"
    security_groups = [aws_security_group.bastion.id]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`,
	"compute.tf": `resource "aws_instance" "bastion" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.public.id
  vpc_security_group_ids = [aws_security_group.bastion.id]
}

resource "aws_instance" "app" {
  ami                    = "ami-12345678"
  instance_type          = "t3.large"
  subnet_id              = aws_subnet.private.id
  vpc_security_group_ids = [aws_security_group.app.id]
}
`,
}

// gitRepo is a git repository made for a test.
type gitRepo struct {
	t   *testing.T
	dir string
}

func newGitRepo(t *testing.T) *gitRepo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed: diff --base needs it")
	}
	r := &gitRepo{t: t, dir: t.TempDir()}
	r.git("init", "-q")
	return r
}

func (r *gitRepo) git(args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", append([]string{"-C", r.dir, "-c", "user.email=test@example.com", "-c", "user.name=test", "-c", "commit.gpgsign=false"}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+r.dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

func (r *gitRepo) write(name, content string) {
	r.t.Helper()
	p := filepath.Join(r.dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

func (r *gitRepo) read(name string) string {
	r.t.Helper()
	b, err := os.ReadFile(filepath.Join(r.dir, name))
	if err != nil {
		r.t.Fatal(err)
	}
	return string(b)
}

// edit replaces old by new in a file (old must occur).
func (r *gitRepo) edit(name, old, new string) {
	r.t.Helper()
	s := r.read(name)
	if !strings.Contains(s, old) {
		r.t.Fatalf("%s does not contain %q", name, old)
	}
	r.write(name, strings.Replace(s, old, new, 1))
}

func (r *gitRepo) commit(msg string) string {
	r.t.Helper()
	r.git("add", "-A", ".")
	r.git("commit", "-q", "-m", msg)
	return r.git("rev-parse", "HEAD")
}

// diffDoc is the part of the JSON contract the tests check.
type diffDoc struct {
	Version string `json:"version"`
	Summary struct {
		Empty bool `json:"empty"`
	} `json:"summary"`
	Exposure []struct {
		Change   string   `json:"change"`
		Resource string   `json:"resource"`
		Protocol string   `json:"protocol"`
		FromPort int      `json:"from_port"`
		ToPort   int      `json:"to_port"`
		Via      string   `json:"via"`
		Sources  []string `json:"sources"`
		Path     []struct {
			Node string `json:"node"`
		} `json:"path"`
		Location *struct {
			File  string `json:"file"`
			Start struct {
				Line int `json:"line"`
			} `json:"start"`
		} `json:"location"`
	} `json:"exposure"`
	Tiers []struct {
		Resource string `json:"resource"`
		Base     string `json:"base"`
		Head     string `json:"head"`
	} `json:"tiers"`
	Subnets []struct {
		Subnet string `json:"subnet"`
		Change string `json:"change"`
		Base   *struct {
			Public bool   `json:"public"`
			Class  string `json:"class"`
			Egress string `json:"egress"`
		} `json:"base"`
		Head *struct {
			Public bool   `json:"public"`
			Class  string `json:"class"`
			Egress string `json:"egress"`
		} `json:"head"`
		HeadNAT string `json:"head_nat_gateway"`
	} `json:"subnets"`
	Findings map[string][]struct {
		RuleID   string `json:"rule_id"`
		Resource struct {
			ID string `json:"id"`
		} `json:"resource"`
		Message  string `json:"message"`
		Location *struct {
			File string `json:"file"`
		} `json:"location"`
		Fingerprint string `json:"fingerprint"`
	} `json:"findings"`
	Cost *struct {
		BaseTotal string `json:"base_total_monthly"`
		HeadTotal string `json:"head_total_monthly"`
		Delta     string `json:"delta_monthly"`
		Percent   string `json:"delta_percent"`
		Resources []struct {
			ID     string `json:"id"`
			Status string `json:"status"`
			Base   string `json:"base_monthly"`
			Head   string `json:"head_monthly"`
			Delta  string `json:"delta_monthly"`
		} `json:"resources"`
		NewUsageDependent []string `json:"new_usage_dependent"`
	} `json:"cost"`
}

func (r *gitRepo) diffJSON(base string, extra ...string) (diffDoc, string, int) {
	r.t.Helper()
	args := append([]string{"diff", "--base", base, "--format", "json"}, extra...)
	out, errOut, code := runCLI(r.t, append(args, r.dir)...)
	var d diffDoc
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		r.t.Fatalf("diff --format json: %v\n%s\n%s", err, out, errOut)
	}
	return d, errOut, code
}

// findingKeys lists "rule resource" of the findings of one status.
func findingKeys(d diffDoc, status string) []string {
	out := []string{}
	for _, f := range d.Findings[status] {
		out = append(out, f.RuleID+" "+f.Resource.ID)
	}
	return out
}

func pathNodes(d diffDoc, i int) []string {
	var out []string
	for _, h := range d.Exposure[i].Path {
		out = append(out, h.Node)
	}
	return out
}

func TestDiffCommits(t *testing.T) {
	t.Parallel()
	r := newGitRepo(t)
	for name, content := range diffFixture {
		r.write(name, content)
	}
	c0 := r.commit("base")

	t.Run("same commit", func(t *testing.T) {
		d, errOut, code := r.diffJSON(c0)
		if code != 0 || !d.Summary.Empty || len(d.Exposure)+len(d.Tiers)+len(d.Subnets) != 0 ||
			len(d.Findings["new"])+len(d.Findings["fixed"])+len(d.Findings["suppressed"])+len(d.Findings["unsuppressed"]) != 0 ||
			d.Cost == nil || len(d.Cost.Resources) != 0 || d.Cost.Delta != "0.00" {
			t.Errorf("a commit compared with itself is not empty (exit %d): %+v\n%s", code, d, errOut)
		}
		if got := findingKeys(d, "unchanged"); !cmp.Equal(got, []string{"default-sg-closed aws_vpc.main.default_security_group"}) {
			t.Errorf("unchanged findings: %v", got)
		}
		text, _, _ := runCLI(t, "diff", "--base", c0, r.dir)
		if !strings.Contains(text, "no change in exposure, findings or cost (1 findings unchanged)") {
			t.Errorf("text of an empty diff:\n%s", text)
		}
	})

	// 1. A commit that opens a port on the bastion and drops the app's SSH
	// rule from it: nothing is reached through it any more.
	r.edit("security.tf", "    cidr_blocks = [\"203.0.113.10/32\"]\n  }\n", "    cidr_blocks = [\"203.0.113.10/32\"]\n  }\n  ingress {\n    from_port   = 443\n    to_port     = 443\n    protocol    = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n")
	r.edit("security.tf", "  ingress {\n    from_port       = 22\n    to_port         = 22\n    protocol        = \"tcp\"\n    security_groups = [aws_security_group.bastion.id]\n  }\n", "")
	c1 := r.commit("open 443 on the bastion, no SSH from it")
	t.Run("open a port", func(t *testing.T) {
		d, errOut, code := r.diffJSON(c0, "--fail-on-exposure")
		if code != exitFindings || !strings.Contains(errOut, "1 port range newly reachable from the internet (--fail-on-exposure)") {
			t.Errorf("--fail-on-exposure: exit %d, %s", code, errOut)
		}
		if len(d.Exposure) != 1 {
			t.Fatalf("exposure changes: %+v", d.Exposure)
		}
		e := d.Exposure[0]
		if e.Change != "opened" || e.Resource != "aws_instance.bastion" || e.Protocol != "tcp" || e.FromPort != 443 || e.ToPort != 443 ||
			e.Via != "direct" || !cmp.Equal(e.Sources, []string{"0.0.0.0/0"}) || e.Location == nil ||
			e.Location.File != filepath.Join(r.dir, "compute.tf") || e.Location.Start.Line != 1 {
			t.Errorf("exposure: %+v", e)
		}
		wantPath := []string{"internet", "aws_internet_gateway.igw", "aws_route_table.public", "aws_vpc.main.default_network_acl", "aws_security_group.bastion", "aws_instance.bastion"}
		if got := pathNodes(d, 0); !cmp.Equal(got, wantPath) {
			t.Errorf("path %v, want %v", got, wantPath)
		}
		// No group admits SSH from it any more: the bastion is no longer a
		// jump host (its exposure alone does not make it one).
		if len(d.Tiers) != 1 || d.Tiers[0].Resource != "aws_instance.bastion" || d.Tiers[0].Base != "bastion" || d.Tiers[0].Head != "" {
			t.Errorf("tiers: %+v", d.Tiers)
		}
		wantNew := []string{"only-lb-public aws_instance.bastion", "ssh-via-bastion-only aws_instance.bastion", "ssh-via-bastion-only aws_security_group.bastion", "only-lb-public aws_instance.bastion"}
		if got := findingKeys(d, "new"); !cmp.Equal(got, wantNew) {
			t.Errorf("new findings %v, want %v", got, wantNew)
		}
		if got := findingKeys(d, "fixed"); len(got) != 0 {
			t.Errorf("fixed findings: %v", got)
		}
		if d.Cost == nil || d.Cost.Delta != "0.00" || len(d.Cost.Resources) != 0 {
			t.Errorf("cost: %+v", d.Cost)
		}
		// --fail-on-new high fails on them; critical does not.
		if _, _, code := r.diffJSON(c0, "--fail-on-new", "high"); code != exitFindings {
			t.Errorf("--fail-on-new high: exit %d", code)
		}
		if _, _, code := r.diffJSON(c0, "--fail-on-new", "critical"); code != 0 {
			t.Errorf("--fail-on-new critical: exit %d", code)
		}
	})

	// 2. A commit that moves the application server to the public subnet.
	r.edit("compute.tf", "subnet_id              = aws_subnet.private.id", "subnet_id              = aws_subnet.public.id")
	c2 := r.commit("move app to the public subnet")
	t.Run("move between subnets", func(t *testing.T) {
		d, _, code := r.diffJSON(c1)
		if code != 0 || len(d.Exposure) != 1 {
			t.Fatalf("exit %d, exposure %+v", code, d.Exposure)
		}
		e := d.Exposure[0]
		if e.Change != "opened" || e.Resource != "aws_instance.app" || e.Protocol != "tcp" || e.FromPort != 8080 || e.ToPort != 8080 || !cmp.Equal(e.Sources, []string{"0.0.0.0/0"}) {
			t.Errorf("exposure: %+v", e)
		}
		if got := pathNodes(d, 0); len(got) == 0 || got[len(got)-1] != "aws_instance.app" || got[2] != "aws_route_table.public" {
			t.Errorf("path %v", got)
		}
		if got := findingKeys(d, "new"); !cmp.Equal(got, []string{"only-lb-public aws_instance.app"}) {
			t.Errorf("new findings %v", got)
		}
		// A public IPv4 address: 0.005 USD an hour × 730 hours.
		if d.Cost == nil || d.Cost.BaseTotal != "71.98" || d.Cost.HeadTotal != "75.63" || d.Cost.Delta != "3.65" || d.Cost.Percent != "5.07" ||
			len(d.Cost.Resources) != 1 || d.Cost.Resources[0].ID != "aws_instance.app" || d.Cost.Resources[0].Status != "changed" ||
			d.Cost.Resources[0].Base != "60.74" || d.Cost.Resources[0].Head != "64.39" || d.Cost.Resources[0].Delta != "3.65" {
			t.Errorf("cost: %+v", d.Cost)
		}
	})

	// 3. A commit that adds a NAT gateway for the private subnet.
	r.write("network.tf", r.read("network.tf")+`
resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_nat_gateway" "nat" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.public.id
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.nat.id
  }
}

resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.private.id
  route_table_id = aws_route_table.private.id
}
`)
	c3 := r.commit("add a NAT gateway")
	t.Run("add a NAT", func(t *testing.T) {
		d, errOut, code := r.diffJSON(c2, "--fail-on-increase", "40")
		if code != 0 {
			t.Errorf("--fail-on-increase 40: exit %d %s", code, errOut)
		}
		if len(d.Exposure) != 0 || len(d.Tiers) != 0 || len(d.Findings["new"])+len(d.Findings["fixed"]) != 0 {
			t.Errorf("a NAT gateway changes no exposure or finding: %+v %+v %v", d.Exposure, d.Tiers, d.Findings)
		}
		if len(d.Subnets) != 1 {
			t.Fatalf("subnets: %+v", d.Subnets)
		}
		s := d.Subnets[0]
		if s.Subnet != "aws_subnet.private" || s.Change != "class_changed" || s.Base == nil || s.Head == nil ||
			s.Base.Class != "isolated" || s.Base.Egress != "none" || s.Head.Class != "private" || s.Head.Egress != "nat" || s.Head.Public || s.HeadNAT != "aws_nat_gateway.nat" {
			t.Errorf("subnet: %+v base %+v head %+v", s, s.Base, s.Head)
		}
		// NAT gateway 0.045 USD an hour, its Elastic IP 0.005 USD an hour, × 730.
		type res struct{ ID, Status, Base, Head, Delta string }
		var got []res
		for _, x := range d.Cost.Resources {
			got = append(got, res{x.ID, x.Status, x.Base, x.Head, x.Delta})
		}
		want := []res{{"aws_nat_gateway.nat", "added", "0.00", "32.85", "32.85"}, {"aws_eip.nat", "added", "0.00", "3.65", "3.65"}}
		if !cmp.Equal(got, want) || d.Cost.Delta != "36.50" || d.Cost.BaseTotal != "75.63" || d.Cost.HeadTotal != "112.13" ||
			!cmp.Equal(d.Cost.NewUsageDependent, []string{"aws_nat_gateway.nat nat_data_processed"}) {
			t.Errorf("cost: %+v (resources %v)", d.Cost, got)
		}
		_, errOut, code = r.diffJSON(c2, "--fail-on-increase", "10%")
		if code != exitFindings || !strings.Contains(errOut, "monthly cost rises by 36.50 USD (+48.26%), over --fail-on-increase") {
			t.Errorf("--fail-on-increase 10%%: exit %d %s", code, errOut)
		}
	})

	// 4. A commit that suppresses a finding inline.
	r.edit("security.tf", `resource "aws_security_group" "bastion" {`, "# vpcgate:ignore ssh-via-bastion-only the office address is the only source\nresource \"aws_security_group\" \"bastion\" {")
	c4 := r.commit("suppress a finding")
	t.Run("suppress a finding", func(t *testing.T) {
		d, _, code := r.diffJSON(c3, "--fail-on-new", "low")
		if code != 0 || d.Summary.Empty {
			t.Errorf("exit %d, empty %v", code, d.Summary.Empty)
		}
		if got := findingKeys(d, "suppressed"); !cmp.Equal(got, []string{"ssh-via-bastion-only aws_security_group.bastion"}) {
			t.Errorf("suppressed %v", got)
		}
		if n := len(d.Findings["new"]) + len(d.Findings["fixed"]) + len(d.Findings["unsuppressed"]); n != 0 || len(d.Findings["unchanged"]) != 5 {
			t.Errorf("findings: %v", d.Findings)
		}
		if len(d.Exposure)+len(d.Subnets)+len(d.Tiers) != 0 || d.Cost.Delta != "0.00" {
			t.Errorf("a suppression changes nothing else: %+v", d)
		}
		// The other way round, removing the suppression brings it back.
		r.git("checkout", "-q", c3)
		back, _, code := r.diffJSON(c4, "--fail-on-new", "high")
		if got := findingKeys(back, "unsuppressed"); !cmp.Equal(got, []string{"ssh-via-bastion-only aws_security_group.bastion"}) || code != exitFindings {
			t.Errorf("unsuppressed %v, exit %d", got, code)
		}
		r.git("checkout", "-q", c4)
	})

	// 5. A commit that only reorders blocks and lines.
	parts := strings.SplitN(r.read("compute.tf"), "\n\n", 2)
	r.write("compute.tf", strings.TrimRight(parts[1], "\n")+"\n\n\n"+parts[0]+"\n")
	r.edit("network.tf", "  vpc_id            = aws_vpc.main.id\n  cidr_block        = \"10.0.2.0/24\"", "  cidr_block        = \"10.0.2.0/24\"\n  vpc_id            = aws_vpc.main.id")
	r.commit("reorder")
	t.Run("reorder lines", func(t *testing.T) {
		d, _, code := r.diffJSON(c4)
		if code != 0 || !d.Summary.Empty || len(d.Findings["unchanged"]) != 6 {
			t.Errorf("reordering changes nothing: exit %d %+v", code, d)
		}
		if d.Cost == nil || len(d.Cost.Resources) != 0 || d.Cost.Delta != "0.00" {
			t.Errorf("cost: %+v", d.Cost)
		}
	})

	t.Run("base path", func(t *testing.T) {
		// The same comparison from a copy of the base on disk.
		baseDir := t.TempDir()
		r.git("worktree", "add", "-q", baseDir, c0)
		out, errOut, code := runCLI(t, "diff", "--base-path", baseDir, "--format", "json", r.dir)
		var d diffDoc
		if err := json.Unmarshal([]byte(out), &d); err != nil || code != 0 {
			t.Fatalf("exit %d %v %s", code, err, errOut)
		}
		fromGit, _, _ := r.diffJSON(c0)
		if !cmp.Equal(d.Exposure, fromGit.Exposure) || !cmp.Equal(d.Subnets, fromGit.Subnets) || !cmp.Equal(findingKeys(d, "new"), findingKeys(fromGit, "new")) ||
			d.Cost.Delta != fromGit.Cost.Delta {
			t.Errorf("--base-path and --base differ:\n%+v\n%+v", d, fromGit)
		}
		if len(d.Exposure) != 2 {
			t.Errorf("exposure from the first commit: %+v", d.Exposure)
		}
	})

	t.Run("several formats", func(t *testing.T) {
		// One run: text on standard output, Markdown and SARIF in files,
		// each equal to a run of that format alone.
		out := t.TempDir()
		md, sarif := filepath.Join(out, "pr.md"), filepath.Join(out, "new.sarif")
		text, _, code := runCLI(t, "diff", "--base", c0, r.dir)
		got, errOut, code2 := runCLI(t, "diff", "--base", c0, "--format", "text", "--format", "markdown="+md, "--format", "sarif="+sarif, r.dir)
		if got != text || code2 != code {
			t.Fatalf("exit %d (want %d), stdout differs from a text run: %s", code2, code, errOut)
		}
		for format, p := range map[string]string{"markdown": md, "sarif": sarif} {
			alone, _, _ := runCLI(t, "diff", "--base", c0, "--format", format, r.dir)
			if b, err := os.ReadFile(p); err != nil || string(b) != alone || alone == "" {
				t.Errorf("%s file differs from a %s run (%v)", format, format, err)
			}
		}
	})
}

// TestDiffWorkingTreeUntouched checks that reading the base neither
// changes the working tree nor the index, and that uncommitted edits and
// new files are the head.
func TestDiffWorkingTreeUntouched(t *testing.T) {
	t.Parallel()
	r := newGitRepo(t)
	for name, content := range diffFixture {
		r.write(name, content)
	}
	c0 := r.commit("base")
	r.edit("compute.tf", `instance_type          = "t3.micro"`, `instance_type          = "t3.small"`)
	r.write("extra/vpc.tf", "resource \"aws_vpc\" \"extra\" {\n  cidr_block = \"10.9.0.0/16\"\n}\n")
	r.git("rm", "-q", "--cached", "security.tf") // staged deletion, file still on disk
	before := r.git("status", "--porcelain")
	d, errOut, code := r.diffJSON(c0)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if after := r.git("status", "--porcelain"); after != before {
		t.Errorf("git status changed:\n%s\n→\n%s", before, after)
	}
	// t3.micro 7.59 → t3.small 15.18 a month (0.0104 and 0.0208 USD an hour).
	if d.Cost == nil || len(d.Cost.Resources) != 1 || d.Cost.Resources[0].ID != "aws_instance.bastion" || d.Cost.Resources[0].Delta != "7.59" {
		t.Errorf("cost: %+v", d.Cost)
	}
}

func TestDiffUsageErrors(t *testing.T) {
	t.Parallel()
	r := newGitRepo(t)
	for name, content := range diffFixture {
		r.write(name, content)
	}
	r.commit("base")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"diff", r.dir}, "--base REF (a git revision) or --base-path DIR"},
		{[]string{"diff", "--base", "HEAD", "--base-path", r.dir, r.dir}, "not both"},
		{[]string{"diff", "--base", "no-such-branch", r.dir}, `unknown revision "no-such-branch"`},
		{[]string{"diff", "--base", "--upload-pack=x", r.dir}, "not a revision"},
		{[]string{"diff", "--base", "HEAD", "--format", "xml", r.dir}, `unknown --format "xml"`},
		{[]string{"diff", "--base", "HEAD", "--fail-on-new", "urgent", r.dir}, "--fail-on-new"},
		{[]string{"diff", "--base", "HEAD", "--fail-on-increase", "lots", r.dir}, "--fail-on-increase"},
		{[]string{"diff", "--base", "HEAD", t.TempDir()}, "not in a git repository"},
		{[]string{"diff", "--base-path", r.dir, "--base-path", r.dir, r.dir}, "give one --base-path per path"},
	}
	for _, c := range cases {
		_, errOut, code := runCLI(t, c.args...)
		if code != exitUsage || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", c.args, code, errOut, c.want)
		}
	}
}

// TestDiffFixedAtBase: a fixed finding is located in the base revision
// (base:FILE:LINE in text and Markdown), not at base's line under head's
// file, which head may have moved.
func TestDiffFixedAtBase(t *testing.T) {
	t.Parallel()
	r := newGitRepo(t)
	for name, content := range diffFixture {
		r.write(name, content)
	}
	r.edit("security.tf", "    cidr_blocks = [\"203.0.113.10/32\"]\n  }\n", "    cidr_blocks = [\"203.0.113.10/32\"]\n  }\n  ingress {\n    from_port   = 443\n    to_port     = 443\n    protocol    = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n")
	c1 := r.commit("open 443 on the bastion")
	// Head closes the port again and moves every resource down 3 lines.
	r.write("security.tf", "\n\n\n"+diffFixture["security.tf"])
	r.write("compute.tf", "\n\n\n"+diffFixture["compute.tf"])
	// The fixed finding's location as JSON gives it: base's file and line.
	var doc struct {
		Findings struct {
			Fixed []struct {
				Location struct {
					File  string
					Start struct{ Line int }
				}
			}
		}
	}
	out, _, _ := runCLI(t, "diff", "--base", c1, "--format", "json", r.dir)
	if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc.Findings.Fixed) != 1 {
		t.Fatalf("%v: %s", err, out)
	}
	loc := doc.Findings.Fixed[0].Location
	rel, _ := filepath.Rel(r.dir, loc.File)
	// That line is base's 443 rule (0.0.0.0/0), which head no longer has
	// there: head's file at that line would mislead.
	if l := strings.Split(r.git("show", c1+":"+rel), "\n")[loc.Start.Line-1]; !strings.Contains(l, "0.0.0.0/0") {
		t.Fatalf("base line %d of %s is %q", loc.Start.Line, rel, l)
	}
	if l := strings.Split(r.read(rel), "\n")[loc.Start.Line-1]; strings.Contains(l, "0.0.0.0/0") {
		t.Fatalf("head line %d of %s is %q: the test does not move the rule", loc.Start.Line, rel, l)
	}
	text, errOut, _ := runCLI(t, "diff", "--base", c1, r.dir)
	md, _, _ := runCLI(t, "diff", "--base", c1, "--format", "markdown", r.dir)
	want := fmt.Sprintf("base:%s:%d:", loc.File, loc.Start.Line)
	fixed := 0
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "fixed ") && strings.Contains(l, "aws_instance.bastion") {
			fixed++
			if !strings.Contains(l, want) {
				t.Errorf("fixed finding not located at %s: %q", want, l)
			}
		}
		if strings.HasPrefix(strings.TrimSpace(l), "new ") && strings.Contains(l, "base:") {
			t.Errorf("new finding located in base: %q", l)
		}
	}
	if fixed == 0 {
		t.Errorf("no fixed bastion finding in the text:\n%s\n%s", text, errOut)
	}
	if !strings.Contains(md, "`"+want) {
		t.Errorf("markdown does not locate fixed findings at %s:\n%s", want, md)
	}
}
