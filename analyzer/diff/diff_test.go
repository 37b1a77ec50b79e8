package diff

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/vpcgate/vpcgate/analyzer"
	"github.com/vpcgate/vpcgate/internal/estate"
	"github.com/vpcgate/vpcgate/policies"
)

func TestSubtract(t *testing.T) {
	t.Parallel()
	cases := []struct {
		r    portRange
		cut  []portRange
		want []portRange
	}{
		{portRange{22, 22}, nil, []portRange{{22, 22}}},
		{portRange{22, 22}, []portRange{{22, 22}}, []portRange{}},
		{portRange{0, 65535}, []portRange{{22, 22}}, []portRange{{0, 21}, {23, 65535}}},
		{portRange{0, 65535}, []portRange{{80, 90}, {0, 10}, {85, 100}}, []portRange{{11, 79}, {101, 65535}}},
		{portRange{100, 200}, []portRange{{0, 99}, {201, 300}}, []portRange{{100, 200}}},
		{portRange{100, 200}, []portRange{{0, 150}}, []portRange{{151, 200}}},
		{portRange{100, 200}, []portRange{{150, 65535}}, []portRange{{100, 149}}},
		{portRange{-1, -1}, []portRange{{-1, -1}}, []portRange{}},
	}
	for _, c := range cases {
		if got := subtract(c.r, c.cut); !cmp.Equal(got, c.want, cmp.AllowUnexported(portRange{})) {
			t.Errorf("%v − %v = %v, want %v", c.r, c.cut, got, c.want)
		}
	}
}

func finding(rule, res, fp string, suppressed bool) policies.Finding {
	return policies.Finding{RuleID: rule, Severity: policies.SeverityHigh, Resource: policies.Resource{ID: res}, Fingerprint: fp, Suppressed: suppressed}
}

func TestCompareFindings(t *testing.T) {
	t.Parallel()
	base := []policies.Finding{
		finding("a", "r1", "f1", false),
		finding("b", "r2", "f2", false), // fixed
		finding("c", "r3", "f3", false), // suppressed on head
		finding("d", "r4", "f4", true),  // unsuppressed on head
		finding("e", "r5", "f5", false), // one of two on head
		finding("g", "r7", "f7", true),  // suppressed, gone: not "fixed"
	}
	head := []policies.Finding{
		finding("e", "r5", "f5", false),
		finding("a", "r1", "f1", false),
		finding("c", "r3", "f3", true),
		finding("d", "r4", "f4", false),
		finding("e", "r5", "f5", false), // the second occurrence is new
		finding("f", "r6", "f6", false), // new
		finding("h", "r8", "f8", true),  // new but suppressed: not listed
	}
	changed, unchanged := compareFindings(base, head)
	var got []string
	for _, c := range changed {
		got = append(got, c.Status+" "+c.Finding.RuleID)
	}
	want := []string{"suppressed c", "unsuppressed d", "new e", "new f", "fixed b"}
	if !cmp.Equal(got, want) {
		t.Errorf("changed %v, want %v", got, want)
	}
	var un []string
	for _, f := range unchanged {
		un = append(un, f.RuleID)
	}
	if !cmp.Equal(un, []string{"e", "a"}) {
		t.Errorf("unchanged %v", un)
	}
	// The gate counts new and unsuppressed findings at or above its level.
	d := &Diff{Findings: changed}
	why, err := Gate{FailOnNew: policies.FailOn{Min: policies.SeverityHigh}}.Check(d)
	if err != nil || len(why) != 1 || !strings.HasPrefix(why[0], "3 new findings at or above high") {
		t.Errorf("gate: %v %v", why, err)
	}
	if why, _ := (Gate{FailOnNew: policies.FailOn{Min: policies.SeverityCritical}}).Check(d); len(why) != 0 {
		t.Errorf("critical gate: %v", why)
	}
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

const tfBase = `resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "web" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "10.0.1.0/24"
  map_public_ip_on_launch = true
}

resource "aws_route_table" "web" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table_association" "web" {
  subnet_id      = aws_subnet.web.id
  route_table_id = aws_route_table.web.id
}

resource "aws_security_group" "web" {
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 0
    to_port     = 65535
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_instance" "web" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.web.id
  vpc_security_group_ids = [aws_security_group.web.id]
}
`

// TestSubnetBecomesPublic: a route to the internet gateway makes the
// subnet public and every port of the instance in it reachable; SARIF
// holds only the new findings and validates against SARIF 2.1.0.
func TestSubnetBecomesPublic(t *testing.T) {
	t.Parallel()
	head, base := t.TempDir(), t.TempDir()
	writeFiles(t, base, map[string]string{"main.tf": tfBase, "other/vpc.tf": "resource \"aws_vpc\" \"other\" {\n  cidr_block = \"10.1.0.0/16\"\n}\n"})
	writeFiles(t, head, map[string]string{
		"main.tf":   strings.Replace(tfBase, "resource \"aws_route_table\" \"web\" {\n  vpc_id = aws_vpc.main.id\n}", "resource \"aws_route_table\" \"web\" {\n  vpc_id = aws_vpc.main.id\n  route {\n    cidr_block = \"0.0.0.0/0\"\n    gateway_id = aws_internet_gateway.igw.id\n  }\n}", 1),
		"README.md": "not an input\n",
	})
	overlay, err := DirOverlay([]string{head}, []string{base}, BaseLimits{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := overlay[filepath.Join(head, "other", "vpc.tf")]; !ok {
		t.Errorf("a file only the base has is missing from the overlay: %v", keys(overlay))
	}
	ctx := context.Background()
	eng, err := analyzer.NewEngine(ctx)
	if err != nil {
		t.Fatal(err)
	}
	h, err := eng.Analyze(ctx, analyzer.Request{Paths: []string{head}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := eng.Analyze(ctx, analyzer.Request{Paths: []string{head}, Overlay: overlay, Base: true})
	if err != nil {
		t.Fatal(err)
	}
	// The base holds two stacks, so its addresses are scoped by folder
	// ("other/aws_vpc.other"); the address stays an alias.
	if len(b.Graph.Resolve("aws_vpc.other")) != 1 || len(h.Graph.Resolve("aws_vpc.other")) != 0 {
		t.Errorf("the base's other module is read on the base side only: base %d, head %d", len(b.Graph.Resolve("aws_vpc.other")), len(h.Graph.Resolve("aws_vpc.other")))
	}
	d, err := Compare(b, h, Options{BaseLabel: "base", HeadLabel: "head"})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Subnets) != 1 || d.Subnets[0].Subnet != "aws_subnet.web" || !d.Subnets[0].BecamePublic() || d.Subnets[0].SubnetChangeKind() != "became_public" ||
		d.Subnets[0].BaseClass != "isolated" || d.Subnets[0].HeadClass != "public" || d.Subnets[0].HeadEgress != "igw" {
		t.Errorf("subnets: %+v", d.Subnets)
	}
	var opened []string
	for _, e := range d.Exposure {
		opened = append(opened, e.Change+" "+e.Resource+" "+Ports(e.Protocol, e.FromPort, e.ToPort))
	}
	if !cmp.Equal(opened, []string{"opened aws_instance.web tcp/all ports"}) {
		t.Errorf("exposure: %v", opened)
	}
	why, err := Gate{FailOnExposure: true}.Check(d)
	if err != nil || len(why) != 1 {
		t.Errorf("--fail-on-exposure: %v %v", why, err)
	}

	var buf bytes.Buffer
	if err := Write(&buf, "sarif", d, WriteOptions{BaseDir: head, ToolVersion: "test"}); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	newOnes := d.FindingsWith(New)
	if len(newOnes) == 0 || len(log.Runs) != 1 || len(log.Runs[0].Results) != len(newOnes) {
		t.Fatalf("SARIF results %d, new findings %d", len(log.Runs[0].Results), len(newOnes))
	}
	for _, r := range log.Runs[0].Results {
		if len(r.Locations) == 0 || r.Locations[0].PhysicalLocation.ArtifactLocation.URI != "main.tf" {
			t.Errorf("SARIF result %s located at %+v, want main.tf relative to the root", r.RuleID, r.Locations)
		}
	}
	schema := sarifSchema(t)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(inst); err != nil {
		t.Errorf("SARIF of the new findings does not validate: %v", err)
	}

	// JSON and Markdown are deterministic.
	for _, f := range []string{"json", "markdown", "text"} {
		var a, c bytes.Buffer
		if err := Write(&a, f, d, WriteOptions{BaseDir: head}); err != nil {
			t.Fatal(err)
		}
		d2, _ := Compare(b, h, Options{BaseLabel: "base", HeadLabel: "head"})
		if err := Write(&c, f, d2, WriteOptions{BaseDir: head}); err != nil {
			t.Fatal(err)
		}
		if a.String() != c.String() {
			t.Errorf("%s output differs between two runs", f)
		}
	}
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open("../../policies/report/testdata/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("sarif-schema-2.1.0.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestDirOverlay(t *testing.T) {
	t.Parallel()
	head, base, outside := t.TempDir(), t.TempDir(), t.TempDir()
	writeFiles(t, head, map[string]string{"a.tf": "head a", "only-head.yaml": "x", ".terraform/modules/modules.json": "{}", "notes.txt": "x"})
	writeFiles(t, base, map[string]string{"a.tf": "base a", "sub/only-base.json": "{}"})
	writeFiles(t, outside, map[string]string{"secret.json": "{}"})
	if err := os.Symlink(filepath.Join(outside, "secret.json"), filepath.Join(base, "leak.json")); err != nil {
		t.Skip("no symbolic links here")
	}
	ov, err := DirOverlay([]string{head}, []string{base}, BaseLimits{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]byte{
		filepath.Join(head, "a.tf"):               []byte("base a"),
		filepath.Join(head, "sub/only-base.json"): []byte("{}"),
		filepath.Join(head, "only-head.yaml"):     nil,
	}
	if !cmp.Equal(ov, want) {
		t.Errorf("overlay %q, want %q", ov, want)
	}
	if _, err := DirOverlay([]string{head}, []string{base}, BaseLimits{MaxFileSize: 3}); err == nil || !strings.Contains(err.Error(), "over the largest input file") {
		t.Errorf("size limit: %v", err)
	}
}

// TestMarkdownFitsOnEstate compares the 10,000-instance estate with a
// one-instance estate in its place: thousands of changes, cut to GitHub's
// comment limit with a note of what was left out.
func TestMarkdownFitsOnEstate(t *testing.T) {
	if testing.Short() {
		t.Skip("analyses a 10,000-instance estate")
	}
	t.Parallel()
	head, base := t.TempDir(), t.TempDir()
	if _, err := estate.Write(head, estate.Options{Instances: 10000, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := estate.Write(base, estate.Options{Instances: 1, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	overlay, err := DirOverlay([]string{head}, []string{base}, BaseLimits{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	eng, err := analyzer.NewEngine(ctx)
	if err != nil {
		t.Fatal(err)
	}
	h, err := eng.Analyze(ctx, analyzer.Request{Paths: []string{head}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := eng.Analyze(ctx, analyzer.Request{Paths: []string{head}, Overlay: overlay, Base: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Graph.Instances()) != 10000 || len(b.Graph.Instances()) != 1 {
		t.Fatalf("instances: head %d, base %d", len(h.Graph.Instances()), len(b.Graph.Instances()))
	}
	d, err := Compare(b, h, Options{BaseLabel: "main", HeadLabel: "estate"})
	if err != nil {
		t.Fatal(err)
	}
	c := d.Count()
	if c.Opened < 100 || c.New < 100 {
		t.Fatalf("expected thousands of changes: %+v", c)
	}
	var buf bytes.Buffer
	Markdown(&buf, d, WriteOptions{})
	md := buf.String()
	if n := len([]rune(md)); n > GitHubCommentLimit {
		t.Errorf("Markdown is %d characters, over %d", n, GitHubCommentLimit)
	}
	if len(md) < GitHubCommentLimit/2 {
		t.Errorf("Markdown is only %d bytes: the cut wastes the room", len(md))
	}
	if !strings.Contains(md, "Cut to fit GitHub's 65,536-character comment limit.** Not shown: ") || !strings.Contains(md, "exposure changes") {
		t.Errorf("no note of what was cut:\n%s", md[len(md)-min(len(md), 2000):])
	}
	if strings.Count(md, "<details") != strings.Count(md, "</details>") {
		t.Errorf("unbalanced <details>: %d opened, %d closed", strings.Count(md, "<details"), strings.Count(md, "</details>"))
	}
	// A smaller limit is honoured as well.
	buf.Reset()
	Markdown(&buf, d, WriteOptions{MaxMarkdown: 8000})
	if buf.Len() > 8000 || !strings.Contains(buf.String(), "Cut to fit") {
		t.Errorf("limit 8000: %d bytes", buf.Len())
	}
}
