module "vpc" {
  source = "./modules/vpc"

  name            = "shop"
  cidr            = "10.10.0.0/16"
  azs             = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
  private_subnets = [for i in range(3) : cidrsubnet("10.10.0.0/16", 8, i + 1)]
  public_subnets  = [for i in range(3) : cidrsubnet("10.10.0.0/16", 8, i + 101)]

  enable_nat_gateway = true
  single_nat_gateway = true

  default_security_group_ingress = [{ self = true }]
  tags                           = { Environment = "production" }
}

module "disabled" {
  source     = "./modules/vpc"
  create_vpc = false
}

resource "aws_lb" "web" {
  name    = "shop-web"
  subnets = module.vpc.public_subnets
}
