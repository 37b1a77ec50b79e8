package mototest

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	acmtypes "github.com/aws/aws-sdk-go-v2/service/acm/types"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	asgtypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbv2types "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
)

// The values of testdata/describe/build.sh.
const (
	AMI       = "ami-760aaa0f"    // one of moto's bundled images
	AdminCIDR = "203.0.113.10/32" // the system administrator's address
)

// builder creates resources through the SDK, stopping at the first error.
type builder struct {
	ctx   context.Context
	ec2   *ec2.Client
	elbv2 *elbv2.Client
	asg   *autoscaling.Client
	rds   *rds.Client
	acm   *acm.Client
	err   error
}

func (b *builder) check(what string, err error) bool {
	if err != nil && b.err == nil {
		b.err = fmt.Errorf("%s: %w", what, err)
	}
	return b.err == nil
}

func tagSpec(t ec2types.ResourceType, kv ...string) []ec2types.TagSpecification {
	var tags []ec2types.Tag
	for i := 0; i+1 < len(kv); i += 2 {
		tags = append(tags, ec2types.Tag{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
	}
	return []ec2types.TagSpecification{{ResourceType: t, Tags: tags}}
}

// DeleteDefaultVPC removes the default VPC moto creates in the region of
// cfg, as build.sh does.
func DeleteDefaultVPC(ctx context.Context, cfg aws.Config) error {
	c := ec2.NewFromConfig(cfg)
	out, err := c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []ec2types.Filter{{Name: aws.String("is-default"), Values: []string{"true"}}}})
	if err != nil {
		return err
	}
	for _, v := range out.Vpcs {
		subnets, err := c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{*v.VpcId}}}})
		if err != nil {
			return err
		}
		for _, s := range subnets.Subnets {
			if _, err := c.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: s.SubnetId}); err != nil {
				return err
			}
		}
		igws, err := c.DescribeInternetGateways(ctx, &ec2.DescribeInternetGatewaysInput{Filters: []ec2types.Filter{{Name: aws.String("attachment.vpc-id"), Values: []string{*v.VpcId}}}})
		if err != nil {
			return err
		}
		for _, g := range igws.InternetGateways {
			if _, err := c.DetachInternetGateway(ctx, &ec2.DetachInternetGatewayInput{InternetGatewayId: g.InternetGatewayId, VpcId: v.VpcId}); err != nil {
				return err
			}
			if _, err := c.DeleteInternetGateway(ctx, &ec2.DeleteInternetGatewayInput{InternetGatewayId: g.InternetGatewayId}); err != nil {
				return err
			}
		}
		if _, err := c.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: v.VpcId}); err != nil {
			return err
		}
	}
	return nil
}

func (b *builder) vpc(cidr, name string) string {
	out, err := b.ec2.CreateVpc(b.ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(cidr), TagSpecifications: tagSpec(ec2types.ResourceTypeVpc, "Name", name)})
	if !b.check("create-vpc", err) {
		return ""
	}
	_, err = b.ec2.ModifyVpcAttribute(b.ctx, &ec2.ModifyVpcAttributeInput{VpcId: out.Vpc.VpcId, EnableDnsHostnames: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}})
	b.check("modify-vpc-attribute", err)
	return aws.ToString(out.Vpc.VpcId)
}

func (b *builder) subnet(vpc, cidr, az string, kv ...string) string {
	if b.err != nil {
		return ""
	}
	out, err := b.ec2.CreateSubnet(b.ctx, &ec2.CreateSubnetInput{VpcId: aws.String(vpc), CidrBlock: aws.String(cidr), AvailabilityZone: aws.String(az),
		TagSpecifications: tagSpec(ec2types.ResourceTypeSubnet, kv...)})
	if !b.check("create-subnet", err) {
		return ""
	}
	b.mapPublicIP(aws.ToString(out.Subnet.SubnetId), false)
	return aws.ToString(out.Subnet.SubnetId)
}

func (b *builder) mapPublicIP(subnet string, on bool) {
	if b.err != nil {
		return
	}
	_, err := b.ec2.ModifySubnetAttribute(b.ctx, &ec2.ModifySubnetAttributeInput{SubnetId: aws.String(subnet), MapPublicIpOnLaunch: &ec2types.AttributeBooleanValue{Value: aws.Bool(on)}})
	b.check("modify-subnet-attribute", err)
}

func (b *builder) routeTable(vpc string, kv ...string) string {
	if b.err != nil {
		return ""
	}
	out, err := b.ec2.CreateRouteTable(b.ctx, &ec2.CreateRouteTableInput{VpcId: aws.String(vpc), TagSpecifications: tagSpec(ec2types.ResourceTypeRouteTable, kv...)})
	if !b.check("create-route-table", err) {
		return ""
	}
	return aws.ToString(out.RouteTable.RouteTableId)
}

func (b *builder) associate(rtb string, subnets ...string) {
	for _, s := range subnets {
		if b.err != nil {
			return
		}
		_, err := b.ec2.AssociateRouteTable(b.ctx, &ec2.AssociateRouteTableInput{RouteTableId: aws.String(rtb), SubnetId: aws.String(s)})
		b.check("associate-route-table", err)
	}
}

func (b *builder) sg(vpc, name, desc string, kv ...string) string {
	if b.err != nil {
		return ""
	}
	out, err := b.ec2.CreateSecurityGroup(b.ctx, &ec2.CreateSecurityGroupInput{VpcId: aws.String(vpc), GroupName: aws.String(name), Description: aws.String(desc),
		TagSpecifications: tagSpec(ec2types.ResourceTypeSecurityGroup, append([]string{"Name", name}, kv...)...)})
	if !b.check("create-security-group", err) {
		return ""
	}
	return aws.ToString(out.GroupId)
}

func (b *builder) allow(sg string, perms ...ec2types.IpPermission) {
	if b.err != nil {
		return
	}
	_, err := b.ec2.AuthorizeSecurityGroupIngress(b.ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(sg), IpPermissions: perms})
	b.check("authorize-security-group-ingress", err)
}

func tcpFromCIDR(port int32, cidr, desc string) ec2types.IpPermission {
	return ec2types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(port), ToPort: aws.Int32(port),
		IpRanges: []ec2types.IpRange{{CidrIp: aws.String(cidr), Description: aws.String(desc)}}}
}

func tcpFromSG(port int32, sg, desc string) ec2types.IpPermission {
	return ec2types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(port), ToPort: aws.Int32(port),
		UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: aws.String(sg), Description: aws.String(desc)}}}
}

func (b *builder) run(typ, subnet, sg string, count int32, kv ...string) []string {
	if b.err != nil {
		return nil
	}
	out, err := b.ec2.RunInstances(b.ctx, &ec2.RunInstancesInput{ImageId: aws.String(AMI), InstanceType: ec2types.InstanceType(typ),
		MinCount: aws.Int32(count), MaxCount: aws.Int32(count), SubnetId: aws.String(subnet), SecurityGroupIds: []string{sg},
		TagSpecifications: tagSpec(ec2types.ResourceTypeInstance, kv...)})
	if !b.check("run-instances", err) {
		return nil
	}
	var ids []string
	for _, i := range out.Instances {
		ids = append(ids, aws.ToString(i.InstanceId))
	}
	return ids
}

// BuildProduction builds the production network of the design documents
// (testdata/describe/README.md, "production/") in the account and region
// of cfg, as testdata/describe/build.sh does through the AWS CLI: ALB in two
// public subnets, the app Auto Scaling group in two private subnets behind
// it, a bastion, one NAT gateway, RDS Multi-AZ in isolated data subnets and
// a staging environment. moto's default VPC of the region is removed first.
func BuildProduction(ctx context.Context, cfg aws.Config) error {
	if err := DeleteDefaultVPC(ctx, cfg); err != nil {
		return fmt.Errorf("deleting the default VPC: %w", err)
	}
	b := &builder{ctx: ctx, ec2: ec2.NewFromConfig(cfg), elbv2: elbv2.NewFromConfig(cfg), asg: autoscaling.NewFromConfig(cfg),
		rds: rds.NewFromConfig(cfg), acm: acm.NewFromConfig(cfg)}
	a, bz := cfg.Region+"a", cfg.Region+"b"
	vpc := b.vpc("10.0.0.0/16", "prod-vpc")
	var igw string
	if b.err == nil {
		out, err := b.ec2.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{TagSpecifications: tagSpec(ec2types.ResourceTypeInternetGateway, "Name", "prod-igw")})
		if b.check("create-internet-gateway", err) {
			igw = aws.ToString(out.InternetGateway.InternetGatewayId)
			_, err = b.ec2.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: aws.String(igw), VpcId: aws.String(vpc)})
			b.check("attach-internet-gateway", err)
		}
	}
	pubA := b.subnet(vpc, "10.0.1.0/24", a, "Name", "public-a", "Tier", "public", "Environment", "production")
	pubB := b.subnet(vpc, "10.0.2.0/24", bz, "Name", "public-b", "Tier", "public", "Environment", "production")
	appA := b.subnet(vpc, "10.0.11.0/24", a, "Name", "prod-app-a", "Tier", "app", "Environment", "production")
	appB := b.subnet(vpc, "10.0.12.0/24", bz, "Name", "prod-app-b", "Tier", "app", "Environment", "production")
	stgA := b.subnet(vpc, "10.0.21.0/24", a, "Name", "staging-app-a", "Tier", "app", "Environment", "staging")
	stgB := b.subnet(vpc, "10.0.22.0/24", bz, "Name", "staging-app-b", "Tier", "app", "Environment", "staging")
	dataA := b.subnet(vpc, "10.0.31.0/24", a, "Name", "prod-data-a", "Tier", "data", "Environment", "production")
	dataB := b.subnet(vpc, "10.0.32.0/24", bz, "Name", "prod-data-b", "Tier", "data", "Environment", "production")
	b.mapPublicIP(pubA, true)
	b.mapPublicIP(pubB, true)

	publicRT := b.routeTable(vpc, "Name", "public-rt", "Tier", "public")
	if b.err == nil {
		_, err := b.ec2.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: aws.String(publicRT), DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: aws.String(igw)})
		b.check("create-route", err)
	}
	b.associate(publicRT, pubA, pubB)

	var nat string
	if b.err == nil {
		eip, err := b.ec2.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: ec2types.DomainTypeVpc, TagSpecifications: tagSpec(ec2types.ResourceTypeElasticIp, "Name", "prod-nat-eip")})
		if b.check("allocate-address", err) {
			out, err := b.ec2.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: aws.String(pubA), AllocationId: eip.AllocationId,
				ConnectivityType: ec2types.ConnectivityTypePublic, TagSpecifications: tagSpec(ec2types.ResourceTypeNatgateway, "Name", "prod-nat", "Environment", "production")})
			if b.check("create-nat-gateway", err) {
				nat = aws.ToString(out.NatGateway.NatGatewayId)
			}
		}
	}
	privateRT := b.routeTable(vpc, "Name", "private-rt", "Tier", "app")
	if b.err == nil {
		_, err := b.ec2.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: aws.String(privateRT), DestinationCidrBlock: aws.String("0.0.0.0/0"), NatGatewayId: aws.String(nat)})
		b.check("create-route", err)
	}
	b.associate(privateRT, appA, appB, stgA, stgB)
	dataRT := b.routeTable(vpc, "Name", "data-rt", "Tier", "data")
	b.associate(dataRT, dataA, dataB)

	var officePL string
	if b.err == nil {
		out, err := b.ec2.CreateManagedPrefixList(ctx, &ec2.CreateManagedPrefixListInput{PrefixListName: aws.String("office-networks"), AddressFamily: aws.String("IPv4"),
			MaxEntries: aws.Int32(5), Entries: []ec2types.AddPrefixListEntry{{Cidr: aws.String("198.51.100.0/28"), Description: aws.String("office")}, {Cidr: aws.String("198.51.100.64/32"), Description: aws.String("vpn")}},
			TagSpecifications: tagSpec(ec2types.ResourceTypePrefixList, "Name", "office-networks")})
		if b.check("create-managed-prefix-list", err) {
			officePL = aws.ToString(out.PrefixList.PrefixListId)
		}
	}

	albSG := b.sg(vpc, "prod-alb-sg", "internet-facing load balancer", "Tier", "edge", "Environment", "production")
	b.allow(albSG, tcpFromCIDR(80, "0.0.0.0/0", "HTTP from anywhere (redirected to HTTPS)"), tcpFromCIDR(443, "0.0.0.0/0", "HTTPS from anywhere"))
	bastionSG := b.sg(vpc, "bastion-sg", "bastion host", "Tier", "bastion")
	b.allow(bastionSG, tcpFromCIDR(22, AdminCIDR, "SSH from the system administrator"))
	appSG := b.sg(vpc, "prod-app-sg", "production application servers", "Tier", "app", "Environment", "production")
	b.allow(appSG, tcpFromSG(80, albSG, "HTTP from the load balancer"), tcpFromSG(22, bastionSG, "SSH from the bastion"))
	stagingSG := b.sg(vpc, "staging-app-sg", "staging application servers", "Tier", "app", "Environment", "staging")
	b.allow(stagingSG, tcpFromSG(22, bastionSG, "SSH from the bastion"), ec2types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(80), ToPort: aws.Int32(80),
		PrefixListIds: []ec2types.PrefixListId{{PrefixListId: aws.String(officePL), Description: aws.String("HTTP from the office networks")}}})
	dbSG := b.sg(vpc, "prod-db-sg", "production MySQL", "Tier", "data", "Environment", "production")
	b.allow(dbSG, tcpFromSG(3306, appSG, "MySQL from the production application servers"))

	b.run("t3.micro", pubA, bastionSG, 1, "Name", "bastion", "Tier", "bastion", "Environment", "production")
	b.run("t3.small", stgA, stagingSG, 1, "Name", "staging-app", "Tier", "app", "Environment", "staging")

	var lt string
	if b.err == nil {
		out, err := b.ec2.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("prod-app-lt"), VersionDescription: aws.String("tomcat on amazon linux"),
			TagSpecifications: tagSpec(ec2types.ResourceTypeLaunchTemplate, "Name", "prod-app-lt", "Environment", "production"),
			LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(AMI), InstanceType: ec2types.InstanceTypeT3Medium, SecurityGroupIds: []string{appSG},
				Monitoring:      &ec2types.LaunchTemplatesMonitoringRequest{Enabled: aws.Bool(true)},
				MetadataOptions: &ec2types.LaunchTemplateInstanceMetadataOptionsRequest{HttpTokens: ec2types.LaunchTemplateHttpTokensStateRequired},
				TagSpecifications: []ec2types.LaunchTemplateTagSpecificationRequest{{ResourceType: ec2types.ResourceTypeInstance,
					Tags: []ec2types.Tag{{Key: aws.String("Tier"), Value: aws.String("app")}, {Key: aws.String("Environment"), Value: aws.String("production")}}}}}})
		if b.check("create-launch-template", err) {
			lt = aws.ToString(out.LaunchTemplate.LaunchTemplateId)
		}
	}

	var cert, alb, tg string
	if b.err == nil {
		out, err := b.acm.RequestCertificate(ctx, &acm.RequestCertificateInput{DomainName: aws.String("tickets.example.com"), ValidationMethod: acmtypes.ValidationMethodDns})
		if b.check("request-certificate", err) {
			cert = aws.ToString(out.CertificateArn)
		}
	}
	elbTags := func(kv ...string) []elbv2types.Tag {
		var tags []elbv2types.Tag
		for i := 0; i+1 < len(kv); i += 2 {
			tags = append(tags, elbv2types.Tag{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
		}
		return tags
	}
	if b.err == nil {
		out, err := b.elbv2.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("prod-alb"), Type: elbv2types.LoadBalancerTypeEnumApplication,
			Scheme: elbv2types.LoadBalancerSchemeEnumInternetFacing, IpAddressType: elbv2types.IpAddressTypeIpv4, Subnets: []string{pubA, pubB}, SecurityGroups: []string{albSG},
			Tags: elbTags("Name", "prod-alb", "Tier", "edge", "Environment", "production")})
		if b.check("create-load-balancer", err) {
			alb = aws.ToString(out.LoadBalancers[0].LoadBalancerArn)
		}
	}
	if b.err == nil {
		out, err := b.elbv2.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("prod-app-tg"), Protocol: elbv2types.ProtocolEnumHttp, Port: aws.Int32(80),
			VpcId: aws.String(vpc), TargetType: elbv2types.TargetTypeEnumInstance, HealthCheckProtocol: elbv2types.ProtocolEnumHttp, HealthCheckPath: aws.String("/health"),
			Tags: elbTags("Name", "prod-app-tg", "Environment", "production")})
		if b.check("create-target-group", err) {
			tg = aws.ToString(out.TargetGroups[0].TargetGroupArn)
		}
	}
	if b.err == nil {
		_, err := b.elbv2.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: aws.String(alb), Protocol: elbv2types.ProtocolEnumHttp, Port: aws.Int32(80),
			DefaultActions: []elbv2types.Action{{Type: elbv2types.ActionTypeEnumRedirect, RedirectConfig: &elbv2types.RedirectActionConfig{Protocol: aws.String("HTTPS"), Port: aws.String("443"), StatusCode: elbv2types.RedirectActionStatusCodeEnumHttp301}}}})
		b.check("create-listener http", err)
	}
	if b.err == nil {
		_, err := b.elbv2.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: aws.String(alb), Protocol: elbv2types.ProtocolEnumHttps, Port: aws.Int32(443),
			Certificates: []elbv2types.Certificate{{CertificateArn: aws.String(cert)}}, SslPolicy: aws.String("ELBSecurityPolicy-TLS13-1-2-2021-06"),
			DefaultActions: []elbv2types.Action{{Type: elbv2types.ActionTypeEnumForward, TargetGroupArn: aws.String(tg)}}})
		b.check("create-listener https", err)
	}

	// moto launches every instance of a group in the first subnet of
	// VPCZoneIdentifier: one instance with app-a first, the second with
	// app-b first, then the order restored (as build.sh does).
	if b.err == nil {
		_, err := b.asg.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: aws.String("prod-app-asg"),
			LaunchTemplate: &asgtypes.LaunchTemplateSpecification{LaunchTemplateId: aws.String(lt), Version: aws.String("$Latest")},
			MinSize:        aws.Int32(1), MaxSize: aws.Int32(8), DesiredCapacity: aws.Int32(1), VPCZoneIdentifier: aws.String(appA + "," + appB),
			TargetGroupARNs: []string{tg}, HealthCheckType: aws.String("ELB"), HealthCheckGracePeriod: aws.Int32(300),
			Tags: []asgtypes.Tag{{Key: aws.String("Name"), Value: aws.String("prod-app"), PropagateAtLaunch: aws.Bool(true)},
				{Key: aws.String("Environment"), Value: aws.String("production"), PropagateAtLaunch: aws.Bool(true)}}})
		b.check("create-auto-scaling-group", err)
	}
	if b.err == nil {
		_, err := b.asg.UpdateAutoScalingGroup(ctx, &autoscaling.UpdateAutoScalingGroupInput{AutoScalingGroupName: aws.String("prod-app-asg"),
			VPCZoneIdentifier: aws.String(appB + "," + appA), MinSize: aws.Int32(2), DesiredCapacity: aws.Int32(2)})
		b.check("update-auto-scaling-group", err)
	}
	if b.err == nil {
		_, err := b.asg.UpdateAutoScalingGroup(ctx, &autoscaling.UpdateAutoScalingGroupInput{AutoScalingGroupName: aws.String("prod-app-asg"), VPCZoneIdentifier: aws.String(appA + "," + appB)})
		b.check("update-auto-scaling-group", err)
	}
	if b.err == nil {
		_, err := b.asg.PutScalingPolicy(ctx, &autoscaling.PutScalingPolicyInput{AutoScalingGroupName: aws.String("prod-app-asg"), PolicyName: aws.String("cpu-target-50"),
			PolicyType: aws.String("TargetTrackingScaling"), EstimatedInstanceWarmup: aws.Int32(300),
			TargetTrackingConfiguration: &asgtypes.TargetTrackingConfiguration{PredefinedMetricSpecification: &asgtypes.PredefinedMetricSpecification{PredefinedMetricType: asgtypes.MetricTypeASGAverageCPUUtilization},
				TargetValue: aws.Float64(50)}})
		b.check("put-scaling-policy", err)
	}

	if b.err == nil {
		_, err := b.rds.CreateDBSubnetGroup(ctx, &rds.CreateDBSubnetGroupInput{DBSubnetGroupName: aws.String("prod-db-subnets"), DBSubnetGroupDescription: aws.String("production database subnets"),
			SubnetIds: []string{dataA, dataB}, Tags: []rdstypes.Tag{{Key: aws.String("Environment"), Value: aws.String("production")}}})
		b.check("create-db-subnet-group", err)
	}
	if b.err == nil {
		_, err := b.rds.CreateDBInstance(ctx, &rds.CreateDBInstanceInput{DBInstanceIdentifier: aws.String("prod-db"), Engine: aws.String("mysql"), EngineVersion: aws.String("8.0.35"),
			DBInstanceClass: aws.String("db.t3.medium"), AllocatedStorage: aws.Int32(100), StorageType: aws.String("gp3"), StorageEncrypted: aws.Bool(true),
			MasterUsername: aws.String("admin"), MasterUserPassword: aws.String("not-a-secret-1"), DBSubnetGroupName: aws.String("prod-db-subnets"),
			VpcSecurityGroupIds: []string{dbSG}, PubliclyAccessible: aws.Bool(false), MultiAZ: aws.Bool(true), BackupRetentionPeriod: aws.Int32(7),
			Tags: []rdstypes.Tag{{Key: aws.String("Name"), Value: aws.String("prod-db")}, {Key: aws.String("Tier"), Value: aws.String("data")}, {Key: aws.String("Environment"), Value: aws.String("production")}}})
		b.check("create-db-instance", err)
	}
	return b.err
}
