# One configuration, two regions: the default provider in us-east-1, an
# alias in us-west-2 used by a resource and passed to a module, and a
# third region (ap-northeast-1) the catalog has no prices for.
provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "west"
  region = "us-west-2"
}

provider "aws" {
  alias  = "tokyo"
  region = "ap-northeast-1"
}

resource "aws_instance" "east_app" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.medium"
  root_block_device {
    volume_size = 20
  }
  tags = { Name = "east-app" }
}

resource "aws_instance" "west_app" {
  provider      = aws.west
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.medium"
  root_block_device {
    volume_size = 20
    volume_type = "gp3"
  }
  tags = { Name = "west-app" }
}

module "west_edge" {
  source    = "./modules/edge"
  providers = { aws = aws.west }
  name      = "west"
}

module "tokyo_edge" {
  source    = "./modules/edge"
  providers = { aws = aws.tokyo }
  name      = "tokyo"
}
