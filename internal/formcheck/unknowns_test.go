package formcheck

import (
	"context"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/vpcgate/vpcgate/analyzer"
	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/policies"
)

// TestOutsideGroupRules reads standalone ingress rules whose group is not
// part of the input (a variable, a data source, a literal sg-… id,
// Fn::ImportValue, a parameter) from Terraform and CloudFormation. AWS: a
// rule belongs to one group, named by id; it opens what it opens whatever
// declares the group. So each rule is a node, a rule opening an admin or
// database port to the world is a finding on the rule saying the group is
// not known, and a rule whose source is a group reference with an unknown
// id is a group reference, never "open to the internet".
func TestOutsideGroupRules(t *testing.T) {
	eng, err := policies.New(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		form, path string
		// rule names → the group reference each names.
		nodes    map[string]string
		findings []string // rule names with an admin-ports finding
	}{
		{
			form: "terraform", path: "testdata/unknowns/terraform",
			nodes: map[string]string{
				"aws_security_group_rule.ssh_world":             "var.shared_sg_id",
				"aws_vpc_security_group_ingress_rule.rdp_world": "data.aws_security_group.shared.id",
				"aws_security_group_rule.pg_world":              "sg-0123456789abcdef0",
				"aws_security_group_rule.ssh_from_group":        "var.shared_sg_id",
			},
			findings: []string{"aws_security_group_rule.pg_world", "aws_security_group_rule.ssh_world", "aws_vpc_security_group_ingress_rule.rdp_world"},
		},
		{
			form: "cloudformation", path: "testdata/unknowns/cloudformation/template.yaml",
			nodes: map[string]string{
				"SshWorld":     "imported from another stack (export network-SharedGroup)",
				"RdpWorld":     "parameter SharedGroup has no value",
				"PgWorld":      "sg-0123456789abcdef0",
				"SshFromGroup": "parameter SharedGroup has no value",
			},
			findings: []string{"PgWorld", "RdpWorld", "SshWorld"},
		},
	} {
		t.Run(tc.form, func(t *testing.T) {
			path, _ := filepath.Abs(tc.path)
			res, err := analyzer.Analyze(context.Background(), analyzer.Options{Paths: []string{path}})
			if err != nil {
				t.Fatal(err)
			}
			byAddr := map[string]*graph.SecurityGroup{}
			for _, n := range res.Graph.Of(graph.KindSecurityGroup) {
				sg := n.(*graph.SecurityGroup)
				byAddr[sg.Source.Address] = sg
			}
			for addr, ref := range tc.nodes {
				sg := byAddr[addr]
				if sg == nil {
					t.Errorf("rule %s is not a node", addr)
					continue
				}
				if sg.OutsideGroup != ref {
					t.Errorf("%s: outside group %q, want %q", addr, sg.OutsideGroup, ref)
				}
				if len(sg.Ingress) != 1 || sg.Source.Range.Start.Line == 0 {
					t.Errorf("%s: want one ingress rule and the rule's location, got %+v at %v", addr, sg.Ingress, sg.Source.Range)
				}
			}
			if r := byAddr[firstKey(tc.nodes, "from_group", "FromGroup")]; r != nil && len(r.Ingress) == 1 {
				if in := r.Ingress[0]; in.PeerKind != graph.PeerSG || !in.Unknown {
					t.Errorf("a source group of unknown id is read as %s %q (unknown=%v), want an unknown group reference", in.PeerKind, in.Peer, in.Unknown)
				}
			}
			fs, err := eng.Evaluate(context.Background(), res.Graph)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range fs {
				if f.RuleID != "admin-ports-open-to-world" {
					continue
				}
				addr := res.Graph.Node(f.Resource.ID).Meta().Source.Address
				if f.Undetermined {
					t.Errorf("%s: undetermined although the rule is known: %s", addr, f.Message)
				}
				if !strings.Contains(f.Message, "is not part of the input") || !strings.Contains(f.Message, tc.nodes[addr]) {
					t.Errorf("%s: the message does not say the group is not known: %s", addr, f.Message)
				}
				got = append(got, addr)
			}
			sort.Strings(got)
			if strings.Join(got, " ") != strings.Join(tc.findings, " ") {
				t.Errorf("admin-ports findings on %v, want %v", got, tc.findings)
			}
		})
	}
}

func firstKey(m map[string]string, subs ...string) string {
	for k := range m {
		for _, s := range subs {
			if strings.Contains(k, s) {
				return k
			}
		}
	}
	return ""
}

// TestEIPAssociation reads Elastic IPs from each form. AWS: an address is
// in use when associated with an instance or a network interface, or taken
// by a NAT gateway or a network load balancer's subnet mapping
// (subnet_mapping.allocation_id, SubnetMappings AllocationId,
// LoadBalancerAddresses). An address whose association is not known (an
// instance known only at apply, an address handed to a resource or module
// vpcgate does not model, an association naming an unknown address) is
// undetermined with the reason, never idle.
func TestEIPAssociation(t *testing.T) {
	eng, err := policies.New(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		form, path string
		// address → "" (no finding), "idle", or a part of the undetermined
		// message's reason.
		want map[string]string
	}{
		{"terraform", "testdata/unknowns/eip/terraform", map[string]string{
			"aws_eip.nlb":         "",
			"aws_eip.by_variable": "its instance (var.instance_id) is known only at apply",
			"aws_eip.accelerated": "aws_globalaccelerator_endpoint_group.g, a resource vpcgate does not model, is given its id",
			"aws_eip.moduled":     "module bastion, which is not read, is given its id",
			"aws_eip.idle":        "idle",
		}},
		{"terraform association", "testdata/unknowns/eip/terraform-assoc", map[string]string{
			"aws_eip.a": "aws_eip_association.x associates an address known only at apply (var.allocation_id)",
		}},
		{"cloudformation", "testdata/unknowns/eip/cloudformation/template.yaml", map[string]string{
			"NlbEip":      "",
			"ByImport":    "its InstanceId is not known before deployment (imported from another stack (export app-InstanceId))",
			"Accelerated": "Group (AWS::GlobalAccelerator::EndpointGroup), a resource vpcgate does not model, is given its id",
			"Idle":        "idle",
		}},
		{"describe", "testdata/unknowns/eip/describe", map[string]string{
			"eipalloc-0a000000000000001": "",
			"eipalloc-0a000000000000002": "idle",
		}},
	} {
		t.Run(tc.form, func(t *testing.T) {
			path, _ := filepath.Abs(tc.path)
			res, err := analyzer.Analyze(context.Background(), analyzer.Options{Paths: []string{path}})
			if err != nil {
				t.Fatal(err)
			}
			fs, err := eng.Evaluate(context.Background(), res.Graph)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, n := range res.Graph.Of(graph.KindEIP) {
				b := n.Meta()
				name := b.Source.Address
				if name == "" {
					name = b.ID
				}
				got[name] = ""
				for _, f := range fs {
					if f.RuleID != "idle-eip" || f.Resource.ID != b.ID {
						continue
					}
					if f.Undetermined {
						got[name] = f.Message
					} else {
						got[name] = "idle"
					}
				}
			}
			for name, want := range tc.want {
				g, ok := got[name]
				switch {
				case !ok:
					t.Errorf("%s: no Elastic IP node", name)
				case want == "" || want == "idle":
					if g != want {
						t.Errorf("%s: got %q, want %q", name, g, want)
					}
				case !strings.Contains(g, want):
					t.Errorf("%s: got %q, want an undetermined finding saying %q", name, g, want)
				}
			}
			if len(got) != len(tc.want) {
				t.Errorf("Elastic IPs %v, want %d", got, len(tc.want))
			}
		})
	}
}
