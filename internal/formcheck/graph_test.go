package formcheck_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/analyzer/ingest/cloudformation"
	"github.com/vpcgate/vpcgate/analyzer/ingest/describe"
	"github.com/vpcgate/vpcgate/analyzer/ingest/terraform"
	"github.com/vpcgate/vpcgate/analyzer/reach"
	"github.com/vpcgate/vpcgate/internal/golden"
)

const root = "../.."

// TestSameGraphAcrossForms reads each architecture of the design documents
// (basic, improved, production) from its describe dump (made on moto),
// its Terraform configuration and its CloudFormation template, derives the
// facts (reach.Derive) and compares the three graphs: the nodes of each
// kind, every attribute, the references between nodes and the derived
// facts. Ids differ between forms (vpc-… in a dump, aws_vpc.main in
// Terraform, VPC in CloudFormation), so every id is replaced by a key that
// does not depend on the form (keyOf: the Name tag, the group name, the
// VPC a default resource belongs to…) before comparing.
//
// What differs because of the form itself is listed in inherent, each
// entry with its reason; everything else must be equal.
func TestSameGraphAcrossForms(t *testing.T) {
	t.Parallel()
	for _, arch := range []string{"basic", "improved", "production"} {
		t.Run(arch, func(t *testing.T) {
			t.Parallel()
			want := canonical(t, readDescribe(t, filepath.Join(root, "testdata", "describe", arch)))
			forms := map[string]*graph.Graph{
				"terraform":      readTerraform(t, filepath.Join(root, "examples", "terraform", arch)),
				"cloudformation": readTemplate(t, filepath.Join(root, "examples", "cloudformation", arch+".yaml")),
			}
			for _, form := range []string{"terraform", "cloudformation"} {
				got := canonical(t, forms[form])
				if len(want) < 20 || len(got) < 20 {
					t.Fatalf("%s: too few lines to compare (describe %d, %s %d)", arch, len(want), form, len(got))
				}
				var diff []string
				for _, l := range lineDiff(want, got) {
					if reason := inherentReason(form, arch, l); reason == "" {
						diff = append(diff, l)
					}
				}
				if len(diff) > 0 {
					t.Errorf("%s: the %s graph differs from the describe graph (- describe, + %s):\n%s", arch, form, form, strings.Join(diff, "\n"))
				}
			}
		})
	}
}

func readDescribe(t *testing.T, dir string) *graph.Graph {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no describe files in %s: %v", dir, err)
	}
	var files []describe.File
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, describe.File{Path: p, Data: data})
	}
	return derived(t, dir, describe.Read(context.Background(), files, describe.Options{}))
}

func readTerraform(t *testing.T, dir string) *graph.Graph {
	t.Helper()
	return derived(t, dir, terraform.LoadModule(context.Background(), dir, terraform.Options{}))
}

func readTemplate(t *testing.T, path string) *graph.Graph {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return derived(t, path, cloudformation.ReadTemplate(context.Background(), path, data, cloudformation.Options{}))
}

func derived(t *testing.T, path string, g *graph.Graph) *graph.Graph {
	t.Helper()
	for _, d := range g.Diagnostics {
		if d.Severity == graph.SeverityError {
			t.Errorf("%s: %s", path, d.Error())
		}
	}
	if g.Len() == 0 {
		t.Fatalf("%s: empty graph", path)
	}
	reach.Derive(g)
	return g
}

// keyOf names a node independently of the form it was read from: its kind
// and what a reader of the architecture would call it. A VPC's default
// resources are named by their VPC; a listener by its load balancer and
// port; an Elastic IP by what it is attached to.
func keyOf(g *graph.Graph, n graph.Node) string {
	b := n.Meta()
	name := b.Tags["Name"]
	switch v := n.(type) {
	case *graph.SecurityGroup:
		if v.IsDefault() {
			return "security_group:default@" + vpcName(g, v.VPCID)
		}
		name = v.GroupName
	case *graph.NetworkACL:
		if v.IsDefault {
			return "network_acl:default@" + vpcName(g, v.VPCID)
		}
	case *graph.RouteTable:
		if v.Main {
			return "route_table:main@" + vpcName(g, v.VPCID)
		}
	case *graph.LoadBalancer:
		name = v.LBName
	case *graph.Listener:
		return fmt.Sprintf("listener:%s:%d", nodeName(g, v.LoadBalancerARN), v.Port)
	case *graph.TargetGroup:
		name = v.TargetGroupName
	case *graph.LaunchTemplate:
		name = v.TemplateName
	case *graph.PrefixList:
		name = v.PrefixListName
	case *graph.AutoScalingGroup, *graph.DBInstance, *graph.DBCluster, *graph.DBSubnetGroup:
		// Their ids are their names in describe; IaC ids are addresses,
		// their names are the identifiers the configuration gives.
		if name == "" {
			name = b.Name
		}
		for _, a := range append([]string{b.ID}, b.Aliases...) {
			if !strings.Contains(a, ".") && !strings.Contains(a, ":") && a != "" && a == strings.ToLower(a) {
				name = a
				break
			}
		}
	case *graph.EIP:
		if name == "" {
			switch {
			case v.NATGatewayID != "":
				name = "of " + nodeName(g, v.NATGatewayID)
			case v.InstanceID != "":
				name = "of " + nodeName(g, v.InstanceID)
			}
		}
	}
	if name == "" {
		name = b.Name
	}
	if name == "" {
		name = "?" + b.ID
	}
	return string(b.Kind) + ":" + name
}

func vpcName(g *graph.Graph, id string) string {
	if n := g.Node(id); n != nil {
		return keyOf(g, n)
	}
	return "?" + id
}

func nodeName(g *graph.Graph, id string) string {
	if n := g.Node(id); n != nil {
		return keyOf(g, n)
	}
	return "?" + id
}

// canonical renders g as sorted lines, every id replaced by its key:
// "node KEY field = VALUE" for each attribute (the node's JSON fields plus
// its tags), "edge FROM kind TO" for each reference, "fact …" for the
// derived facts. Arrays are sorted: their order is the order of the input.
func canonical(t *testing.T, g *graph.Graph) []string {
	t.Helper()
	keys := map[string]string{}
	for _, n := range g.Nodes() {
		keys[n.Meta().ID] = keyOf(g, n)
	}
	var out []string
	for _, n := range g.Nodes() {
		k := keys[n.Meta().ID]
		data, err := json.Marshal(n)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		// Of the fields every node has, compare the tags, the name and
		// what the input leaves unknown (ids and ranges differ by form).
		if b := n.Meta(); len(b.Tags) > 0 {
			m["tags"] = b.Tags
		}
		if b := n.Meta(); b.Name != "" {
			m[".name"] = b.Name
		}
		if b := n.Meta(); len(b.Unknown) > 0 {
			m[".unknown"] = b.Unknown
		}
		for f, v := range m {
			if v == nil {
				// A list that is null in one form and [] in another is
				// empty in both (the JSON output writes either).
				v = []any{}
			}
			out = append(out, fmt.Sprintf("node %s %s = %s", k, f, render(mapIDs(v, keys))))
		}
	}
	for _, e := range g.Edges() {
		out = append(out, fmt.Sprintf("edge %s %s %s", keys[e.From], e.Kind, idOrKey(e.To, keys)))
	}
	facts := map[string]any{}
	data, err := json.Marshal(g.Facts)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &facts); err != nil {
		t.Fatal(err)
	}
	for _, section := range []string{"subnets", "nodes"} {
		m, _ := facts[section].(map[string]any)
		for id, v := range m {
			fm, _ := v.(map[string]any)
			for f, fv := range fm {
				out = append(out, fmt.Sprintf("fact %s %s = %s", idOrKey(id, keys), f, render(mapIDs(fv, keys))))
			}
		}
	}
	for _, section := range []string{"sg_links", "lb_targets"} {
		l, _ := facts[section].([]any)
		for _, v := range l {
			out = append(out, fmt.Sprintf("fact %s %s", section, render(mapIDs(v, keys))))
		}
	}
	sort.Strings(out)
	return out
}

func idOrKey(id string, keys map[string]string) string {
	if k, ok := keys[id]; ok {
		return k
	}
	return "?" + id
}

var token = regexp.MustCompile(`[^\s,;()]+`)

// mapIDs replaces node ids in a JSON value by their keys: whole strings,
// and ids written inside a sentence (the details of a verdict).
func mapIDs(v any, keys map[string]string) any {
	switch v := v.(type) {
	case string:
		if k, ok := keys[v]; ok {
			return k
		}
		if strings.Contains(v, " ") {
			return token.ReplaceAllStringFunc(v, func(s string) string {
				if k, ok := keys[s]; ok {
					return k
				}
				return s
			})
		}
		return v
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = mapIDs(x, keys)
		}
		sort.Slice(out, func(i, j int) bool { return render(out[i]) < render(out[j]) })
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			switch k {
			case "id":
				// The id of an association or a rule (rtbassoc-…, sgr-…,
				// an IaC address) is not a node: only its presence is
				// compared.
				if s, ok := x.(string); ok {
					if _, node := keys[s]; !node {
						continue
					}
				}
			case "path":
				// Paths are compared without the network interface hops:
				// only a running estate has interfaces (see inherent).
				if hops, ok := x.([]any); ok {
					var kept []any
					for _, h := range hops {
						if hm, ok := h.(map[string]any); !ok || hm["kind"] != string(graph.KindNetworkInterface) {
							kept = append(kept, h)
						}
					}
					x = kept
				}
			case "detail":
				// A hop's or block's explanation quotes rule positions,
				// rule ids and addresses as each form has them.
				continue
			}
			out[k] = mapIDs(x, keys)
		}
		return out
	}
	return v
}

func render(v any) string {
	data, err := json.Marshal(v) // maps marshal with sorted keys
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(data)
}

// lineDiff returns the lines only in want ("- ") and only in got ("+ ").
func lineDiff(want, got []string) []string {
	in := map[string]int{}
	for _, l := range want {
		in[l]++
	}
	for _, l := range got {
		in[l]--
	}
	var out []string
	for _, l := range want {
		if in[l] > 0 {
			out = append(out, "- "+l)
			in[l]--
		}
	}
	for _, l := range got {
		if in[l] < 0 {
			out = append(out, "+ "+l)
			in[l]++
		}
	}
	return out
}

// inherent lists the differences that come from the form itself, not
// from a reader: each entry matches diff lines ("- " only in the describe
// graph, "+ " only in the IaC one) of one form ("" for both) and one
// architecture ("" for all), and says why the difference is right.
var inherent = []struct {
	form, arch string
	pattern    *regexp.Regexp
	reason     string
}{
	{"", "", regexp.MustCompile(`^- (node|fact|edge) network_interface:|^- edge \S+ \S+ network_interface:|^- node \S+ network_interfaces = `),
		"AWS creates the network interfaces of instances and NAT gateways when it launches them; a configuration declares none"},
	{"", "", regexp.MustCompile(`^- (node|edge) (prefix_list:com\.amazonaws\.|\S+ \S+ prefix_list:com\.amazonaws\.)`),
		"the AWS-managed prefix lists exist in every region and are listed by describe-managed-prefix-lists; a configuration only refers to them"},
	{"", "", regexp.MustCompile(`^- (node|edge) network_acl:default@\?vpc-`),
		"moto leaves the default network ACL of its deleted default VPC behind (testdata/describe/README.md)"},
	{"", "", regexp.MustCompile(`^[-+] node (instance|eip):\S+ (public_ip|private_ip) = `),
		"addresses are assigned at launch (moto takes Elastic IPs from 127.0.0.0/8); a configuration knows them only after apply"},
	{"", "", regexp.MustCompile(`^[-+] node eip:\S+ (association_id|network_interface_id) = `),
		"an association id is assigned when the address is associated (CloudFormation names it by the association's logical id), and the interface is created at launch"},
	{"", "", regexp.MustCompile(`^\+ node (eip|load_balancer):\S+ \.unknown = \["(public_ip|dns_name)"\]$`),
		"an Elastic IP's address and a load balancer's DNS name are assigned at creation: unknown to a configuration"},
	{"", "", regexp.MustCompile(`^- node \S+ (arn|dns_name|availability_zone_id) = `),
		"ARNs, DNS names and zone ids are assigned by AWS at creation"},
	{"", "", regexp.MustCompile(`^- node db_instance:\S+ (availability_zone|storage_type) = `),
		"RDS picks the zone of a single-AZ instance and the storage type left unset when it creates the instance"},
	{"", "", regexp.MustCompile(`^[-+] node nat_gateway:\S+ addresses = `),
		"a NAT gateway's private and public addresses and its interface are assigned at creation"},
	{"", "", regexp.MustCompile(`^[-+] node listener:\S+ certificates = `),
		"a certificate is named by its ARN, assigned by ACM (Terraform refers to the aws_acm_certificate resource)"},
	{"", "", regexp.MustCompile(`^- node listener:\S+ ssl_policy = "ELBSecurityPolicy-2016-08"$`),
		"moto gives an HTTP listener an SSL policy; AWS prints none (testdata/describe/README.md)"},
	{"", "", regexp.MustCompile(`^\+ node (load_balancer|target_group|db_subnet_group):\S+ tags = `),
		"describe-load-balancers, describe-target-groups and describe-db-subnet-groups do not return tags (they need describe-tags / list-tags-for-resource)"},
	{"", "", regexp.MustCompile(`^- node security_group:default@\S+ ingress = \[\]$|^\+ node security_group:default@\S+ ingress = |^\+ edge security_group:default@\S+ allows_from security_group:default@|^\+ fact sg_links \{"from":"security_group:default@`),
		"moto creates a VPC's default security group without its inbound rule from itself (testdata/describe/README.md)"},
	{"", "production", regexp.MustCompile(`^- node instance:bastion security_groups = \[\]$|^\+ node instance:bastion security_groups = |^\+ edge instance:bastion uses_sg |^[-+] fact instance:bastion `),
		"the committed production dump has the bastion's groups on its network interface only (testdata/describe/README.md)"},
	{"", "production", regexp.MustCompile(`^- (node|edge|fact) instance:prod-app |^- edge \S+ \S+ instance:prod-app$|^- fact lb_targets .*"target":"instance:prod-app"|^- node (autoscaling_group|target_group):\S+ (instances|targets|reported_instance_types) = `),
		"the instances an Auto Scaling group launches, and their registration with its target group, exist only in a running estate"},
	{"", "production", regexp.MustCompile(`^- node security_group:staging-app-sg ingress = .*\{"from_port":80,"peer":"prefix_list:office-networks"|^\+ node security_group:staging-app-sg ingress = .*"description":"HTTP from the office networks"`),
		"moto drops the description of a rule that admits a prefix list (testdata/describe/README.md)"},
	{"terraform", "", regexp.MustCompile(`^- node (vpc|security_group):\S+ owner_id = `),
		"a Terraform configuration does not name its account (CloudFormation has the AWS::AccountId pseudo parameter)"},
	{"cloudformation", "", regexp.MustCompile(`^- node db_instance:\S+ engine_version = "8\.0\.35"$|^\+ node db_instance:\S+ engine_version = "8\.0\.40"$`),
		"the CloudFormation examples pin MySQL 8.0.40: cfn-lint (TestFixturesPassCfnLint) rejects 8.0.35, with which moto built the dumps, as deprecated"},
	{"cloudformation", "", regexp.MustCompile(`^[-+] node autoscaling_group:\S+ policies = `),
		"AWS::AutoScaling::ScalingPolicy has no name: CloudFormation makes one up (the reader uses the logical id)"},
}

// inherentReason returns why a diff line is expected, or "".
func inherentReason(form, arch, line string) string {
	for _, e := range inherent {
		if (e.form == "" || e.form == form) && (e.arch == "" || e.arch == arch) && e.pattern.MatchString(line) {
			return e.reason
		}
	}
	return ""
}

// TestSameAWSDefaultsAcrossForms reads each case of testdata/defaults (a
// txtar archive holding one architecture that leaves AWS to decide, as
// terraform/ and cloudformation.yaml) from Terraform and from
// CloudFormation: both must give the same graph.
func TestSameAWSDefaultsAcrossForms(t *testing.T) {
	t.Parallel()
	for _, c := range golden.Cases(t, filepath.Join("testdata", "defaults")) {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			c.WriteDir(t, "", dir)
			want := canonical(t, readTerraform(t, filepath.Join(dir, "terraform")))
			got := canonical(t, readTemplate(t, filepath.Join(dir, "cloudformation.yaml")))
			if len(want) < 20 {
				t.Fatalf("%s: too few lines to compare (%d)", c, len(want))
			}
			var diff []string
			for _, l := range lineDiff(want, got) {
				if !inherentIaC.MatchString(l) {
					diff = append(diff, l)
				}
			}
			if len(diff) > 0 {
				t.Errorf("%s: the CloudFormation graph differs from the Terraform graph (- terraform, + cloudformation):\n%s", c, strings.Join(diff, "\n"))
			}
		})
	}
}

// inherentIaC matches what differs between a Terraform configuration and a
// CloudFormation template of the same resources: CloudFormation knows the
// account (the AWS::AccountId pseudo parameter, 123456789012 when not
// given), Terraform does not.
var inherentIaC = regexp.MustCompile(`^\+ node \S+ owner_id = "123456789012"$`)
