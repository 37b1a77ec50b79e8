# A web stack in eu-west-1 for the cost golden tests: EBS of several
# types, a mixed-instances Auto Scaling group and a classic load balancer.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "eu-west-1"
}

data "aws_availability_zones" "available" {}

resource "aws_vpc" "main" {
  cidr_block = "10.20.0.0/16"
  tags       = { Name = "eu-web" }
}

resource "aws_subnet" "public" {
  count                   = 2
  vpc_id                  = aws_vpc.main.id
  cidr_block              = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone       = data.aws_availability_zones.available.names[count.index]
  map_public_ip_on_launch = false
  tags                    = { Name = "eu-public-${count.index}" }
}

resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_security_group" "web" {
  name   = "eu-web"
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# Classic load balancer in front of the group.
resource "aws_elb" "web" {
  name            = "eu-web-clb"
  subnets         = aws_subnet.public[*].id
  security_groups = [aws_security_group.web.id]
  listener {
    lb_port           = 80
    lb_protocol       = "http"
    instance_port     = 80
    instance_protocol = "http"
  }
}

resource "aws_launch_template" "web" {
  name          = "eu-web"
  image_id      = "ami-0123456789abcdef0"
  instance_type = "m5.large"
  monitoring {
    enabled = true
  }
  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size = 50
      volume_type = "gp3"
      iops        = 4000
    }
  }
}

# Two instances always On-Demand, 50% of the rest On-Demand; the overrides
# count twice (weight 2).
resource "aws_autoscaling_group" "web" {
  name                = "eu-web-asg"
  min_size            = 2
  max_size            = 12
  desired_capacity    = 6
  vpc_zone_identifier = aws_subnet.public[*].id
  load_balancers      = [aws_elb.web.name]
  mixed_instances_policy {
    instances_distribution {
      on_demand_base_capacity                  = 2
      on_demand_percentage_above_base_capacity = 50
      spot_allocation_strategy                 = "price-capacity-optimized"
    }
    launch_template {
      launch_template_specification {
        launch_template_id = aws_launch_template.web.id
        version            = "$Latest"
      }
      override {
        instance_type     = "m5.large"
        weighted_capacity = "2"
      }
      override {
        instance_type     = "c5.large"
        weighted_capacity = "2"
      }
    }
  }
}

resource "aws_instance" "db" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "r5.large"
  subnet_id     = aws_subnet.public[0].id
  ebs_optimized = true
  root_block_device {
    volume_size = 30
    volume_type = "gp3"
  }
  ebs_block_device {
    device_name = "/dev/sdf"
    volume_size = 200
    volume_type = "io1"
    iops        = 3000
  }
  tags = { Name = "eu-db" }
}

resource "aws_ebs_volume" "archive" {
  availability_zone = data.aws_availability_zones.available.names[1]
  size              = 500
  type              = "st1"
  tags              = { Name = "eu-archive" }
}
