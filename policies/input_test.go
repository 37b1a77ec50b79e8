package policies

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/internal/golden"
)

func TestInputDocumentGolden(t *testing.T) {
	t.Parallel()
	doc, err := InputDocument(threeTier(0))
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", "input.golden.json")
	golden.Check(t, path, got)
	if t.Failed() {
		t.Log("the policy input document changed: if intended, say so in README.md (bump InputVersion when a field is renamed or removed)")
	}
}

func TestInputDocumentDerived(t *testing.T) {
	t.Parallel()
	g := threeTier(0)
	g.Add(&graph.NetworkInterface{Base: graph.Base{ID: "eni-app", Kind: graph.KindNetworkInterface}, SubnetID: "subnet-pub-a", InstanceID: "i-app", SecurityGroups: []string{"sg-app"}})
	g.Facts.Nodes["eni-app"] = &graph.NodeFacts{InternetReachable: g.Facts.Nodes["i-app"].InternetReachable}
	doc, err := InputDocument(g)
	if err != nil {
		t.Fatal(err)
	}
	res := doc["resources"].(map[string]any)
	get := func(kind, id string) map[string]any {
		t.Helper()
		n, ok := res[kind].(map[string]any)[id].(map[string]any)
		if !ok {
			t.Fatalf("no %s %s in the input", kind, id)
		}
		return n
	}
	derived := func(kind, id string) map[string]any { return get(kind, id)["derived"].(map[string]any) }

	if got := doc["tiers"].(map[string]any)["eni-app"]; got != "app" {
		t.Errorf("interface tier %v, want its instance's (app)", got)
	}
	if got := doc["kinds"].(map[string]any)["db-1"]; got != "db_instance" {
		t.Errorf("kinds[db-1] = %v", got)
	}
	if diff := cmp.Diff([]any{"subnet-app-a", "subnet-app-b"}, derived("db_instance", "db-1")["subnets"]); diff != "" {
		t.Errorf("database subnets through its subnet group (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]any{"us-east-1a", "us-east-1b"}, derived("load_balancer", "alb")["azs"]); diff != "" {
		t.Errorf("load balancer zones (-want +got):\n%s", diff)
	}
	if got := derived("instance", "i-app")["vpc"]; got != "vpc-1" {
		t.Errorf("instance vpc %v", got)
	}
	sg := derived("security_group", "sg-app")
	if diff := cmp.Diff([]any{"eni-app", "i-app", "i-app2"}, sg["used_by"]); diff != "" {
		t.Errorf("used_by (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]any{"app": []any{"eni-app", "i-app", "i-app2"}}, sg["used_by_tier"]); diff != "" {
		t.Errorf("used_by_tier (-want +got):\n%s", diff)
	}
	hosts := derived("subnet", "subnet-pub-a")["hosts"]
	if diff := cmp.Diff([]any{"alb", "eni-app", "i-app", "nat-a"}, hosts); diff != "" {
		t.Errorf("hosts (-want +got):\n%s", diff)
	}
	if got := derived("network_interface", "eni-app")["internet_reachable"]; len(got.([]any)) != 0 {
		t.Errorf("attached interface repeats its instance's exposures: %v", got)
	}
	if got := get("vpc", "vpc-1")["ipv6_cidr_blocks"]; got == nil {
		t.Error("nil slice left out instead of []")
	}
	if got := get("instance", "i-app")["associate_public_ip"]; got != nil {
		t.Errorf("nil pointer = %v, want null", got)
	}
	if doc["version"] != InputVersion {
		t.Errorf("version %v", doc["version"])
	}
}
