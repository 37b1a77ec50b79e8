package formcheck

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/vpcgate/vpcgate/analyzer"
	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// formType is the resource type each form writes one modelled resource as:
// a Terraform resource type with the attributes that choose the variant,
// and a CloudFormation type with its properties.
type formType struct {
	tf, tfBody   string
	cfn, cfnBody string
}

// coverage lists, per graph kind (and load balancer type), what each form
// maps to it. A form that genuinely lacks the resource says why in
// absent, keyed "terraform" or "cloudformation".
var coverage = map[string]struct {
	formType
	absent map[string]string
}{
	"vpc":                          {formType: formType{"aws_vpc", `cidr_block = "10.0.0.0/16"`, "AWS::EC2::VPC", `CidrBlock: 10.0.0.0/16`}},
	"subnet":                       {formType: formType{"aws_subnet", `cidr_block = "10.0.1.0/24"`, "AWS::EC2::Subnet", `CidrBlock: 10.0.1.0/24`}},
	"route_table":                  {formType: formType{"aws_route_table", ``, "AWS::EC2::RouteTable", `VpcId: vpc-1`}},
	"internet_gateway":             {formType: formType{"aws_internet_gateway", ``, "AWS::EC2::InternetGateway", `{}`}},
	"egress_only_internet_gateway": {formType: formType{"aws_egress_only_internet_gateway", `vpc_id = "vpc-1"`, "AWS::EC2::EgressOnlyInternetGateway", `VpcId: vpc-1`}},
	"nat_gateway":                  {formType: formType{"aws_nat_gateway", `subnet_id = "subnet-1"`, "AWS::EC2::NatGateway", `SubnetId: subnet-1`}},
	"eip":                          {formType: formType{"aws_eip", `domain = "vpc"`, "AWS::EC2::EIP", `Domain: vpc`}},
	"security_group":               {formType: formType{"aws_security_group", `name = "x"`, "AWS::EC2::SecurityGroup", `GroupDescription: x`}},
	"network_acl":                  {formType: formType{"aws_network_acl", `vpc_id = "vpc-1"`, "AWS::EC2::NetworkAcl", `VpcId: vpc-1`}},
	"prefix_list":                  {formType: formType{"aws_ec2_managed_prefix_list", `name = "x"`, "AWS::EC2::PrefixList", `PrefixListName: x`}},
	"instance":                     {formType: formType{"aws_instance", `instance_type = "t3.micro"`, "AWS::EC2::Instance", `InstanceType: t3.micro`}},
	"network_interface":            {formType: formType{"aws_network_interface", `subnet_id = "subnet-1"`, "AWS::EC2::NetworkInterface", `SubnetId: subnet-1`}},
	"load_balancer/application":    {formType: formType{"aws_lb", `load_balancer_type = "application"`, "AWS::ElasticLoadBalancingV2::LoadBalancer", `Type: application`}},
	"load_balancer/network":        {formType: formType{"aws_lb", `load_balancer_type = "network"`, "AWS::ElasticLoadBalancingV2::LoadBalancer", `Type: network`}},
	"load_balancer/gateway":        {formType: formType{"aws_lb", `load_balancer_type = "gateway"`, "AWS::ElasticLoadBalancingV2::LoadBalancer", `Type: gateway`}},
	"load_balancer/classic": {formType: formType{"aws_elb", "listener {\n lb_port = 80\n lb_protocol = \"http\"\n instance_port = 80\n instance_protocol = \"http\"\n}",
		"AWS::ElasticLoadBalancing::LoadBalancer", "Listeners: [{LoadBalancerPort: 80, InstancePort: 80, Protocol: HTTP}]"}},
	"listener":                   {formType: formType{"aws_lb_listener", `port = 80`, "AWS::ElasticLoadBalancingV2::Listener", `Port: 80`}},
	"target_group":               {formType: formType{"aws_lb_target_group", `port = 80`, "AWS::ElasticLoadBalancingV2::TargetGroup", `Port: 80`}},
	"autoscaling_group":          {formType: formType{"aws_autoscaling_group", "min_size = 1\nmax_size = 1", "AWS::AutoScaling::AutoScalingGroup", `{MinSize: "1", MaxSize: "1"}`}},
	"launch_template":            {formType: formType{"aws_launch_template", `instance_type = "t3.micro"`, "AWS::EC2::LaunchTemplate", `LaunchTemplateData: {InstanceType: t3.micro}`}},
	"db_instance":                {formType: formType{"aws_db_instance", `engine = "mysql"`, "AWS::RDS::DBInstance", `Engine: mysql`}},
	"db_cluster":                 {formType: formType{"aws_rds_cluster", `engine = "aurora-mysql"`, "AWS::RDS::DBCluster", `Engine: aurora-mysql`}},
	"db_subnet_group":            {formType: formType{"aws_db_subnet_group", `subnet_ids = ["subnet-1"]`, "AWS::RDS::DBSubnetGroup", `{DBSubnetGroupDescription: x, SubnetIds: [subnet-1]}`}},
	"vpc_endpoint":               {formType: formType{"aws_vpc_endpoint", `vpc_id = "vpc-1"`, "AWS::EC2::VPCEndpoint", `VpcId: vpc-1`}},
	"vpc_peering":                {formType: formType{"aws_vpc_peering_connection", "vpc_id = \"vpc-1\"\npeer_vpc_id = \"vpc-2\"", "AWS::EC2::VPCPeeringConnection", `{VpcId: vpc-1, PeerVpcId: vpc-2}`}},
	"transit_gateway":            {formType: formType{"aws_ec2_transit_gateway", ``, "AWS::EC2::TransitGateway", `{}`}},
	"transit_gateway_attachment": {formType: formType{"aws_ec2_transit_gateway_vpc_attachment", `vpc_id = "vpc-1"`, "AWS::EC2::TransitGatewayAttachment", `VpcId: vpc-1`}},
	"ecs_service":                {formType: formType{"aws_ecs_service", `name = "x"`, "AWS::ECS::Service", `ServiceName: x`}},
	"volume":                     {formType: formType{"aws_ebs_volume", `size = 8`, "AWS::EC2::Volume", `Size: 8`}},
}

// kindKey names a node's kind, with a load balancer's type.
func kindKey(n graph.Node) string {
	if lb, ok := n.(*graph.LoadBalancer); ok {
		return "load_balancer/" + lb.Type
	}
	return string(n.Meta().Kind)
}

// resName is the name the test gives the resource standing for key.
func resName(key string) string {
	return "r_" + strings.NewReplacer("/", "_").Replace(key)
}

func cfnName(key string) string {
	return strings.NewReplacer("_", "", "/", "").Replace("R" + key)
}

// TestEveryFormMapsWhatDescribeModels lists every resource type the
// describe reader models (every node kind it gives on the describe test
// data, and every graph kind at all) and checks that the Terraform and
// CloudFormation readers each map their resource type of it to a node of
// that kind. A form lacking one fails, unless its allow-list entry says why.
func TestEveryFormMapsWhatDescribeModels(t *testing.T) {
	// What describe gives on the test dumps.
	described := map[string]bool{}
	for _, dir := range []string{"../../testdata/describe", "../../cost/testdata/describe-classic"} {
		abs, _ := filepath.Abs(dir)
		res, err := analyzer.Analyze(context.Background(), analyzer.Options{Paths: []string{abs}})
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range res.Graph.Nodes() {
			if n.Meta().Source.Form == graph.FormDescribe {
				described[kindKey(n)] = true
			}
		}
	}
	for k := range described {
		if _, ok := coverage[k]; !ok {
			t.Errorf("describe models %s, which the coverage table does not list", k)
		}
	}
	for _, k := range graph.Kinds {
		if k == graph.KindLoadBalancer {
			continue
		}
		if _, ok := coverage[string(k)]; !ok {
			t.Errorf("graph kind %s is not in the coverage table", k)
		}
	}
	if !described["load_balancer/classic"] || !described["instance"] {
		t.Fatalf("the describe test data gave only %v", described)
	}
	keys := make([]string, 0, len(coverage))
	for k := range coverage {
		keys = append(keys, k)
	}
	sort.Strings(keys)

	dir := t.TempDir()
	var tf, cfn strings.Builder
	cfn.WriteString("AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n")
	for _, k := range keys {
		c := coverage[k]
		if c.absent["terraform"] == "" {
			fmt.Fprintf(&tf, "resource %q %q {\n%s\n}\n", c.tf, resName(k), c.tfBody)
		}
		if c.absent["cloudformation"] == "" {
			body := c.cfnBody
			if !strings.HasPrefix(body, "{") {
				body = "{" + body + "}"
			}
			fmt.Fprintf(&cfn, "  %s:\n    Type: %s\n    Properties: %s\n", cfnName(k), c.cfn, body)
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, "tf"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "tf", "main.tf"), []byte(tf.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "template.yaml"), []byte(cfn.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, form := range []struct {
		name, path string
		addr       func(k string) string
	}{
		{"terraform", filepath.Join(dir, "tf"), func(k string) string { return coverage[k].tf + "." + resName(k) }},
		{"cloudformation", filepath.Join(dir, "template.yaml"), cfnName},
	} {
		res, err := analyzer.Analyze(context.Background(), analyzer.Options{Paths: []string{form.path}})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]map[string]bool{} // address → kinds
		for _, n := range res.Graph.Nodes() {
			a := n.Meta().Source.Address
			if got[a] == nil {
				got[a] = map[string]bool{}
			}
			got[a][kindKey(n)] = true
		}
		for _, k := range keys {
			if coverage[k].absent[form.name] != "" {
				continue
			}
			if !got[form.addr(k)][k] {
				t.Errorf("%s: %s does not map to a %s node (got %v)", form.name, form.addr(k), k, got[form.addr(k)])
			}
		}
	}
}
