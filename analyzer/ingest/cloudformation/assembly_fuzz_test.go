package cloudformation

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// FuzzReadCloudAssembly fuzzes a cloud assembly's manifest.json (the
// stack's template stays a small valid one): whatever the manifest says,
// reading returns a graph and diagnostics, never a panic, and never reads
// outside the assembly.
func FuzzReadCloudAssembly(f *testing.F) {
	f.Add([]byte(`{"version": "36.0.0", "artifacts": {"S": {"type": "aws:cloudformation:stack", "environment": "aws://123456789012/us-east-1", "properties": {"templateFile": "S.template.json"}}}}`))
	f.Add([]byte(`{"version": "36.0.0", "artifacts": {"A": {"type": "cdk:cloud-assembly", "properties": {"directoryName": "."}}}}`))
	f.Add([]byte(`{"artifacts": {"S": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "../../etc/passwd"}, "dependencies": ["S", "T"]}, "T": {"type": "aws:cloudformation:stack", "dependencies": ["S"], "properties": {"templateFile": "S.template.json", "parameters": {"P": 1}}}}}`))
	f.Add([]byte(`{"artifacts": {"S": {"type": "aws:cloudformation:stack", "environment": "aws://unknown-account/unknown-region", "metadata": {"/S/V/Resource": [{"type": "aws:cdk:logicalId", "data": "V"}]}, "properties": {"templateFile": "S.template.json"}}}}`))
	dir := filepath.Join(f.TempDir(), "cdk.out")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		f.Fatal(err)
	}
	template := `{"Resources": {"V": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}}, "S": {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": {"Ref": "V"}, "CidrBlock": "10.0.0.0/24"}}}}`
	if err := os.WriteFile(filepath.Join(dir, "S.template.json"), []byte(template), 0o644); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, manifest []byte) {
		if err := os.WriteFile(filepath.Join(dir, "manifest.json"), manifest, 0o644); err != nil {
			t.Fatal(err)
		}
		g := ReadCloudAssembly(context.Background(), dir, Options{})
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
