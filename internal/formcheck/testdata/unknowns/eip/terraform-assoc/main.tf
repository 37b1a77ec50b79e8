variable "allocation_id" { type = string }

resource "aws_eip" "a" { domain = "vpc" }

# The association names its address through a value known only at apply:
# any address of the configuration may be the one.
resource "aws_eip_association" "x" {
  allocation_id = var.allocation_id
  instance_id   = "i-0123456789abcdef0"
}
