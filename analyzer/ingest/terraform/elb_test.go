package terraform

import (
	"testing"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// TestClassicLoadBalancer: aws_elb is a classic load balancer with its
// listeners as nodes (as CloudFormation and describe give them), its
// registered instances, and a name an Auto Scaling group refers to.
func TestClassicLoadBalancer(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{"main.tf": `
resource "aws_instance" "web" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
}
resource "aws_elb" "web" {
  name      = "web-clb"
  subnets   = ["subnet-0a", "subnet-0b"]
  instances = [aws_instance.web.id]
  listener {
    lb_port           = 80
    lb_protocol       = "http"
    instance_port     = 8080
    instance_protocol = "http"
  }
  listener {
    lb_port            = 443
    lb_protocol        = "https"
    instance_port      = 8080
    instance_protocol  = "http"
    ssl_certificate_id = "arn:aws:acm:us-east-1:123456789012:certificate/abc"
  }
}
resource "aws_elb" "inner" {
  internal = true
  listener {
    lb_port           = 5432
    lb_protocol       = "tcp"
    instance_port     = 5432
    instance_protocol = "tcp"
  }
}
resource "aws_autoscaling_group" "app" {
  name           = "app"
  min_size       = 1
  max_size       = 2
  load_balancers = [aws_elb.web.name, aws_elb.inner.name]
}
`})
	g := load(t, dir, Options{})
	lb := node[*graph.LoadBalancer](t, g, "aws_elb.web")
	if lb.Type != "classic" || lb.Scheme != "internet-facing" || lb.LBName != "web-clb" || len(lb.SubnetIDs) != 2 || len(lb.Instances) != 1 || lb.Instances[0] != "aws_instance.web" {
		t.Errorf("classic load balancer %+v", lb)
	}
	l80 := node[*graph.Listener](t, g, "aws_elb.web/listener/80")
	if l80.LoadBalancerARN != "aws_elb.web" || l80.Protocol != "HTTP" || l80.InstancePort != 8080 || l80.Source.Range.Start.Line == lb.Source.Range.Start.Line {
		t.Errorf("listener 80 %+v", l80)
	}
	if l443 := node[*graph.Listener](t, g, "aws_elb.web/listener/443"); l443.Protocol != "HTTPS" || len(l443.Certificates) != 1 {
		t.Errorf("listener 443 %+v", l443)
	}
	inner := node[*graph.LoadBalancer](t, g, "aws_elb.inner")
	if inner.Scheme != "internal" || inner.LBName != "aws_elb.inner" {
		t.Errorf("internal classic load balancer %+v", inner)
	}
	asg := node[*graph.AutoScalingGroup](t, g, "app")
	if len(asg.LoadBalancerNames) != 2 || asg.LoadBalancerNames[0] != "web-clb" || asg.LoadBalancerNames[1] != "aws_elb.inner" {
		t.Errorf("group's load balancers %v", asg.LoadBalancerNames)
	}
}
