package report

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/internal/golden"
	"github.com/vpcgate/vpcgate/policies"
)

func rng(file string, line, col, endLine, endCol int) graph.Range {
	return graph.Range{File: file, Start: graph.Pos{Line: line, Column: col}, End: graph.Pos{Line: endLine, Column: endCol}}
}

// sample is a scan with one of everything: findings of each severity, with
// and without positions, suppressed inline and by config, undetermined, and
// diagnostics.
func sample() *Scan {
	rules := []policies.Rule{
		{ID: "admin-ports-open-to-world", Title: "Admin and database ports closed to the world", Description: "No rule admits 22 from 0.0.0.0/0.", Severity: policies.SeverityCritical, Remediation: "Admit from a security group.", Category: "firewall", RelatedResources: []policies.RelatedResource{{URL: "https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html", Description: "Security Hub EC2.13"}}, Builtin: true},
		{ID: "idle-eip", Title: "No idle Elastic IPs", Description: "Every EIP is associated.", Severity: policies.SeverityLow, Remediation: "Release it.", Category: "cost", Builtin: true},
		{ID: "private-app-tier", Title: "App tier is private", Description: "App tier in private subnets.", Severity: policies.SeverityHigh, Remediation: "Move it.", Category: "network", Builtin: true},
		{ID: "rds-multi-az", Title: "Databases span two or more availability zones", Description: "Multi-AZ.", Severity: policies.SeverityMedium, Remediation: "Enable Multi-AZ.", Category: "database", Builtin: true},
		{ID: "only-lb-public", Title: "Only load balancers, the bastion and NAT face the internet", Description: "Nothing else is reachable from the internet.", Severity: policies.SeverityHigh, Remediation: "Make it private.", Category: "network", Builtin: true},
	}
	// The reachability path of an exposure, hop by hop (the internet has
	// no position).
	path := []policies.Related{
		{ID: "internet", Kind: "internet", Role: "from 0.0.0.0/0"},
		{ID: "aws_internet_gateway.main", Kind: graph.KindInternetGateway, Role: "attached to aws_vpc.main", Range: rng("infra/network.tf", 40, 1, 43, 2)},
		{ID: "aws_route_table.public", Kind: graph.KindRouteTable, Role: "route 1 (0.0.0.0/0 → aws_internet_gateway.main) sends replies back", Range: rng("infra/network.tf", 47, 3, 50, 4)},
		{ID: "aws_security_group.db", Kind: graph.KindSecurityGroup, Role: "inbound rule 0 allows tcp 3306 from 0.0.0.0/0", Range: rng("infra/db [prod].tf", 17, 5, 17, 32)},
		{ID: "aws_db_instance.db", Kind: graph.KindDBInstance, Role: "mysql database listening on 3306", Range: rng("infra/db [prod].tf", 1, 1, 15, 2)},
	}
	sg := rng("infra/network.tf", 12, 3, 18, 4)
	return &Scan{
		Inputs: []Input{{Path: "infra", Form: graph.FormTerraform}, {Path: "live.json", Form: graph.FormDescribe}},
		Rules:  rules,
		Findings: []policies.Finding{
			{RuleID: "admin-ports-open-to-world", Title: rules[0].Title, Severity: policies.SeverityCritical, Message: "security group app admits tcp port 22 from 0.0.0.0/0 | everything", Detail: "Admit from a security group.",
				Resource: policies.Resource{ID: "aws_security_group.app", Kind: graph.KindSecurityGroup}, Subject: sg, Context: rng("infra/network.tf", 10, 1, 30, 2),
				Related:     []policies.Related{{ID: "aws_instance.app", Kind: graph.KindInstance, Role: "uses the group", Range: rng("infra/compute.tf", 1, 1, 9, 2)}, {ID: "i-live", Kind: graph.KindInstance, Role: "uses the group"}},
				Fingerprint: "0123456789abcdef0123456789abcdef"},
			{RuleID: "private-app-tier", Title: rules[2].Title, Severity: policies.SeverityHigh, Message: "app-tier instance aws_instance.app sits in public subnet aws_subnet.public",
				Resource: policies.Resource{ID: "aws_instance.app", Kind: graph.KindInstance}, Subject: rng("infra/compute.tf", 4, 3, 4, 40), Context: rng("infra/compute.tf", 1, 1, 9, 2),
				Suppressed: true, Suppression: &policies.Suppression{Reason: "legacy host, removal in OPS-7", Source: "inline"}, Fingerprint: "11111111111111111111111111111111"},
			{RuleID: "rds-multi-az", Title: rules[3].Title, Severity: policies.SeverityMedium, Message: "RDS instance db: multi_az is not known statically",
				Resource: policies.Resource{ID: "aws_db_instance.db", Kind: graph.KindDBInstance}, Subject: rng("infra/db.tf", 7, 3, 7, 30), Undetermined: true, Fingerprint: "22222222222222222222222222222222"},
			{RuleID: "rds-multi-az", Title: rules[3].Title, Severity: policies.SeverityMedium, Message: "RDS instance prod-db is single-AZ (in us-east-1a)",
				Resource: policies.Resource{ID: "prod-db", Kind: graph.KindDBInstance}, Subject: rng("live.json", 40, 13, 40, 30), Fingerprint: "33333333333333333333333333333333"},
			{RuleID: "only-lb-public", Title: rules[4].Title, Severity: policies.SeverityHigh, Message: "db instance aws_db_instance.db is reachable from the internet on tcp port 3306 (tier data)",
				Resource: policies.Resource{ID: "aws_db_instance.db", Kind: graph.KindDBInstance}, Subject: rng("infra/db [prod].tf", 17, 5, 17, 32), Context: rng("infra/db [prod].tf", 1, 1, 15, 2),
				Related: path[1:], Path: path, Fingerprint: "55555555555555555555555555555555"},
			{RuleID: "idle-eip", Title: rules[1].Title, Severity: policies.SeverityLow, Message: "Elastic IP eipalloc-1 (198.51.100.1) is not associated",
				Resource: policies.Resource{ID: "eipalloc-1", Kind: graph.KindEIP}, Suppressed: true, Suppression: &policies.Suppression{Reason: "reserved for DR", Source: "config"}, Fingerprint: "44444444444444444444444444444444"},
		},
		Diagnostics: []graph.Diagnostic{
			{Severity: graph.SeverityWarning, Summary: "suppression of rds-private on sg-* expired on 2026-05-31 and no longer applies", Detail: "reason given: migration", Range: rng(".vpcgate.yaml", 4, 5, 4, 6)},
			{Severity: graph.SeverityError, Summary: "unexpected token", Range: rng("infra/bad.tf", 3, 1, 3, 2)},
		},
	}
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	golden.Check(t, path, got)
}

func TestFormatsGolden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		format, golden string
		opts           Options
	}{
		{"text", "scan.txt", Options{}},
		{"text", "scan.color.txt", Options{Color: true}},
		{"json", "scan.json", Options{}},
		{"sarif", "scan.sarif", Options{ToolVersion: "v0.1.0", Root: "/repo", BaseDir: "/repo"}},
		{"junit", "scan.junit.xml", Options{}},
		{"gitlab", "scan.gitlab.json", Options{Root: "/repo", BaseDir: "/repo/deploy"}},
		{"markdown", "scan.md", Options{}},
	}
	for _, tc := range tests {
		t.Run(tc.golden, func(t *testing.T) {
			t.Parallel()
			var a, b bytes.Buffer
			if err := Write(&a, tc.format, sample(), tc.opts); err != nil {
				t.Fatal(err)
			}
			if err := Write(&b, tc.format, sample(), tc.opts); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Error("two runs differ")
			}
			checkGolden(t, tc.golden, a.Bytes())
			if !tc.opts.Color && bytes.Contains(a.Bytes(), []byte("\x1b[")) {
				t.Error("colour codes without Color")
			}
		})
	}
}

func TestEmptyScan(t *testing.T) {
	t.Parallel()
	for _, format := range Formats() {
		var buf bytes.Buffer
		if err := Write(&buf, format, &Scan{}, Options{}); err != nil {
			t.Errorf("%s: %v", format, err)
		}
		if format == "json" && !strings.Contains(buf.String(), `"findings": []`) {
			t.Errorf("json lists must not be null:\n%s", buf.String())
		}
		if format == "text" && buf.String() != "No findings; 0 rules evaluated\n" {
			t.Errorf("text: %q", buf.String())
		}
	}
	if err := Write(&bytes.Buffer{}, "yaml", &Scan{}, Options{}); err == nil {
		t.Error("unknown format accepted")
	}
}

func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open("testdata/sarif-schema-2.1.0.json")
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

func TestSARIFValidatesAgainstSchema(t *testing.T) {
	t.Parallel()
	schema := sarifSchema(t)
	for name, s := range map[string]*Scan{"sample": sample(), "empty": {}} {
		var buf bytes.Buffer
		if err := SARIF(&buf, s, Options{BaseDir: "/repo"}); err != nil {
			t.Fatal(err)
		}
		inst, err := jsonschema.UnmarshalJSON(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if err := schema.Validate(inst); err != nil {
			t.Errorf("%s: SARIF output does not validate: %v", name, err)
		}
	}
	// The validator must be able to fail: a result without a message.
	bad, _ := jsonschema.UnmarshalJSON(strings.NewReader(`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"ruleId": "r"}]}]}`))
	if err := schema.Validate(bad); err == nil {
		t.Error("schema accepted a result without a message")
	}
}

func TestSummarize(t *testing.T) {
	t.Parallel()
	sum := Summarize(sample().Findings)
	want := Summary{Findings: 6, Suppressed: 2, Undetermined: 1, BySeverity: map[policies.Severity]int{"critical": 1, "high": 1, "medium": 1, "low": 0}}
	if diff := cmp.Diff(want, sum); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if sum.Active() != 3 {
		t.Errorf("active = %d", sum.Active())
	}
}
