#!/usr/bin/env bash
# Builds the three-tier architectures of the design documents on moto through the real AWS CLI and
# saves the CLI's describe outputs as the fixtures under testdata/describe/<arch>/ and the examples
# under examples/three-tier-<arch>/.
#
# Rerun:   make fixtures            (or: bash testdata/describe/build.sh [basic|improved|production]...)
# Try:     FIXTURES_OUT=/tmp/fx bash testdata/describe/build.sh   writes /tmp/fx/<arch>/ only, leaving
#          the committed fixtures and examples alone (to check the script or diff a rerun).
# Needs:   python3 with moto[server] 5.2.1 (python3 -m moto.server), the AWS CLI (v1 or v2) on PATH, curl.
# Talks to nothing but the local moto server: fake credentials, region us-east-1, a free local port.
# Ids and ARNs come from moto's seeded generator and repeat from run to run while the script is
# unchanged; timestamps change on every run. Golden tests elsewhere pin these ids: after a rerun,
# refresh them (see testdata/describe/README.md).
# What moto could not do and how this script works around it: testdata/describe/README.md.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
archs=("$@")
if [ ${#archs[@]} -eq 0 ]; then
	archs=(basic improved production)
fi

readonly ami=ami-760aaa0f # amzn-ami-hvm-2017.09.1.20171103-x86_64-gp2, one of moto's bundled images
readonly admin_cidr=203.0.113.10/32 # the system administrator's address (TEST-NET-3)
readonly seed=20261124              # seeds moto's ids (POST /moto-api/seed)

work=$(mktemp -d)
moto_pid=
cleanup() {
	if [ -n "$moto_pid" ]; then
		kill "$moto_pid" 2>/dev/null || true
		wait "$moto_pid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
endpoint="http://127.0.0.1:$port"
python3 -m moto.server -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto_pid=$!
for _ in $(seq 1 150); do
	if curl -fsS "$endpoint/moto-api/data.json" >/dev/null 2>&1; then
		break
	fi
	if ! kill -0 "$moto_pid" 2>/dev/null; then
		echo "build.sh: moto exited early:" >&2
		cat "$work/moto.log" >&2
		exit 1
	fi
	sleep 0.2
done
curl -fsS "$endpoint/moto-api/data.json" >/dev/null

export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_SESSION_TOKEN=testing
export AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1 AWS_PAGER=""
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null

# cli runs the AWS CLI against moto with JSON output.
cli() { aws --endpoint-url "$endpoint" --output json "$@"; }

# val runs the AWS CLI against moto and prints one value selected by the JMESPath query $1.
val() {
	local query=$1
	shift
	aws --endpoint-url "$endpoint" --output text --query "$query" "$@"
}

# tagspec TYPE KEY=VALUE... prints a --tag-specifications argument in the CLI's shorthand syntax.
tagspec() {
	local type=$1 tags="" kv
	shift
	for kv in "$@"; do
		tags+="{Key=${kv%%=*},Value=${kv#*=}},"
	done
	printf 'ResourceType=%s,Tags=[%s]' "$type" "${tags%,}"
}

# tags KEY=VALUE... prints a --tags argument (Key=..,Value=.. items) for the elbv2 and rds commands.
tags() {
	local kv
	for kv in "$@"; do
		printf 'Key=%s,Value=%s\n' "${kv%%=*}" "${kv#*=}"
	done
}

# reset empties moto, seeds its random generator (so a rerun of an unchanged script gives the same
# ids; timestamps still change) and removes the default VPC moto creates in every region, as many
# teams do, so that each dump holds exactly one architecture.
reset() {
	curl -fsS -X POST "$endpoint/moto-api/reset" >/dev/null
	curl -fsS -X POST "$endpoint/moto-api/seed?a=$seed" >/dev/null
	local vpc igw subnet
	vpc=$(val 'Vpcs[0].VpcId' ec2 describe-vpcs --filters Name=is-default,Values=true)
	[ "$vpc" = "None" ] && return 0
	for subnet in $(val 'Subnets[].SubnetId' ec2 describe-subnets --filters "Name=vpc-id,Values=$vpc"); do
		cli ec2 delete-subnet --subnet-id "$subnet" >/dev/null
	done
	for igw in $(val 'InternetGateways[].InternetGatewayId' ec2 describe-internet-gateways --filters "Name=attachment.vpc-id,Values=$vpc"); do
		cli ec2 detach-internet-gateway --internet-gateway-id "$igw" --vpc-id "$vpc" >/dev/null
		cli ec2 delete-internet-gateway --internet-gateway-id "$igw" >/dev/null
	done
	cli ec2 delete-vpc --vpc-id "$vpc" >/dev/null
}

# wrap KEY VALUE LISTKEY reads a CLI JSON document on stdin and prints {KEY: VALUE, LISTKEY: doc[LISTKEY]}
# in the CLI's own layout (four-space indent): the plain outputs of describe-target-health and
# get-managed-prefix-list-entries do not name the resource they describe.
wrap() {
	python3 -c '
import json, sys
key, value, listkey = sys.argv[1:4]
doc = json.load(sys.stdin)
out = {key: value, listkey: doc.get(listkey, [])}
sys.stdout.write(json.dumps(out, indent=4, ensure_ascii=False) + "\n")
' "$@"
}

# dump DIR writes every describe output of the current moto state into DIR.
dump() {
	local dir=$1 cmd lt pl lb tg name
	mkdir -p "$dir"
	for cmd in describe-vpcs describe-subnets describe-route-tables describe-internet-gateways \
		describe-egress-only-internet-gateways describe-nat-gateways describe-addresses \
		describe-security-groups describe-security-group-rules describe-instances \
		describe-network-interfaces describe-network-acls describe-vpc-endpoints \
		describe-vpc-peering-connections describe-managed-prefix-lists describe-launch-templates; do
		cli ec2 "$cmd" >"$dir/ec2-$cmd.json"
	done
	lt=$(val 'length(LaunchTemplates)' ec2 describe-launch-templates)
	if [ "$lt" != "0" ]; then
		cli ec2 describe-launch-template-versions --versions '$Latest' >"$dir/ec2-describe-launch-template-versions.json"
	fi
	for pl in $(val 'PrefixLists[].PrefixListId' ec2 describe-managed-prefix-lists); do
		cli ec2 get-managed-prefix-list-entries --prefix-list-id "$pl" |
			wrap PrefixListId "$pl" Entries >"$dir/ec2-get-managed-prefix-list-entries-$pl.json"
	done

	cli elbv2 describe-load-balancers >"$dir/elbv2-describe-load-balancers.json"
	for lb in $(val 'LoadBalancers[].LoadBalancerArn' elbv2 describe-load-balancers); do
		name=$(val 'LoadBalancers[0].LoadBalancerName' elbv2 describe-load-balancers --load-balancer-arns "$lb")
		cli elbv2 describe-listeners --load-balancer-arn "$lb" >"$dir/elbv2-describe-listeners-$name.json"
	done
	cli elbv2 describe-target-groups >"$dir/elbv2-describe-target-groups.json"
	for tg in $(val 'TargetGroups[].TargetGroupArn' elbv2 describe-target-groups); do
		name=$(val 'TargetGroups[0].TargetGroupName' elbv2 describe-target-groups --target-group-arns "$tg")
		cli elbv2 describe-target-health --target-group-arn "$tg" |
			wrap TargetGroupArn "$tg" TargetHealthDescriptions >"$dir/elbv2-describe-target-health-$name.json"
	done

	cli autoscaling describe-auto-scaling-groups >"$dir/autoscaling-describe-auto-scaling-groups.json"
	cli autoscaling describe-policies >"$dir/autoscaling-describe-policies.json"

	cli rds describe-db-instances >"$dir/rds-describe-db-instances.json"
	cli rds describe-db-clusters >"$dir/rds-describe-db-clusters.json"
	cli rds describe-db-subnet-groups >"$dir/rds-describe-db-subnet-groups.json"
}

# vpc CIDR NAME prints the id of a new VPC with DNS hostnames on.
vpc() {
	local id
	id=$(val Vpc.VpcId ec2 create-vpc --cidr-block "$1" --tag-specifications "$(tagspec vpc "Name=$2")")
	cli ec2 modify-vpc-attribute --vpc-id "$id" --enable-dns-hostnames '{"Value":true}' >/dev/null
	echo "$id"
}

# igw VPC NAME prints the id of a new internet gateway attached to VPC.
igw() {
	local id
	id=$(val InternetGateway.InternetGatewayId ec2 create-internet-gateway --tag-specifications "$(tagspec internet-gateway "Name=$2")")
	cli ec2 attach-internet-gateway --internet-gateway-id "$id" --vpc-id "$1" >/dev/null
	echo "$id"
}

# subnet VPC CIDR AZ KEY=VALUE... prints the id of a new subnet that does not map public IPs on
# launch (AWS's default for a subnet outside the default VPC; moto turns mapping on for the first
# subnet it creates in each AZ, so it is set explicitly here).
subnet() {
	local vpc=$1 cidr=$2 az=$3 id
	shift 3
	id=$(val Subnet.SubnetId ec2 create-subnet --vpc-id "$vpc" --cidr-block "$cidr" --availability-zone "$az" \
		--tag-specifications "$(tagspec subnet "$@")")
	cli ec2 modify-subnet-attribute --subnet-id "$id" --no-map-public-ip-on-launch >/dev/null
	echo "$id"
}

# route_table VPC KEY=VALUE... prints the id of a new route table.
route_table() {
	local vpc=$1
	shift
	val RouteTable.RouteTableId ec2 create-route-table --vpc-id "$vpc" --tag-specifications "$(tagspec route-table "$@")"
}

# associate RTB SUBNET... associates the route table with each subnet.
associate() {
	local rtb=$1 s
	shift
	for s in "$@"; do
		cli ec2 associate-route-table --route-table-id "$rtb" --subnet-id "$s" >/dev/null
	done
}

# sg VPC NAME DESCRIPTION KEY=VALUE... prints the id of a new security group (default egress: all).
sg() {
	local vpc=$1 name=$2 desc=$3
	shift 3
	val GroupId ec2 create-security-group --vpc-id "$vpc" --group-name "$name" --description "$desc" \
		--tag-specifications "$(tagspec security-group "Name=$name" "$@")"
}

# allow SG PERMISSIONS-JSON adds ingress rules given as an IpPermissions JSON list.
allow() {
	cli ec2 authorize-security-group-ingress --group-id "$1" --ip-permissions "$2" >/dev/null
}

# tcp_from_cidr PORT CIDR DESCRIPTION prints one IpPermissions JSON item.
tcp_from_cidr() {
	printf '{"IpProtocol":"tcp","FromPort":%s,"ToPort":%s,"IpRanges":[{"CidrIp":"%s","Description":"%s"}]}' "$1" "$1" "$2" "$3"
}

# tcp_from_sg PORT SG DESCRIPTION prints one IpPermissions JSON item referencing another group.
tcp_from_sg() {
	printf '{"IpProtocol":"tcp","FromPort":%s,"ToPort":%s,"UserIdGroupPairs":[{"GroupId":"%s","Description":"%s"}]}' "$1" "$1" "$2" "$3"
}

# The first setups of the course notes ("Deploying on the Cloud"): one VPC, the Tomcat application
# server in a public subnet with an Elastic IP, and a MySQL RDS database. $1 = basic keeps the
# notes' mistakes (app SG open on every port from everywhere, DB SG open on 3306 from everywhere);
# $1 = improved tightens the security groups (HTTP/HTTPS from anywhere, SSH from the admin's /32 only,
# MySQL from the app SG only) and changes nothing else.
build_three_tier() {
	local mode=$1 vpc igw pub_a pub_b rtb app_sg db_sg app eip
	vpc=$(vpc 10.0.0.0/16 three-tier-vpc)
	igw=$(igw "$vpc" three-tier-igw)
	# RDS wants a DB subnet group over two AZs, hence the second subnet.
	pub_a=$(subnet "$vpc" 10.0.1.0/24 us-east-1a Name=public-a Tier=public)
	pub_b=$(subnet "$vpc" 10.0.2.0/24 us-east-1b Name=public-b Tier=public)
	rtb=$(route_table "$vpc" Name=public-rt)
	cli ec2 create-route --route-table-id "$rtb" --destination-cidr-block 0.0.0.0/0 --gateway-id "$igw" >/dev/null
	associate "$rtb" "$pub_a" "$pub_b"

	app_sg=$(sg "$vpc" MyTomcatSecurityGroup "Tomcat application server" Tier=app)
	db_sg=$(sg "$vpc" MyDatabaseSecurityGroup "MySQL database" Tier=data)
	if [ "$mode" = basic ]; then
		allow "$app_sg" '[{"IpProtocol":"-1","IpRanges":[{"CidrIp":"0.0.0.0/0","Description":"all traffic from anywhere"}]}]'
		allow "$db_sg" "[$(tcp_from_cidr 3306 0.0.0.0/0 'MySQL from anywhere')]"
	else
		allow "$app_sg" "[$(tcp_from_cidr 80 0.0.0.0/0 'HTTP from anywhere'),$(tcp_from_cidr 443 0.0.0.0/0 'HTTPS from anywhere'),$(tcp_from_cidr 22 "$admin_cidr" 'SSH from the system administrator')]"
		allow "$db_sg" "[$(tcp_from_sg 3306 "$app_sg" 'MySQL from the application server')]"
	fi

	app=$(val 'Instances[0].InstanceId' ec2 run-instances --image-id "$ami" --instance-type m3.xlarge \
		--subnet-id "$pub_a" --security-group-ids "$app_sg" --count 1 \
		--tag-specifications "$(tagspec instance Name=tomcat-app Tier=app)")
	eip=$(val AllocationId ec2 allocate-address --domain vpc --tag-specifications "$(tagspec elastic-ip Name=tomcat-eip)")
	cli ec2 associate-address --allocation-id "$eip" --instance-id "$app" >/dev/null

	cli rds create-db-subnet-group --db-subnet-group-name three-tier-db-subnets \
		--db-subnet-group-description "three-tier database subnets" --subnet-ids "$pub_a" "$pub_b" >/dev/null
	cli rds create-db-instance --db-instance-identifier three-tier-db --engine mysql --engine-version 8.0.35 \
		--db-instance-class db.t3.micro --allocated-storage 20 --master-username admin \
		--master-user-password 'not-a-secret-1' --db-subnet-group-name three-tier-db-subnets \
		--vpc-security-group-ids "$db_sg" --publicly-accessible --no-multi-az --availability-zone us-east-1a \
		--tags $(tags Name=three-tier-db Tier=data) >/dev/null
}

# The production network (design documents 000 and 004): ALB in two public subnets, the app ASG in
# two private subnets behind it, a bastion, one NAT gateway, RDS Multi-AZ in isolated data subnets,
# and a staging environment in its own pair of private subnets.
build_production() {
	local vpc igw pub_a pub_b app_a app_b stg_a stg_b data_a data_b public_rt private_rt data_rt
	local nat_eip nat alb_sg bastion_sg app_sg staging_sg db_sg office_pl lt cert alb tg
	vpc=$(vpc 10.0.0.0/16 prod-vpc)
	igw=$(igw "$vpc" prod-igw)

	pub_a=$(subnet "$vpc" 10.0.1.0/24 us-east-1a Name=public-a Tier=public Environment=production)
	pub_b=$(subnet "$vpc" 10.0.2.0/24 us-east-1b Name=public-b Tier=public Environment=production)
	app_a=$(subnet "$vpc" 10.0.11.0/24 us-east-1a Name=prod-app-a Tier=app Environment=production)
	app_b=$(subnet "$vpc" 10.0.12.0/24 us-east-1b Name=prod-app-b Tier=app Environment=production)
	stg_a=$(subnet "$vpc" 10.0.21.0/24 us-east-1a Name=staging-app-a Tier=app Environment=staging)
	stg_b=$(subnet "$vpc" 10.0.22.0/24 us-east-1b Name=staging-app-b Tier=app Environment=staging)
	data_a=$(subnet "$vpc" 10.0.31.0/24 us-east-1a Name=prod-data-a Tier=data Environment=production)
	data_b=$(subnet "$vpc" 10.0.32.0/24 us-east-1b Name=prod-data-b Tier=data Environment=production)

	# The public subnets give every instance launched into them a public IPv4 address.
	cli ec2 modify-subnet-attribute --subnet-id "$pub_a" --map-public-ip-on-launch >/dev/null
	cli ec2 modify-subnet-attribute --subnet-id "$pub_b" --map-public-ip-on-launch >/dev/null

	public_rt=$(route_table "$vpc" Name=public-rt Tier=public)
	cli ec2 create-route --route-table-id "$public_rt" --destination-cidr-block 0.0.0.0/0 --gateway-id "$igw" >/dev/null
	associate "$public_rt" "$pub_a" "$pub_b"

	nat_eip=$(val AllocationId ec2 allocate-address --domain vpc --tag-specifications "$(tagspec elastic-ip Name=prod-nat-eip)")
	nat=$(val NatGateway.NatGatewayId ec2 create-nat-gateway --subnet-id "$pub_a" --allocation-id "$nat_eip" \
		--connectivity-type public --tag-specifications "$(tagspec natgateway Name=prod-nat Environment=production)")

	private_rt=$(route_table "$vpc" Name=private-rt Tier=app)
	cli ec2 create-route --route-table-id "$private_rt" --destination-cidr-block 0.0.0.0/0 --nat-gateway-id "$nat" >/dev/null
	associate "$private_rt" "$app_a" "$app_b" "$stg_a" "$stg_b"

	# The data subnets keep only the local route: no way in or out of the VPC.
	data_rt=$(route_table "$vpc" Name=data-rt Tier=data)
	associate "$data_rt" "$data_a" "$data_b"

	# The testers' office networks, allowed to the staging servers (customer-managed prefix list).
	office_pl=$(val PrefixList.PrefixListId ec2 create-managed-prefix-list --prefix-list-name office-networks \
		--address-family IPv4 --max-entries 5 \
		--entries Cidr=198.51.100.0/28,Description=office Cidr=198.51.100.64/32,Description=vpn \
		--tag-specifications "$(tagspec prefix-list Name=office-networks)")

	alb_sg=$(sg "$vpc" prod-alb-sg "internet-facing load balancer" Tier=edge Environment=production)
	allow "$alb_sg" "[$(tcp_from_cidr 80 0.0.0.0/0 'HTTP from anywhere (redirected to HTTPS)'),$(tcp_from_cidr 443 0.0.0.0/0 'HTTPS from anywhere')]"
	bastion_sg=$(sg "$vpc" bastion-sg "bastion host" Tier=bastion)
	allow "$bastion_sg" "[$(tcp_from_cidr 22 "$admin_cidr" 'SSH from the system administrator')]"
	app_sg=$(sg "$vpc" prod-app-sg "production application servers" Tier=app Environment=production)
	allow "$app_sg" "[$(tcp_from_sg 80 "$alb_sg" 'HTTP from the load balancer'),$(tcp_from_sg 22 "$bastion_sg" 'SSH from the bastion')]"
	staging_sg=$(sg "$vpc" staging-app-sg "staging application servers" Tier=app Environment=staging)
	allow "$staging_sg" "[$(tcp_from_sg 22 "$bastion_sg" 'SSH from the bastion'),{\"IpProtocol\":\"tcp\",\"FromPort\":80,\"ToPort\":80,\"PrefixListIds\":[{\"PrefixListId\":\"$office_pl\",\"Description\":\"HTTP from the office networks\"}]}]"
	db_sg=$(sg "$vpc" prod-db-sg "production MySQL" Tier=data Environment=production)
	allow "$db_sg" "[$(tcp_from_sg 3306 "$app_sg" 'MySQL from the production application servers')]"

	# The bastion takes its public IP from the subnet's mapping: launched with an explicit network
	# interface (--associate-public-ip-address), moto leaves the instance's SecurityGroups empty.
	cli ec2 run-instances --image-id "$ami" --instance-type t3.micro --count 1 --subnet-id "$pub_a" \
		--security-group-ids "$bastion_sg" \
		--tag-specifications "$(tagspec instance Name=bastion Tier=bastion Environment=production)" >/dev/null
	cli ec2 run-instances --image-id "$ami" --instance-type t3.small --count 1 --subnet-id "$stg_a" \
		--security-group-ids "$staging_sg" \
		--tag-specifications "$(tagspec instance Name=staging-app Tier=app Environment=staging)" >/dev/null

	lt=$(val LaunchTemplate.LaunchTemplateId ec2 create-launch-template --launch-template-name prod-app-lt \
		--version-description "tomcat on amazon linux" \
		--tag-specifications "$(tagspec launch-template Name=prod-app-lt Environment=production)" \
		--launch-template-data "{\"ImageId\":\"$ami\",\"InstanceType\":\"t3.medium\",\"SecurityGroupIds\":[\"$app_sg\"],\"Monitoring\":{\"Enabled\":true},\"MetadataOptions\":{\"HttpTokens\":\"required\"},\"TagSpecifications\":[{\"ResourceType\":\"instance\",\"Tags\":[{\"Key\":\"Tier\",\"Value\":\"app\"},{\"Key\":\"Environment\",\"Value\":\"production\"}]}]}")

	cert=$(val CertificateArn acm request-certificate --domain-name tickets.example.com --validation-method DNS)
	alb=$(val 'LoadBalancers[0].LoadBalancerArn' elbv2 create-load-balancer --name prod-alb --type application \
		--scheme internet-facing --ip-address-type ipv4 --subnets "$pub_a" "$pub_b" --security-groups "$alb_sg" \
		--tags $(tags Name=prod-alb Tier=edge Environment=production))
	tg=$(val 'TargetGroups[0].TargetGroupArn' elbv2 create-target-group --name prod-app-tg --protocol HTTP --port 80 \
		--vpc-id "$vpc" --target-type instance --health-check-protocol HTTP --health-check-path /health \
		--tags $(tags Name=prod-app-tg Environment=production))
	cli elbv2 create-listener --load-balancer-arn "$alb" --protocol HTTP --port 80 \
		--default-actions 'Type=redirect,RedirectConfig={Protocol=HTTPS,Port=443,StatusCode=HTTP_301}' >/dev/null
	cli elbv2 create-listener --load-balancer-arn "$alb" --protocol HTTPS --port 443 \
		--certificates "CertificateArn=$cert" --ssl-policy ELBSecurityPolicy-TLS13-1-2-2021-06 \
		--default-actions "Type=forward,TargetGroupArn=$tg" >/dev/null

	# moto launches every instance of a group in the first subnet of VPCZoneIdentifier; to spread the
	# two instances over both AZs as AWS does, launch one with app-a first, then the second with app-b
	# first, then restore the order.
	cli autoscaling create-auto-scaling-group --auto-scaling-group-name prod-app-asg \
		--launch-template "LaunchTemplateId=$lt,Version=\$Latest" --min-size 1 --max-size 8 --desired-capacity 1 \
		--vpc-zone-identifier "$app_a,$app_b" --target-group-arns "$tg" --health-check-type ELB \
		--health-check-grace-period 300 \
		--tags Key=Name,Value=prod-app,PropagateAtLaunch=true Key=Environment,Value=production,PropagateAtLaunch=true >/dev/null
	cli autoscaling update-auto-scaling-group --auto-scaling-group-name prod-app-asg \
		--vpc-zone-identifier "$app_b,$app_a" --min-size 2 --desired-capacity 2 >/dev/null
	cli autoscaling update-auto-scaling-group --auto-scaling-group-name prod-app-asg \
		--vpc-zone-identifier "$app_a,$app_b" >/dev/null
	cli autoscaling put-scaling-policy --auto-scaling-group-name prod-app-asg --policy-name cpu-target-50 \
		--policy-type TargetTrackingScaling --estimated-instance-warmup 300 \
		--target-tracking-configuration '{"PredefinedMetricSpecification":{"PredefinedMetricType":"ASGAverageCPUUtilization"},"TargetValue":50.0}' >/dev/null

	cli rds create-db-subnet-group --db-subnet-group-name prod-db-subnets \
		--db-subnet-group-description "production database subnets" --subnet-ids "$data_a" "$data_b" \
		--tags $(tags Environment=production) >/dev/null
	cli rds create-db-instance --db-instance-identifier prod-db --engine mysql --engine-version 8.0.35 \
		--db-instance-class db.t3.medium --allocated-storage 100 --storage-type gp3 --storage-encrypted \
		--master-username admin --master-user-password 'not-a-secret-1' --db-subnet-group-name prod-db-subnets \
		--vpc-security-group-ids "$db_sg" --no-publicly-accessible --multi-az --backup-retention-period 7 \
		--tags $(tags Name=prod-db Tier=data Environment=production) >/dev/null
}

# check DIR fails unless every file in DIR parses as JSON.
check() {
	local f
	for f in "$1"/*.json; do
		if ! python3 -m json.tool "$f" >/dev/null; then
			echo "build.sh: $f is not valid JSON" >&2
			exit 1
		fi
	done
}

# install SRC DEST replaces the JSON files of DEST by those of SRC, keeping anything else (README.md).
install() {
	mkdir -p "$2"
	rm -f "$2"/*.json
	cp "$1"/*.json "$2"/
}

for arch in "${archs[@]}"; do
	reset
	case "$arch" in
	basic | improved) build_three_tier "$arch" ;;
	production) build_production ;;
	*)
		echo "build.sh: unknown architecture $arch (want basic, improved or production)" >&2
		exit 2
		;;
	esac
	dump "$work/$arch"
	check "$work/$arch"
	if [ -n "${FIXTURES_OUT:-}" ]; then
		install "$work/$arch" "$FIXTURES_OUT/$arch"
		echo "build.sh: $arch: $(ls "$work/$arch" | wc -l) files in $FIXTURES_OUT/$arch"
		continue
	fi
	install "$work/$arch" "$here/$arch"
	install "$work/$arch" "$root/examples/three-tier-$arch"
	echo "build.sh: $arch: $(ls "$work/$arch" | wc -l) files in testdata/describe/$arch and examples/three-tier-$arch"
done
