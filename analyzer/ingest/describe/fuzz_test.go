package describe

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzRead feeds arbitrary bytes to Detect and Read: neither may panic,
// every diagnostic must name the file, and every position must lie in the
// input with lines and columns that agree with the byte offsets.
func FuzzRead(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join(unitDir, "*.json"))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"", "{}", "[]", "null", `{"Vpcs": null}`, `{"Vpcs": [null]}`, `{"Vpcs": {}}`,
		`{"Vpcs": [{"VpcId": "vpc-1"}, {"VpcId": "vp`, `{"Reservations": [{"Instances": [{"InstanceId": "i-1", "NetworkInterfaces": [{}]}]}]}`,
		`{"Reservations": [1, {"Instances": 2}]}`, `{"SecurityGroups": [{"GroupId": "sg-1", "IpPermissions": [{"FromPort": "x"}]}]}`,
		`{"TargetGroupArn": 5, "TargetHealthDescriptions": [{}]}`, `{"NatGateways": [{"CreateTime": {}}]}`,
		`{"Vpcs": [{"VpcId": "vpc-1", "Tags": [{"Key": "Name", "Value": "\"NetworkInterfaces\": ["}]}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		Detect(data)
		const path = "fuzz/123456789012/us-east-1/input.json"
		g := Read(context.Background(), []File{{Path: path, Data: data}}, Options{})
		for _, d := range g.Diagnostics {
			if strings.Contains(d.Summary, "internal error") {
				t.Fatalf("converter panicked: %s: %s", d.Error(), d.Detail)
			}
			if d.Range.File != path {
				t.Fatalf("diagnostic %q does not name the file", d.Error())
			}
			checkRange(t, data, d.Range)
		}
		for _, n := range g.Nodes() {
			checkRange(t, data, n.Meta().Source.Range)
			for _, r := range n.Meta().Attrs {
				checkRange(t, data, r)
			}
		}
	})
}
