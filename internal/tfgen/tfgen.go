// Package tfgen writes synthetic Terraform workspaces for benchmarks: VPCs
// of a given number of resources, as files of one root module or as one
// root module per VPC. Output is a pure function of the arguments.
//
// The engine's benchmarks (analyzer) use this generator too,
// so that the language server's benchmarks measure the same workspaces.
package tfgen

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// SSH sources of the first security group of each VPC.
const (
	Admin = `"203.0.113.10/32"` // what Write uses
	World = `"0.0.0.0/0"`
)

// VPCFile is VPC number f as one Terraform file of perFile resources: an
// internet gateway, a route table, subnets, then security groups (the
// first admitting SSH from admin, an HCL expression such as Admin or
// World), instances in them and Elastic IPs.
func VPCFile(f, perFile int, admin string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `resource "aws_vpc" "v%[1]d" {
  cidr_block = "10.%[1]d.0.0/16"
  tags       = { Name = "vpc-%[1]d" }
}
resource "aws_internet_gateway" "g%[1]d" { vpc_id = aws_vpc.v%[1]d.id }
resource "aws_route_table" "r%[1]d" {
  vpc_id = aws_vpc.v%[1]d.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.g%[1]d.id
  }
}
`, f)
	n := 3
	subnets := max(1, (perFile-n)/10)
	for s := 0; s < subnets && n < perFile; s++ {
		fmt.Fprintf(&b, `resource "aws_subnet" "s%[1]d_%[2]d" {
  vpc_id            = aws_vpc.v%[1]d.id
  cidr_block        = "10.%[1]d.%[2]d.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_route_table_association" "a%[1]d_%[2]d" {
  subnet_id      = aws_subnet.s%[1]d_%[2]d.id
  route_table_id = aws_route_table.r%[1]d.id
}
`, f, s)
		n += 2
	}
	for s := 0; n < perFile; s++ {
		cidr := `"203.0.113.10/32"`
		if s == 0 {
			cidr = admin
		}
		fmt.Fprintf(&b, `resource "aws_security_group" "sg%[1]d_%[2]d" {
  name   = "sg-%[1]d-%[2]d"
  vpc_id = aws_vpc.v%[1]d.id
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [%[3]s]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`, f, s, cidr)
		n++
		if n >= perFile {
			break
		}
		fmt.Fprintf(&b, `resource "aws_instance" "i%[1]d_%[2]d" {
  ami                    = "ami-760aaa0f"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.s%[1]d_%[3]d.id
  vpc_security_group_ids = [aws_security_group.sg%[1]d_%[2]d.id]
}
`, f, s, s%subnets)
		n++
		if n >= perFile {
			break
		}
		fmt.Fprintf(&b, `resource "aws_eip" "e%[1]d_%[2]d" {
  domain   = "vpc"
  instance = aws_instance.i%[1]d_%[2]d.id
}
`, f, s)
		n++
	}
	return b.String()
}

// Write writes vpcs VPCs of perVPC resources under dir: each its own root
// module (stacks/vpcNNN/main.tf) when stacks, else files netNNN.tf of one
// module. It returns the files in VPC order.
func Write(dir string, vpcs, perVPC int, stacks bool) ([]string, error) {
	var files []string
	for f := range vpcs {
		p := filepath.Join(dir, fmt.Sprintf("net%03d.tf", f))
		if stacks {
			p = filepath.Join(dir, "stacks", fmt.Sprintf("vpc%03d", f), "main.tf")
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(p, []byte(VPCFile(f, perVPC, Admin)), 0o644); err != nil {
			return nil, err
		}
		files = append(files, p)
	}
	return files, nil
}
