# Elastic IP association (AWS: an address is associated with an instance or
# a network interface; a NAT gateway and a network load balancer's subnet
# mapping take one for their own interfaces; other services — Global
# Accelerator, a module that associates it — may hold it too).
variable "instance_id" { type = string }

# Used by a network load balancer's subnet mapping: in use.
resource "aws_eip" "nlb" { domain = "vpc" }

resource "aws_lb" "nlb" {
  name               = "nlb"
  load_balancer_type = "network"
  subnet_mapping {
    subnet_id     = "subnet-0a000000000000001"
    allocation_id = aws_eip.nlb.id
  }
}

# Associated with an instance known only at apply: undetermined.
resource "aws_eip" "by_variable" {
  domain   = "vpc"
  instance = var.instance_id
}

# Handed to a resource vpcgate does not model: undetermined.
resource "aws_eip" "accelerated" { domain = "vpc" }

resource "aws_globalaccelerator_endpoint_group" "g" {
  listener_arn = "arn:aws:globalaccelerator::123456789012:accelerator/a/listener/l"
  endpoint_configuration {
    endpoint_id = aws_eip.accelerated.id
  }
}

# Handed to a module that is not read: undetermined.
resource "aws_eip" "moduled" { domain = "vpc" }

module "bastion" {
  source        = "terraform-aws-modules/ec2-instance/aws"
  allocation_id = aws_eip.moduled.allocation_id
}

# Nothing holds it: idle.
resource "aws_eip" "idle" { domain = "vpc" }
