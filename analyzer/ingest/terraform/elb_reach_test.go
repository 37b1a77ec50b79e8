package terraform_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/vpcgate/vpcgate/analyzer"
	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/policies"
)

// TestClassicLoadBalancerEndToEnd: a Terraform classic load balancer is
// reached and judged like the other forms' ones. AWS: an internet-facing
// classic load balancer in a subnet routed to an internet gateway accepts
// on its listeners what its security groups admit and forwards to its
// registered instances (instances, aws_elb_attachment) on the instance
// port; an HTTP listener serves clear text (https-listener); its health
// check is PROTOCOL:PORT[/PATH].
func TestClassicLoadBalancerEndToEnd(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`
resource "aws_vpc" "v" { cidr_block = "10.0.0.0/16" }
resource "aws_internet_gateway" "igw" { vpc_id = aws_vpc.v.id }
resource "aws_subnet" "pub" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_subnet" "app" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.0.2.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_route_table" "pub" {
  vpc_id = aws_vpc.v.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
}
resource "aws_route_table_association" "pub" {
  subnet_id      = aws_subnet.pub.id
  route_table_id = aws_route_table.pub.id
}
resource "aws_security_group" "lb" {
  name   = "lb"
  vpc_id = aws_vpc.v.id
  ingress {
    protocol    = "tcp"
    from_port   = 80
    to_port     = 80
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_security_group" "app" {
  name   = "app"
  vpc_id = aws_vpc.v.id
  ingress {
    protocol        = "tcp"
    from_port       = 8080
    to_port         = 8080
    security_groups = [aws_security_group.lb.id]
  }
}
resource "aws_instance" "web" {
  ami                    = "ami-0123456789abcdef0"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.app.id
  vpc_security_group_ids = [aws_security_group.app.id]
}
resource "aws_elb" "web" {
  name            = "web"
  subnets         = [aws_subnet.pub.id]
  security_groups = [aws_security_group.lb.id]
  listener {
    lb_port           = 80
    lb_protocol       = "http"
    instance_port     = 8080
    instance_protocol = "http"
  }
  health_check {
    target              = "HTTP:8080/health"
    interval            = 30
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 2
  }
}
resource "aws_elb_attachment" "web" {
  elb      = aws_elb.web.id
  instance = aws_instance.web.id
}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := analyzer.Analyze(context.Background(), analyzer.Options{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	lb, ok := graph.Get[*graph.LoadBalancer](res.Graph, "aws_elb.web")
	if !ok {
		t.Fatal("no classic load balancer aws_elb.web")
	}
	if lb.HealthCheckTarget != "HTTP:8080/health" || len(lb.Instances) != 1 || lb.Instances[0] != "aws_instance.web" || lb.Scheme != "internet-facing" {
		t.Errorf("classic load balancer: health check %q, instances %v, scheme %q", lb.HealthCheckTarget, lb.Instances, lb.Scheme)
	}
	reached := func(id string, port int, via string) bool {
		nf := res.Graph.Facts.Nodes[id]
		if nf == nil {
			return false
		}
		for _, e := range nf.InternetReachable {
			if e.Protocol == "tcp" && e.FromPort <= port && port <= e.ToPort && e.Via == via {
				return true
			}
		}
		return false
	}
	if !reached("aws_elb.web", 80, "direct") {
		t.Errorf("the internet does not reach the load balancer on 80: %+v", res.Graph.Facts.Nodes["aws_elb.web"])
	}
	if !reached("aws_instance.web", 8080, "aws_elb.web") {
		t.Errorf("the instance is not reached through the classic load balancer: %+v", res.Graph.Facts.Nodes["aws_instance.web"])
	}
	eng, err := policies.New(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	fs, err := eng.Evaluate(context.Background(), res.Graph)
	if err != nil {
		t.Fatal(err)
	}
	https := false
	for _, f := range fs {
		if f.RuleID == "https-listener" && f.Resource.ID == "aws_elb.web/listener/80" && !f.Undetermined {
			https = true
		}
	}
	if !https {
		t.Errorf("https-listener does not judge the classic listener on 80; findings: %v", fs)
	}
}
