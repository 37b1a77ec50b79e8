package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSimulateInstanceTypeAndCompare: a describe dump without launch
// template versions leaves the type to the instances the group reports,
// else asks for --instance-type; --compare runs both configurations.
func TestSimulateInstanceTypeAndCompare(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, body string) string {
		d := filepath.Join(dir, name)
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, "autoscaling-describe-auto-scaling-groups.json"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return d
	}
	bare := write("bare", `{"AutoScalingGroups": [{"AutoScalingGroupName": "web", "MinSize": 1, "MaxSize": 3, "DesiredCapacity": 1,
		"LaunchTemplate": {"LaunchTemplateId": "lt-0123456789abcdef0", "Version": "$Latest"}}]}`)
	reported := write("reported", `{"AutoScalingGroups": [{"AutoScalingGroupName": "web", "MinSize": 1, "MaxSize": 3, "DesiredCapacity": 1, "AvailabilityZones": ["eu-west-1a"],
		"LaunchTemplate": {"LaunchTemplateId": "lt-0123456789abcdef0", "Version": "$Latest"},
		"Instances": [{"InstanceId": "i-0123456789abcdef0", "InstanceType": "c5.large", "AvailabilityZone": "eu-west-1a", "LifecycleState": "InService", "HealthStatus": "Healthy"}]}]}`)

	_, errOut, code := runCLI(t, "simulate", bare)
	if code != exitUsage || !strings.Contains(errOut, "states no instance type") || !strings.Contains(errOut, "--instance-type") {
		t.Errorf("no type: exit %d: %s", code, errOut)
	}
	out, errOut, code := runCLI(t, "simulate", "--instance-type", "t3.small", bare)
	if code != 0 || !strings.Contains(out, "× t3.small") {
		t.Errorf("--instance-type: exit %d: %s%s", code, out, errOut)
	}
	out, errOut, code = runCLI(t, "simulate", "--format", "json", reported)
	if code != 0 || !strings.Contains(out, `"instance_type": "c5.large"`) || !strings.Contains(out, "the instances the group reports") || !strings.Contains(out, `"region": "eu-west-1"`) {
		t.Errorf("reported: exit %d: %s%s", code, out[:min(len(out), 800)], errOut)
	}

	prod := filepath.Join("..", "..", "testdata", "describe", "production")
	svg := filepath.Join(dir, "cmp.svg")
	out, errOut, code = runCLI(t, "simulate", "--compare", "--plot", svg, prod)
	if code != 0 || !strings.Contains(out, "RECOMMENDED") || !strings.Contains(out, "79330 of 80000") {
		t.Fatalf("--compare: exit %d: %s%s", code, out, errOut)
	}
	if b, err := os.ReadFile(svg); err != nil || !strings.Contains(string(b), "capacity, recommended") {
		t.Errorf("comparison plot: %v", err)
	}
	out, _, code = runCLI(t, "simulate", "--compare", "--format", "json", prod)
	var doc map[string]json.RawMessage
	if code != 0 || json.Unmarshal([]byte(out), &doc) != nil || doc["current"] == nil || doc["alternative"] == nil {
		t.Errorf("--compare json: exit %d", code)
	}
	scen := filepath.Join(dir, "bigger.yaml")
	if err := os.WriteFile(scen, []byte("version: \"1\"\nname: bigger\nduration: 60\nload: {baseline_rps: 1}\ngroup: {min: 10, max: 20, desired: 10}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code = runCLI(t, "simulate", "--compare", "--compare-scenario", scen, "--format", "csv", prod)
	if code != 0 || !strings.HasPrefix(out, "t,current_offered_rps,") || strings.Count(out, "\n") != 3601 {
		t.Errorf("--compare-scenario csv: exit %d, %d lines: %s", code, strings.Count(out, "\n"), errOut)
	}
	if _, _, code := runCLI(t, "simulate", "--compare-scenario", scen, prod); code != exitUsage {
		t.Errorf("--compare-scenario without --compare: exit %d", code)
	}
}
