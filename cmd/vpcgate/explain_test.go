package main

import (
	"encoding/json"
	"testing"
)

// TestExplainGolden: explain on the examples and fixtures, text and JSON.
// A reachable path shows each hop's file:line; a blocked one lists every
// setting that blocks it (public address, route, network ACL inbound and
// reply, security groups, listener), each with its node, file:line and
// what would change it.
func TestExplainGolden(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, resource, port, path string }{
		{"terraform-basic-app-22", "aws_instance.app", "22", "../../examples/terraform/basic"},
		{"terraform-production-db-3306", "aws_db_instance.prod", "3306", "../../examples/terraform/production"},
		{"terraform-production-staging-22", "aws_instance.staging", "22", "../../examples/terraform/production"},
		{"terraform-production-lb-8080", "aws_lb.app", "8080", "../../examples/terraform/production"},
		{"cloudformation-basic-db-3306", "Database", "3306", "../../examples/cloudformation/basic.yaml"},
		{"cloudformation-production-asg-22", "AppGroup", "22", "../../examples/cloudformation/production.yaml"},
		{"describe-production-bastion-22", "bastion", "22", fixtures + "/production"},
		{"describe-production-db-3306", "prod-db", "3306", fixtures + "/production"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			for _, format := range []string{"text", "json"} {
				out, stderr, code := runCLI(t, "explain", "--resource", c.resource, "--port", c.port, "--format", format, c.path)
				if code != 0 {
					t.Fatalf("explain %s: exit %d: %s", format, code, stderr)
				}
				if format == "json" {
					var v struct {
						Reachable bool `json:"reachable"`
						Path      []struct {
							Location string `json:"location"`
						} `json:"path"`
						Blockers []struct {
							Code, Node, Fix, Location string
						} `json:"blockers"`
					}
					if err := json.Unmarshal([]byte(out), &v); err != nil {
						t.Fatal(err)
					}
					if !v.Reachable && len(v.Blockers) == 0 {
						t.Error("blocked without blockers")
					}
					for _, b := range v.Blockers {
						if b.Fix == "" || b.Location == "" {
							t.Errorf("blocker %s at %s without a fix or a location", b.Code, b.Node)
						}
					}
					if v.Reachable && (len(v.Path) < 2 || v.Path[len(v.Path)-1].Location == "") {
						t.Errorf("reachable path without locations: %+v", v.Path)
					}
					checkGolden(t, "explain/"+c.name+".json", out)
				} else {
					checkGolden(t, "explain/"+c.name+".txt", out)
				}
			}
		})
	}
}
