# The production network of the design documents (000 and 004): an
# internet-facing ALB in two public subnets, the application Auto Scaling
# group in two private subnets behind it, a bastion host, one NAT gateway,
# RDS Multi-AZ in isolated data subnets, and a staging environment in its own
# pair of private subnets. "Expose the door, not the house."
#
# Same architecture as testdata/describe/production (built on moto by
# testdata/describe/build.sh).

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = var.region
}

data "aws_availability_zones" "available" {
  state = "available"
}

module "network" {
  source      = "./modules/network"
  name        = "prod"
  cidr        = var.vpc_cidr
  azs         = slice(data.aws_availability_zones.available.names, 0, 2)
  environment = "production"
  subnets = {
    "public-a"      = { tier = "public", az_index = 0, netnum = 1 }
    "public-b"      = { tier = "public", az_index = 1, netnum = 2 }
    "prod-app-a"    = { tier = "app", az_index = 0, netnum = 11 }
    "prod-app-b"    = { tier = "app", az_index = 1, netnum = 12 }
    "staging-app-a" = { tier = "app", environment = "staging", az_index = 0, netnum = 21 }
    "staging-app-b" = { tier = "app", environment = "staging", az_index = 1, netnum = 22 }
    "prod-data-a"   = { tier = "data", az_index = 0, netnum = 31 }
    "prod-data-b"   = { tier = "data", az_index = 1, netnum = 32 }
  }
}

locals {
  subnets = module.network.subnet_ids
  # Every group keeps AWS's default egress (all traffic out), declared
  # because Terraform removes it from the groups it creates.
  all_egress = [{ protocol = "-1", from_port = 0, to_port = 0, cidr_blocks = ["0.0.0.0/0"] }]
}

# The testers' office networks, allowed to the staging servers.
resource "aws_ec2_managed_prefix_list" "office" {
  name           = "office-networks"
  address_family = "IPv4"
  max_entries    = 5
  entry {
    cidr        = "198.51.100.0/28"
    description = "office"
  }
  entry {
    cidr        = "198.51.100.64/32"
    description = "vpn"
  }
  tags = { Name = "office-networks" }
}

resource "aws_security_group" "alb" {
  name        = "prod-alb-sg"
  description = "internet-facing load balancer"
  vpc_id      = module.network.vpc_id

  dynamic "ingress" {
    for_each = { 80 = "HTTP from anywhere (redirected to HTTPS)", 443 = "HTTPS from anywhere" }
    content {
      description = ingress.value
      from_port   = ingress.key
      to_port     = ingress.key
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }

  dynamic "egress" {
    for_each = local.all_egress
    content {
      from_port   = egress.value.from_port
      to_port     = egress.value.to_port
      protocol    = egress.value.protocol
      cidr_blocks = egress.value.cidr_blocks
    }
  }

  tags = { Name = "prod-alb-sg", Tier = "edge", Environment = "production" }
}

resource "aws_security_group" "bastion" {
  name        = "bastion-sg"
  description = "bastion host"
  vpc_id      = module.network.vpc_id

  ingress {
    description = "SSH from the system administrator"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.admin_cidr]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = { Name = "bastion-sg", Tier = "bastion" }
}

resource "aws_security_group" "app" {
  name        = "prod-app-sg"
  description = "production application servers"
  vpc_id      = module.network.vpc_id

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = { Name = "prod-app-sg", Tier = "app", Environment = "production" }
}

resource "aws_vpc_security_group_ingress_rule" "app_http_from_alb" {
  security_group_id            = aws_security_group.app.id
  description                  = "HTTP from the load balancer"
  ip_protocol                  = "tcp"
  from_port                    = 80
  to_port                      = 80
  referenced_security_group_id = aws_security_group.alb.id
}

resource "aws_security_group_rule" "app_ssh_from_bastion" {
  type                     = "ingress"
  security_group_id        = aws_security_group.app.id
  description              = "SSH from the bastion"
  protocol                 = "tcp"
  from_port                = 22
  to_port                  = 22
  source_security_group_id = aws_security_group.bastion.id
}

resource "aws_security_group" "staging" {
  name        = "staging-app-sg"
  description = "staging application servers"
  vpc_id      = module.network.vpc_id

  ingress {
    description     = "SSH from the bastion"
    from_port       = 22
    to_port         = 22
    protocol        = "tcp"
    security_groups = [aws_security_group.bastion.id]
  }

  ingress {
    description     = "HTTP from the office networks"
    from_port       = 80
    to_port         = 80
    protocol        = "tcp"
    prefix_list_ids = [aws_ec2_managed_prefix_list.office.id]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = { Name = "staging-app-sg", Tier = "app", Environment = "staging" }
}

resource "aws_security_group" "db" {
  name        = "prod-db-sg"
  description = "production MySQL"
  vpc_id      = module.network.vpc_id

  ingress {
    description     = "MySQL from the production application servers"
    from_port       = 3306
    to_port         = 3306
    protocol        = "tcp"
    security_groups = [aws_security_group.app.id]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = { Name = "prod-db-sg", Tier = "data", Environment = "production" }
}

# The bastion takes its public IP from the public subnet's mapping.
resource "aws_instance" "bastion" {
  ami                    = var.ami
  instance_type          = "t3.micro"
  subnet_id              = local.subnets["public-a"]
  vpc_security_group_ids = [aws_security_group.bastion.id]
  tags                   = { Name = "bastion", Tier = "bastion", Environment = "production" }
}

resource "aws_instance" "staging" {
  ami                    = var.ami
  instance_type          = "t3.small"
  subnet_id              = local.subnets["staging-app-a"]
  vpc_security_group_ids = [aws_security_group.staging.id]
  tags                   = { Name = "staging-app", Tier = "app", Environment = "staging" }
}

resource "aws_launch_template" "app" {
  name                   = "prod-app-lt"
  description            = "tomcat on amazon linux"
  image_id               = var.ami
  instance_type          = "t3.medium"
  vpc_security_group_ids = [aws_security_group.app.id]
  monitoring {
    enabled = true
  }
  metadata_options {
    http_tokens = "required"
  }
  tag_specifications {
    resource_type = "instance"
    tags          = { Tier = "app", Environment = "production" }
  }
  tags = { Name = "prod-app-lt", Environment = "production" }
}

resource "aws_acm_certificate" "tickets" {
  domain_name       = "tickets.example.com"
  validation_method = "DNS"
}

resource "aws_lb" "app" {
  name               = "prod-alb"
  load_balancer_type = "application"
  internal           = false
  ip_address_type    = "ipv4"
  subnets            = module.network.public_subnet_ids
  security_groups    = [aws_security_group.alb.id]
  tags               = { Name = "prod-alb", Tier = "edge", Environment = "production" }
}

resource "aws_lb_target_group" "app" {
  name        = "prod-app-tg"
  protocol    = "HTTP"
  port        = 80
  vpc_id      = module.network.vpc_id
  target_type = "instance"
  health_check {
    protocol = "HTTP"
    path     = "/health"
  }
  tags = { Name = "prod-app-tg", Environment = "production" }
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.app.arn
  port              = 80
  protocol          = "HTTP"
  default_action {
    type = "redirect"
    redirect {
      protocol    = "HTTPS"
      port        = "443"
      status_code = "HTTP_301"
    }
  }
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.app.arn
  port              = 443
  protocol          = "HTTPS"
  certificate_arn   = aws_acm_certificate.tickets.arn
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.app.arn
  }
}

resource "aws_autoscaling_group" "app" {
  name                      = "prod-app-asg"
  min_size                  = 2
  max_size                  = 8
  desired_capacity          = 2
  vpc_zone_identifier       = [local.subnets["prod-app-a"], local.subnets["prod-app-b"]]
  target_group_arns         = [aws_lb_target_group.app.arn]
  health_check_type         = "ELB"
  health_check_grace_period = 300
  launch_template {
    id      = aws_launch_template.app.id
    version = "$Latest"
  }
  tag {
    key                 = "Name"
    value               = "prod-app"
    propagate_at_launch = true
  }
  tag {
    key                 = "Environment"
    value               = "production"
    propagate_at_launch = true
  }
}

resource "aws_autoscaling_policy" "cpu" {
  name                      = "cpu-target-50"
  autoscaling_group_name    = aws_autoscaling_group.app.name
  policy_type               = "TargetTrackingScaling"
  estimated_instance_warmup = 300
  target_tracking_configuration {
    predefined_metric_specification {
      predefined_metric_type = "ASGAverageCPUUtilization"
    }
    target_value = 50.0
  }
}

resource "aws_db_subnet_group" "prod" {
  name        = "prod-db-subnets"
  description = "production database subnets"
  subnet_ids  = module.network.data_subnet_ids
  tags        = { Environment = "production" }
}

resource "aws_db_instance" "prod" {
  identifier                  = "prod-db"
  engine                      = "mysql"
  engine_version              = "8.0.35"
  instance_class              = "db.t3.medium"
  allocated_storage           = 100
  storage_type                = "gp3"
  storage_encrypted           = true
  username                    = "admin"
  manage_master_user_password = true
  db_subnet_group_name        = aws_db_subnet_group.prod.name
  vpc_security_group_ids      = [aws_security_group.db.id]
  publicly_accessible         = false
  multi_az                    = true
  backup_retention_period     = 7
  skip_final_snapshot         = true
  tags                        = { Name = "prod-db", Tier = "data", Environment = "production" }
}
