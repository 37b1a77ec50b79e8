package hostile_test

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/vpcgate/vpcgate/analyzer/config"
	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/analyzer/ingest/cloudformation"
	"github.com/vpcgate/vpcgate/analyzer/ingest/describe"
	"github.com/vpcgate/vpcgate/analyzer/ingest/terraform"
	"github.com/vpcgate/vpcgate/cost"
	"github.com/vpcgate/vpcgate/cost/prices"
	"github.com/vpcgate/vpcgate/cost/simulate"
	"github.com/vpcgate/vpcgate/internal/hostile"
	"github.com/vpcgate/vpcgate/policies"
)

// deep is the nesting every parser is fed: far past any limit, and deep
// enough to overflow a recursive parser's stack.
const deep = 100_000

func jsonDeep() string { return strings.Repeat("[", deep) + strings.Repeat("]", deep) }

// located matches "FILE:LINE" in a message.
func located(msg, file string) bool {
	return regexp.MustCompile(regexp.QuoteMeta(file) + `:\d+`).MatchString(msg)
}

// graphError returns the error diagnostic of g in file, or fails.
func graphError(t *testing.T, g *graph.Graph, file string) graph.Diagnostic {
	t.Helper()
	for _, d := range g.Diagnostics {
		if d.Severity == graph.SeverityError && strings.HasSuffix(d.Range.File, file) {
			if d.Range.Start.Line == 0 {
				t.Errorf("%s: error without a line: %s", file, d.Summary)
			}
			if !strings.Contains(d.Summary+d.Detail, "Limits.MaxDepth") && !strings.Contains(d.Summary+d.Detail, "nest") {
				t.Errorf("%s: error does not say what went too deep: %s %s", file, d.Summary, d.Detail)
			}
			return d
		}
	}
	t.Fatalf("no error diagnostic in %s: %v", file, g.Diagnostics)
	return graph.Diagnostic{}
}

// parseError checks that a parser's error names the file and a line.
func parseError(t *testing.T, err error, file string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: no error for %d-deep nesting", file, deep)
	}
	if !located(err.Error(), file) {
		t.Errorf("%s: error not located: %.300s", file, err)
	}
	if len(err.Error()) > 1000 {
		t.Errorf("%s: %d-byte message", file, len(err.Error()))
	}
}

// Every parser vpcgate calls on user bytes is fed a 100,000-deep nesting:
// each ends in a located error, none overflows its stack (which would end
// this test binary, not fail a test).
func TestEveryParserDeepNesting(t *testing.T) {
	ctx := context.Background()
	hclDeep := "deep = " + strings.Repeat("[", deep) + strings.Repeat("]", deep) + "\n"
	yamlFlow := "a:\n  b: " + jsonDeep() + "\n"
	yamlBlock := func() string {
		var b strings.Builder
		b.WriteString("a:\n")
		for i := range 1000 {
			b.WriteString(strings.Repeat(" ", i+1) + "k:\n")
		}
		return b.String()
	}()

	t.Run("tf", func(t *testing.T) {
		dir := t.TempDir()
		hostile.Write(t, dir, "main.tf", hostile.GoodTF(t))
		hostile.Write(t, dir, "deep.tf", []byte("locals {\n  "+hclDeep+"}\n"))
		graphError(t, terraform.LoadModule(ctx, dir, terraform.Options{}), "deep.tf")
	})
	for _, name := range []string{"terraform.tfvars", "x.auto.tfvars", "terraform.tfvars.json", "extra.tfvars"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			hostile.Write(t, dir, "main.tf", append(hostile.GoodTF(t), "\nvariable \"deep\" {\n  default = null\n}\n"...))
			data := hclDeep
			if strings.HasSuffix(name, ".json") {
				data = `{"deep": ` + jsonDeep() + "}\n"
			}
			p := hostile.Write(t, dir, name, []byte("\n"+data))
			opts := terraform.Options{}
			if name == "extra.tfvars" {
				opts.VarFiles = []string{p}
			}
			graphError(t, terraform.LoadModule(ctx, dir, opts), name)
		})
	}
	t.Run("modules.json", func(t *testing.T) {
		dir := t.TempDir()
		hostile.Write(t, dir, "main.tf", []byte("module \"m\" {\n  source = \"example/m/aws\"\n}\n"))
		hostile.Write(t, dir, ".terraform/modules/modules.json", []byte(`{"Modules": `+jsonDeep()+"}"))
		g := terraform.LoadModule(ctx, dir, terraform.Options{})
		graphError(t, g, "modules.json")
	})
	t.Run("plan", func(t *testing.T) {
		data := `{"format_version": "1.2", "planned_values": {"root_module": {"resources": [{"values": ` + jsonDeep() + `}]}}}`
		graphError(t, terraform.ReadPlan(ctx, "plan.json", []byte(data), terraform.Options{}), "plan.json")
	})
	t.Run("describe", func(t *testing.T) {
		data := "{\"Vpcs\": [\n" + jsonDeep() + "]}"
		graphError(t, describe.Read(ctx, []describe.File{{Path: "ec2-describe-vpcs.json", Data: []byte(data)}}, describe.Options{}), "ec2-describe-vpcs.json")
	})
	for _, c := range []struct{ name, data string }{
		{"template.json", `{"Resources": {"V": {"Type": "AWS::EC2::VPC", "Properties": {"Tags": ` + jsonDeep() + `}}}}`},
		{"template.yaml", "Resources:\n  V:\n    Type: AWS::EC2::VPC\n    Properties:\n      Tags: " + jsonDeep() + "\n"},
		{"block.yaml", "Resources:\n  V:\n    Type: AWS::EC2::VPC\n    Properties:\n      Tags:\n" + yamlBlock},
	} {
		t.Run(c.name, func(t *testing.T) {
			graphError(t, cloudformation.ReadTemplate(ctx, c.name, []byte(c.data), cloudformation.Options{}), c.name)
		})
	}
	t.Run("parameter file", func(t *testing.T) {
		dir := t.TempDir()
		p := hostile.Write(t, dir, "params.json", []byte(`{"Parameters": `+jsonDeep()+"}"))
		g := cloudformation.ReadTemplate(ctx, filepath.Join(dir, "t.yaml"), []byte("Resources:\n  V:\n    Type: AWS::EC2::VPC\n"), cloudformation.Options{ParameterFiles: []string{p}})
		graphError(t, g, "params.json")
	})
	for _, name := range []string{"manifest.json", "Stack.template.json"} {
		t.Run("cdk.out/"+name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "cdk.out")
			manifest := `{"version": "36.0.0", "artifacts": {"Stack": {"type": "aws:cloudformation:stack", "environment": "aws://123456789012/us-east-1", "properties": {"templateFile": "Stack.template.json"}}}}`
			template := `{"Resources": {"V": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}}}}`
			files := map[string]string{"manifest.json": manifest, "Stack.template.json": template, "Stack.assets.json": `{"version": "36.0.0"}`}
			files[name] = `{"version": "36.0.0", "x": ` + jsonDeep() + "}"
			for f, data := range files {
				hostile.Write(t, dir, f, []byte(data))
			}
			graphError(t, cloudformation.ReadCloudAssembly(ctx, dir, cloudformation.Options{}), name)
		})
	}
	for _, c := range []struct{ name, data string }{{"flow", yamlFlow}, {"block", yamlBlock}} {
		t.Run(".vpcgate.yaml/"+c.name, func(t *testing.T) {
			_, diags := config.Parse(".vpcgate.yaml", []byte(c.data))
			g := graph.New()
			g.Diagnostics = diags
			graphError(t, g, ".vpcgate.yaml")
		})
		t.Run("usage/"+c.name, func(t *testing.T) {
			_, err := cost.ParseUsage(strings.NewReader(c.data), "usage.yaml")
			parseError(t, err, "usage.yaml")
		})
		t.Run("scenario/"+c.name, func(t *testing.T) {
			_, err := simulate.ParseScenario(strings.NewReader("version: \"1\"\n"+c.data), "scenario.yaml")
			parseError(t, err, "scenario.yaml")
		})
		t.Run("prices override/"+c.name, func(t *testing.T) {
			_, err := prices.ParseOverride(strings.NewReader(c.data), "prices.yaml")
			parseError(t, err, "prices.yaml")
		})
	}
	t.Run("prices catalog", func(t *testing.T) {
		_, err := prices.Parse(strings.NewReader(`{"version": "1", "entries": ` + jsonDeep() + "}"))
		if err == nil {
			t.Fatal("no error")
		}
	})
	t.Run("prices offer", func(t *testing.T) {
		im := prices.NewImporter(prices.ImportOptions{})
		// Offer files are AWS's (gigabytes): streamed and located by offset.
		for _, data := range []string{`{"products": ` + jsonDeep() + "}", `{"products": {"SKU": {"attributes": ` + jsonDeep() + "}}}"} {
			err := im.ReadOffer(strings.NewReader(data), "offer.json")
			if err == nil || !regexp.MustCompile(`offer\.json.*offset \d+`).MatchString(err.Error()) || len(err.Error()) > 1000 {
				t.Errorf("offer: %.300v", err)
			}
		}
	})
	t.Run("baseline", func(t *testing.T) {
		_, err := policies.ReadBaseline(strings.NewReader(`{"version": 1, "findings": ` + jsonDeep() + "}"))
		if err == nil || !strings.Contains(err.Error(), "line") && !regexp.MustCompile(`:\d+`).MatchString(err.Error()) {
			t.Fatalf("baseline: %v", err)
		}
	})
	t.Run("rego", func(t *testing.T) {
		dir := t.TempDir()
		src := "package vpcgate.custom.deep\n\nx := " + jsonDeep() + "\n"
		hostile.Write(t, dir, "deep.rego", []byte(src))
		_, err := policies.New(ctx, policies.WithPolicyDir(dir))
		parseError(t, err, "deep.rego")
	})
}
