# A VPC in the style of terraform-aws-modules/vpc: subnets from maps with
# for_each, one route table per tier, one NAT gateway (single_nat_gateway).

variable "name" {
  type = string
}

variable "cidr" {
  type = string
}

variable "azs" {
  type = list(string)
}

variable "environment" {
  type = string
}

variable "subnets" {
  description = "Subnets by name: tier (public, app or data), environment, AZ index and netnum of the /24 inside the VPC."
  type = map(object({
    tier        = string
    environment = optional(string)
    az_index    = number
    netnum      = number
  }))
}

variable "single_nat_gateway" {
  type    = bool
  default = true
}

locals {
  public_subnets = { for k, s in var.subnets : k => s if s.tier == "public" }
  app_subnets    = { for k, s in var.subnets : k => s if s.tier == "app" }
  data_subnets   = { for k, s in var.subnets : k => s if s.tier == "data" }
  nat_count      = var.single_nat_gateway ? 1 : length(local.public_subnets)
}

resource "aws_vpc" "this" {
  cidr_block           = var.cidr
  enable_dns_hostnames = true
  tags                 = { Name = "${var.name}-vpc" }
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id
  tags   = { Name = "${var.name}-igw" }
}

resource "aws_subnet" "this" {
  for_each          = var.subnets
  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet(var.cidr, 8, each.value.netnum)
  availability_zone = element(var.azs, each.value.az_index)
  # Instances launched into the public subnets get a public IPv4 address.
  map_public_ip_on_launch = each.value.tier == "public"
  tags = {
    Name        = each.key
    Tier        = each.value.tier
    Environment = coalesce(each.value.environment, var.environment)
  }
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.this.id
  tags   = { Name = "public-rt", Tier = "public" }
}

resource "aws_route" "public_internet" {
  route_table_id         = aws_route_table.public.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.this.id
}

resource "aws_route_table_association" "public" {
  for_each       = local.public_subnets
  subnet_id      = aws_subnet.this[each.key].id
  route_table_id = aws_route_table.public.id
}

resource "aws_eip" "nat" {
  count  = local.nat_count
  domain = "vpc"
  tags   = { Name = "${var.name}-nat-eip" }
}

resource "aws_nat_gateway" "this" {
  count         = local.nat_count
  allocation_id = aws_eip.nat[count.index].id
  subnet_id     = aws_subnet.this[keys(local.public_subnets)[count.index]].id
  tags          = { Name = "${var.name}-nat", Environment = var.environment }
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.this.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.this[0].id
  }
  tags = { Name = "private-rt", Tier = "app" }
}

resource "aws_route_table_association" "private" {
  for_each       = local.app_subnets
  subnet_id      = aws_subnet.this[each.key].id
  route_table_id = aws_route_table.private.id
}

# The data subnets keep only the local route: no way in or out of the VPC.
resource "aws_route_table" "data" {
  vpc_id = aws_vpc.this.id
  tags   = { Name = "data-rt", Tier = "data" }
}

resource "aws_route_table_association" "data" {
  for_each       = local.data_subnets
  subnet_id      = aws_subnet.this[each.key].id
  route_table_id = aws_route_table.data.id
}

output "vpc_id" {
  value = aws_vpc.this.id
}

output "subnet_ids" {
  value = { for k, s in aws_subnet.this : k => s.id }
}

output "public_subnet_ids" {
  value = [for k in sort(keys(local.public_subnets)) : aws_subnet.this[k].id]
}

output "data_subnet_ids" {
  value = [for k in sort(keys(local.data_subnets)) : aws_subnet.this[k].id]
}
