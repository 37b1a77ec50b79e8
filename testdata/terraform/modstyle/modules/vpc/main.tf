# A VPC module written for the tests in the style of
# terraform-aws-modules/terraform-aws-vpc (not its code): create flags and
# count = local.create ? n : 0, element(concat(...)), try(...[0].id, ""),
# lookup(..., null) in dynamic blocks, coalescelist, merge of tag maps,
# one NAT gateway per AZ or a single one.

variable "create_vpc" {
  type    = bool
  default = true
}
variable "name" {
  type    = string
  default = ""
}
variable "cidr" {
  type    = string
  default = "10.0.0.0/16"
}
variable "azs" {
  type    = list(string)
  default = []
}
variable "public_subnets" {
  type    = list(string)
  default = []
}
variable "private_subnets" {
  type    = list(string)
  default = []
}
variable "enable_nat_gateway" {
  type    = bool
  default = false
}
variable "single_nat_gateway" {
  type    = bool
  default = false
}
variable "map_public_ip_on_launch" {
  type    = bool
  default = false
}
variable "manage_default_security_group" {
  type    = bool
  default = true
}
variable "default_security_group_ingress" {
  type    = list(map(string))
  default = []
}
variable "public_inbound_acl_rules" {
  type = list(map(string))
  default = [
    { rule_number = 100, rule_action = "allow", from_port = 0, to_port = 0, protocol = "-1", cidr_block = "0.0.0.0/0" },
  ]
}
variable "tags" {
  type    = map(string)
  default = {}
}
variable "public_subnet_tags" {
  type    = map(string)
  default = {}
}

locals {
  len_public_subnets  = length(var.public_subnets)
  len_private_subnets = length(var.private_subnets)
  max_subnet_length   = max(local.len_private_subnets, local.len_public_subnets)
  create_vpc          = var.create_vpc
  vpc_id              = try(aws_vpc.this[0].id, "")
  nat_gateway_count   = var.single_nat_gateway ? 1 : local.max_subnet_length
  create_public       = local.create_vpc && local.len_public_subnets > 0
}

resource "aws_vpc" "this" {
  count      = local.create_vpc ? 1 : 0
  cidr_block = var.cidr
  tags       = merge({ "Name" = var.name }, var.tags)
}

resource "aws_default_security_group" "this" {
  count  = local.create_vpc && var.manage_default_security_group ? 1 : 0
  vpc_id = aws_vpc.this[0].id

  dynamic "ingress" {
    for_each = var.default_security_group_ingress
    content {
      self        = lookup(ingress.value, "self", null)
      cidr_blocks = compact(split(",", lookup(ingress.value, "cidr_blocks", "")))
      from_port   = lookup(ingress.value, "from_port", 0)
      to_port     = lookup(ingress.value, "to_port", 0)
      protocol    = lookup(ingress.value, "protocol", "-1")
    }
  }
  tags = merge({ "Name" = coalesce(var.name, "default") }, var.tags)
}

resource "aws_internet_gateway" "this" {
  count  = local.create_public ? 1 : 0
  vpc_id = local.vpc_id
  tags   = merge({ "Name" = var.name }, var.tags)
}

resource "aws_subnet" "public" {
  count                   = local.create_public && (local.len_public_subnets >= length(var.azs)) ? local.len_public_subnets : 0
  vpc_id                  = local.vpc_id
  cidr_block              = element(concat(var.public_subnets, [""]), count.index)
  availability_zone       = length(regexall("^[a-z]{2}-", element(var.azs, count.index))) > 0 ? element(var.azs, count.index) : null
  map_public_ip_on_launch = var.map_public_ip_on_launch
  tags = merge(
    { Name = try(format("${var.name}-public-%s", element(var.azs, count.index)), "") },
    var.tags,
    var.public_subnet_tags,
  )
}

resource "aws_route_table" "public" {
  count  = local.create_public ? 1 : 0
  vpc_id = local.vpc_id
  tags   = merge({ "Name" = "${var.name}-public" }, var.tags)
}

resource "aws_route" "public_internet_gateway" {
  count                  = local.create_public ? 1 : 0
  route_table_id         = aws_route_table.public[0].id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.this[0].id
}

resource "aws_route_table_association" "public" {
  count          = local.create_public ? local.len_public_subnets : 0
  subnet_id      = element(aws_subnet.public[*].id, count.index)
  route_table_id = aws_route_table.public[0].id
}

resource "aws_network_acl" "public" {
  count      = local.create_public ? 1 : 0
  vpc_id     = local.vpc_id
  subnet_ids = aws_subnet.public[*].id

  dynamic "ingress" {
    for_each = var.public_inbound_acl_rules
    content {
      action          = ingress.value.rule_action
      cidr_block      = lookup(ingress.value, "cidr_block", null)
      from_port       = ingress.value.from_port
      icmp_code       = lookup(ingress.value, "icmp_code", null)
      ipv6_cidr_block = lookup(ingress.value, "ipv6_cidr_block", null)
      protocol        = ingress.value.protocol
      rule_no         = ingress.value.rule_number
      to_port         = ingress.value.to_port
    }
  }
}

resource "aws_subnet" "private" {
  count             = local.create_vpc && local.len_private_subnets > 0 ? local.len_private_subnets : 0
  vpc_id            = local.vpc_id
  cidr_block        = element(concat(var.private_subnets, [""]), count.index)
  availability_zone = element(var.azs, count.index)
  tags              = merge({ Name = format("${var.name}-private-%s", element(var.azs, count.index)) }, var.tags)
}

resource "aws_route_table" "private" {
  count  = local.create_vpc && local.max_subnet_length > 0 ? local.nat_gateway_count : 0
  vpc_id = local.vpc_id
  tags = merge(
    { "Name" = var.single_nat_gateway ? "${var.name}-private" : format("${var.name}-private-%s", element(var.azs, count.index)) },
    var.tags,
  )
}

resource "aws_route_table_association" "private" {
  count     = local.create_vpc && local.len_private_subnets > 0 ? local.len_private_subnets : 0
  subnet_id = element(aws_subnet.private[*].id, count.index)
  route_table_id = element(
    aws_route_table.private[*].id,
    var.single_nat_gateway ? 0 : count.index,
  )
}

resource "aws_eip" "nat" {
  count  = local.create_vpc && var.enable_nat_gateway ? local.nat_gateway_count : 0
  domain = "vpc"
  tags   = merge({ "Name" = format("${var.name}-%s", element(var.azs, var.single_nat_gateway ? 0 : count.index)) }, var.tags)
}

resource "aws_nat_gateway" "this" {
  count         = local.create_vpc && var.enable_nat_gateway ? local.nat_gateway_count : 0
  allocation_id = element(aws_eip.nat[*].id, var.single_nat_gateway ? 0 : count.index)
  subnet_id     = element(aws_subnet.public[*].id, var.single_nat_gateway ? 0 : count.index)
  tags          = merge({ "Name" = format("${var.name}-%s", element(var.azs, var.single_nat_gateway ? 0 : count.index)) }, var.tags)
}

resource "aws_route" "private_nat_gateway" {
  count                  = local.create_vpc && var.enable_nat_gateway ? local.nat_gateway_count : 0
  route_table_id         = element(aws_route_table.private[*].id, count.index)
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = element(aws_nat_gateway.this[*].id, count.index)
}

output "vpc_id" {
  value = try(aws_vpc.this[0].id, null)
}
output "public_subnets" {
  value = aws_subnet.public[*].id
}
output "private_subnets" {
  value = aws_subnet.private[*].id
}
output "natgw_ids" {
  value = aws_nat_gateway.this[*].id
}
