package policies_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/vpcgate/vpcgate/policies"
)

// missingTF leaves out every value a message names: the zones of the
// subnets and the database, the Elastic IP's address (known after apply),
// the listener's port, the default group's VPC.
const missingTF = `variable "port" {}
variable "zone" {}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
  tags       = { Environment = "production" }
}

resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "public" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "10.0.1.0/24"
  availability_zone       = var.zone
  map_public_ip_on_launch = true
}

resource "aws_subnet" "private" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.2.0/24"
  availability_zone = var.zone
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
}

resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}

resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_nat_gateway" "nat" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.public.id
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.nat.id
  }
}

resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.private.id
  route_table_id = aws_route_table.private.id
}

resource "aws_eip" "idle" {
  domain = "vpc"
}

resource "aws_security_group" "web" {
  vpc_id = aws_vpc.main.id
  ingress {
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_lb" "web" {
  internal        = false
  subnets         = [aws_subnet.public.id]
  security_groups = [aws_security_group.web.id]
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.web.arn
  port              = var.port
  protocol          = "HTTP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
}

resource "aws_lb_target_group" "web" {
  port     = 80
  protocol = "HTTP"
  vpc_id   = aws_vpc.main.id
}

resource "aws_instance" "web" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.public.id
  vpc_security_group_ids = [aws_security_group.web.id]
  tags                   = { Tier = "app" }
}

resource "aws_db_subnet_group" "db" {
  subnet_ids = [aws_subnet.private.id]
}

resource "aws_db_instance" "db" {
  engine               = "postgres"
  instance_class       = "db.t3.micro"
  multi_az             = false
  db_subnet_group_name = aws_db_subnet_group.db.name
}
`

// emptyPlaceholder matches what a message prints when it formats a
// missing value: "()", "(in )", "port 0", a doubled or dangling space.
var emptyPlaceholder = regexp.MustCompile(`\(\s*\)|\(in \)|\bin \)|port 0\b|  |\s[,.;:)]|\( `)

// TestMessagesNeverPrintEmptyPlaceholders runs every built-in rule over an
// input that leaves out each value a message names, and checks that each
// message says the missing value in words.
func TestMessagesNeverPrintEmptyPlaceholders(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(missingTF), 0o644); err != nil {
		t.Fatal(err)
	}
	e, err := policies.New(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	_, fs := scanFixture(t, e, dir)
	rules := map[string]bool{}
	for _, f := range fs {
		rules[f.RuleID] = true
		if emptyPlaceholder.MatchString(f.Message) {
			t.Errorf("%s on %s prints an empty placeholder: %q", f.RuleID, f.Resource.ID, f.Message)
		}
	}
	// The input exercises the rules whose messages name those values.
	for _, id := range []string{"idle-eip", "rds-multi-az", "https-listener", "private-app-tier", "only-lb-public"} {
		if !rules[id] {
			t.Errorf("rule %s did not fire on the input with missing values (fired: %v)", id, rules)
		}
	}
	if testing.Verbose() {
		for _, f := range fs {
			t.Log(f.RuleID, f.Resource.ID, f.Undetermined, f.Message)
		}
	}
}
