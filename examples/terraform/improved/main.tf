# The improved setup of the course notes "Deploying on the Cloud" (design
# document 000): the basic setup with tightened security groups. The Tomcat
# server admits HTTP and HTTPS from anywhere and SSH from the administrator's
# address only; the database admits MySQL from the application server's
# security group only. Everything else is unchanged (the server is still
# public, the database still publicly accessible and single-AZ).
#
# Same architecture as testdata/describe/improved (built on moto by
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

variable "region" {
  type    = string
  default = "us-east-1"
}

variable "vpc_cidr" {
  type    = string
  default = "10.0.0.0/16"
}

variable "admin_cidr" {
  description = "The system administrator's address"
  type        = string
  default     = "203.0.113.10/32"
}

variable "ami" {
  description = "Amazon Linux image for the Tomcat server"
  type        = string
  default     = "ami-760aaa0f"
}

locals {
  # One public subnet per AZ: 10.0.1.0/24 and 10.0.2.0/24.
  public_subnets = {
    a = { az = "${var.region}a", netnum = 1 }
    b = { az = "${var.region}b", netnum = 2 }
  }

  app_ingress = [
    { port = 80, cidr = "0.0.0.0/0", description = "HTTP from anywhere" },
    { port = 443, cidr = "0.0.0.0/0", description = "HTTPS from anywhere" },
    { port = 22, cidr = var.admin_cidr, description = "SSH from the system administrator" },
  ]
}

resource "aws_vpc" "main" {
  cidr_block           = var.vpc_cidr
  enable_dns_hostnames = true
  tags                 = { Name = "three-tier-vpc" }
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
  tags   = { Name = "three-tier-igw" }
}

resource "aws_subnet" "public" {
  for_each          = local.public_subnets
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(var.vpc_cidr, 8, each.value.netnum)
  availability_zone = each.value.az
  tags = {
    Name = "public-${each.key}"
    Tier = "public"
  }
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }
  tags = { Name = "public-rt" }
}

resource "aws_route_table_association" "public" {
  for_each       = aws_subnet.public
  subnet_id      = each.value.id
  route_table_id = aws_route_table.public.id
}

resource "aws_security_group" "app" {
  name        = "MyTomcatSecurityGroup"
  description = "Tomcat application server"
  vpc_id      = aws_vpc.main.id

  dynamic "ingress" {
    for_each = local.app_ingress
    content {
      description = ingress.value.description
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      protocol    = "tcp"
      cidr_blocks = [ingress.value.cidr]
    }
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = { Name = "MyTomcatSecurityGroup", Tier = "app" }
}

resource "aws_security_group" "db" {
  name        = "MyDatabaseSecurityGroup"
  description = "MySQL database"
  vpc_id      = aws_vpc.main.id

  ingress {
    description     = "MySQL from the application server"
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

  tags = { Name = "MyDatabaseSecurityGroup", Tier = "data" }
}

resource "aws_instance" "app" {
  ami                    = var.ami
  instance_type          = "m3.xlarge"
  subnet_id              = aws_subnet.public["a"].id
  vpc_security_group_ids = [aws_security_group.app.id]
  tags                   = { Name = "tomcat-app", Tier = "app" }
}

resource "aws_eip" "app" {
  domain   = "vpc"
  instance = aws_instance.app.id
  tags     = { Name = "tomcat-eip" }
}

resource "aws_db_subnet_group" "db" {
  name        = "three-tier-db-subnets"
  description = "three-tier database subnets"
  subnet_ids  = [for s in aws_subnet.public : s.id]
}

resource "aws_db_instance" "db" {
  identifier                  = "three-tier-db"
  engine                      = "mysql"
  engine_version              = "8.0.35"
  instance_class              = "db.t3.micro"
  allocated_storage           = 20
  username                    = "admin"
  manage_master_user_password = true
  db_subnet_group_name        = aws_db_subnet_group.db.name
  vpc_security_group_ids      = [aws_security_group.db.id]
  publicly_accessible         = true
  multi_az                    = false
  availability_zone           = "${var.region}a"
  skip_final_snapshot         = true
  tags                        = { Name = "three-tier-db", Tier = "data" }
}
