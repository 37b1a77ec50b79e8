resource "aws_vpc" "v" {
  cidr_block = "10.9.0.0/16"
  tags       = { Name = "v" }
}
resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.9.1.0/24"
  availability_zone = "us-east-1a"
  tags              = { Name = "a" }
}
resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.9.2.0/24"
  availability_zone = "us-east-1b"
  tags              = { Name = "b" }
}
resource "aws_network_acl" "n" {
  vpc_id     = aws_vpc.v.id
  subnet_ids = [aws_subnet.b.id]
  tags       = { Name = "n" }
}
resource "aws_network_acl_rule" "https" {
  network_acl_id = aws_network_acl.n.id
  rule_number    = 100
  egress         = false
  protocol       = "6"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
  from_port      = 443
  to_port        = 443
}
resource "aws_network_acl_rule" "ping" {
  network_acl_id = aws_network_acl.n.id
  rule_number    = 110
  egress         = false
  protocol       = "icmp"
  rule_action    = "allow"
  cidr_block     = "10.0.0.0/8"
  icmp_type      = 8
  icmp_code      = -1
}
resource "aws_security_group" "web" {
  name        = "web"
  description = "web"
  vpc_id      = aws_vpc.v.id
  ingress {
    protocol    = "6"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
  tags = { Name = "web" }
}
resource "aws_db_subnet_group" "db" {
  name       = "dbs"
  subnet_ids = [aws_subnet.a.id, aws_subnet.b.id]
}
resource "aws_rds_cluster" "aurora" {
  cluster_identifier     = "legacy-aurora"
  engine                 = "aurora"
  db_subnet_group_name   = aws_db_subnet_group.db.name
  vpc_security_group_ids = [aws_security_group.web.id]
}
resource "aws_rds_cluster" "pg" {
  cluster_identifier     = "pg"
  engine                 = "aurora-postgresql"
  db_subnet_group_name   = aws_db_subnet_group.db.name
  vpc_security_group_ids = [aws_security_group.web.id]
}
resource "aws_db_instance" "ora" {
  identifier           = "ora"
  engine               = "oracle-se2"
  instance_class       = "db.m5.large"
  allocated_storage    = 20
  db_subnet_group_name = aws_db_subnet_group.db.name
  publicly_accessible  = false
}
resource "aws_lb" "nlb" {
  name               = "nlb"
  load_balancer_type = "network"
  internal           = true
  subnets            = [aws_subnet.a.id, aws_subnet.b.id]
}
resource "aws_lb_target_group" "tg" {
  name     = "tg"
  port     = 443
  protocol = "TCP"
  vpc_id   = aws_vpc.v.id
}
resource "aws_lb_listener" "l" {
  load_balancer_arn = aws_lb.nlb.arn
  port              = 443
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.tg.arn
  }
}
resource "aws_launch_template" "lt" {
  name          = "app-lt"
  image_id      = "ami-12345678"
  instance_type = "t3.micro"
}
resource "aws_autoscaling_group" "asg" {
  name                      = "asg"
  min_size                  = 1
  max_size                  = 2
  health_check_grace_period = 0
  vpc_zone_identifier       = [aws_subnet.a.id, aws_subnet.b.id]
  target_group_arns         = [aws_lb_target_group.tg.arn]
  launch_template {
    id      = aws_launch_template.lt.id
    version = "$Latest"
  }
}

resource "aws_vpc" "six" {
  cidr_block        = "10.8.0.0/16"
  ipv6_cidr_block   = "2600:1f18:aaaa:bb00::/56"
  ipv6_ipam_pool_id = "ipam-pool-0123456789abcdef0"
  tags              = { Name = "six" }
}
resource "aws_subnet" "six" {
  vpc_id            = aws_vpc.six.id
  cidr_block        = "10.8.1.0/24"
  availability_zone = "us-east-1a"
  tags              = { Name = "six-a" }
}
resource "aws_network_acl" "six" {
  vpc_id = aws_vpc.six.id
  tags   = { Name = "six-acl" }
}
resource "aws_lb" "alb" {
  name    = "web-alb"
  subnets = [aws_subnet.a.id, aws_subnet.b.id]
}
resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.alb.arn
  port              = 80
  default_action {
    type = "redirect"
    redirect {
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}
resource "aws_instance" "box" {
  ami           = "ami-12345678"
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.a.id
  tags          = { Name = "box" }
}
resource "aws_ecs_service" "svc" {
  name            = "svc"
  cluster         = "main"
  task_definition = "svc:1"
  desired_count   = 1
  launch_type     = "FARGATE"
  network_configuration {
    subnets = [aws_subnet.a.id]
  }
}
resource "aws_network_interface" "spare" {
  subnet_id       = aws_subnet.a.id
  security_groups = [aws_security_group.web.id]
  tags            = { Name = "spare" }
}
resource "aws_ecs_service" "worker" {
  name            = "worker"
  task_definition = "worker:1"
  desired_count   = 1
}
resource "aws_vpc_endpoint" "s3" {
  vpc_id       = aws_vpc.v.id
  service_name = "com.amazonaws.us-east-1.s3"
  tags         = { Name = "s3" }
}
