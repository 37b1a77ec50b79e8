# Standalone rules whose group is outside the configuration (AWS: a rule
# belongs to exactly one group, named by its id; the rule exists whether or
# not the group is declared here).
variable "shared_sg_id" { type = string }

data "aws_security_group" "shared" {
  name = "shared"
}

# A variable without a value: the group is not known statically.
resource "aws_security_group_rule" "ssh_world" {
  type              = "ingress"
  security_group_id = var.shared_sg_id
  protocol          = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_blocks       = ["0.0.0.0/0"]
}

# A data source.
resource "aws_vpc_security_group_ingress_rule" "rdp_world" {
  security_group_id = data.aws_security_group.shared.id
  ip_protocol       = "tcp"
  from_port         = 3389
  to_port           = 3389
  cidr_ipv4         = "0.0.0.0/0"
}

# A literal id of a group another stack owns.
resource "aws_security_group_rule" "pg_world" {
  type              = "ingress"
  security_group_id = "sg-0123456789abcdef0"
  protocol          = "6"
  from_port         = 5432
  to_port           = 5432
  ipv6_cidr_blocks  = ["::/0"]
}

# A source that is a group reference with an unknown id is a group, never
# an address range: not open to the internet.
resource "aws_security_group_rule" "ssh_from_group" {
  type                     = "ingress"
  security_group_id        = var.shared_sg_id
  protocol                 = "tcp"
  from_port                = 22
  to_port                  = 22
  source_security_group_id = data.aws_security_group.shared.id
}
