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
}

variable "ami" {
  type    = string
  default = "ami-760aaa0f"
}
