package live

import (
	"context"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	asgtypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbv2types "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
)

// target is one account and region being collected.
type target struct {
	account, region string
	cfg             aws.Config
	report          *RegionReport
	pageSize        int32

	once sync.Once
	cl   *clients
}

type clients struct {
	ec2   *ec2.Client
	elbv2 *elbv2.Client
	elb   *elb.Client
	asg   *autoscaling.Client
	rds   *rds.Client
	ecs   *ecs.Client
}

func (tg *target) clients() *clients {
	tg.once.Do(func() {
		tg.cl = &clients{
			ec2:   ec2.NewFromConfig(tg.cfg),
			elbv2: elbv2.NewFromConfig(tg.cfg),
			elb:   elb.NewFromConfig(tg.cfg),
			asg:   autoscaling.NewFromConfig(tg.cfg),
			rds:   rds.NewFromConfig(tg.cfg),
			ecs:   ecs.NewFromConfig(tg.cfg),
		}
	})
	return tg.cl
}

// task is one call (a paginated call counts as one) and the file it writes.
type task struct {
	// action is the IAM action of the call, for the report.
	action string
	// service and command name the file: <service>-<command>[-suffix].json;
	// no command: the call writes no file (ecs list-clusters).
	service, command, suffix string
	// camel: the API's member names are lowerCamel (ECS).
	camel bool
	run   func(ctx context.Context, d *doc) error
}

func (t task) fileName() string {
	name := t.service + "-" + t.command
	if t.suffix != "" {
		name += "-" + safeName(t.suffix)
	}
	return name + ".json"
}

// safeName keeps a resource name usable in a file name.
func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, s)
}

// pages writes every page's items as elements of the list member key.
func pages[O, Opt, T any](ctx context.Context, d *doc, key string, more func() bool,
	next func(context.Context, ...func(*Opt)) (O, error), items func(O) []T) error {
	d.list(key)
	for more() {
		out, err := next(ctx)
		if err != nil {
			return err
		}
		for _, it := range items(out) {
			d.item(it)
		}
		d.pages++
	}
	return nil
}

// region schedules the calls of one region. describe-vpcs goes first: when
// it fails because the region is not enabled for the account (or cannot be
// reached), the region is recorded as skipped and nothing else is called.
func (col *collector) region(ctx context.Context, wg *sync.WaitGroup, tg *target) {
	cl := tg.clients()
	probe := task{action: "ec2:DescribeVpcs", service: "ec2", command: "describe-vpcs", run: func(ctx context.Context, d *doc) error {
		p := ec2.NewDescribeVpcsPaginator(cl.ec2, &ec2.DescribeVpcsInput{})
		return pages(ctx, d, "Vpcs", p.HasMorePages, p.NextPage, func(o *ec2.DescribeVpcsOutput) []ec2types.Vpc { return o.Vpcs })
	}}
	col.spawn(ctx, wg, tg, probe, func(ok bool) {
		if !ok && col.regionDown(tg) {
			return
		}
		for _, t := range col.regionTasks(ctx, wg, tg) {
			col.spawn(ctx, wg, tg, t.task, t.after)
		}
	})
}

// regionDown reports whether the last failure of the region says the
// region cannot be used, and marks it skipped.
func (col *collector) regionDown(tg *target) bool {
	col.mu.Lock()
	var last *Failure
	for i := range col.report.Failures {
		f := &col.report.Failures[i]
		if f.Account == tg.account && f.Region == tg.region && f.Operation == "ec2:DescribeVpcs" {
			last = f
		}
	}
	col.mu.Unlock()
	if last == nil || !isRegionDown(last.Code) {
		return false
	}
	why := "not enabled for the account or not reachable: " + last.Code
	if last.Code == "OptInRequired" {
		why = "opt-in region not enabled for the account"
	}
	col.skipRegion(tg, why)
	return true
}

// followed is a task and what to do once it succeeded.
type followed struct {
	task  task
	after func(ok bool)
}

// regionTasks lists the calls of a region after describe-vpcs: every
// describe operation the describe reader reads.
func (col *collector) regionTasks(ctx context.Context, wg *sync.WaitGroup, tg *target) []followed {
	cl := tg.clients()
	simple := func(action, command string, run func(ctx context.Context, d *doc) error) followed {
		service, _, _ := strings.Cut(action, ":")
		if service == "elasticloadbalancing" {
			service = "elb"
		}
		return followed{task: task{action: action, service: service, command: command, run: run}}
	}
	var out []followed
	add := func(f followed) { out = append(out, f) }

	// EC2.
	add(simple("ec2:DescribeSubnets", "describe-subnets", func(ctx context.Context, d *doc) error {
		p := ec2.NewDescribeSubnetsPaginator(cl.ec2, &ec2.DescribeSubnetsInput{})
		return pages(ctx, d, "Subnets", p.HasMorePages, p.NextPage, func(o *ec2.DescribeSubnetsOutput) []ec2types.Subnet { return o.Subnets })
	}))
	add(simple("ec2:DescribeRouteTables", "describe-route-tables", func(ctx context.Context, d *doc) error {
		p := ec2.NewDescribeRouteTablesPaginator(cl.ec2, &ec2.DescribeRouteTablesInput{})
		return pages(ctx, d, "RouteTables", p.HasMorePages, p.NextPage, func(o *ec2.DescribeRouteTablesOutput) []ec2types.RouteTable { return o.RouteTables })
	}))
	add(simple("ec2:DescribeInternetGateways", "describe-internet-gateways", func(ctx context.Context, d *doc) error {
		p := ec2.NewDescribeInternetGatewaysPaginator(cl.ec2, &ec2.DescribeInternetGatewaysInput{})
		return pages(ctx, d, "InternetGateways", p.HasMorePages, p.NextPage, func(o *ec2.DescribeInternetGatewaysOutput) []ec2types.InternetGateway {
			return o.InternetGateways
		})
	}))
	add(simple("ec2:DescribeEgressOnlyInternetGateways", "describe-egress-only-internet-gateways", func(ctx context.Context, d *doc) error {
		p := ec2.NewDescribeEgressOnlyInternetGatewaysPaginator(cl.ec2, &ec2.DescribeEgressOnlyInternetGatewaysInput{})
		return pages(ctx, d, "EgressOnlyInternetGateways", p.HasMorePages, p.NextPage, func(o *ec2.DescribeEgressOnlyInternetGatewaysOutput) []ec2types.EgressOnlyInternetGateway {
			return o.EgressOnlyInternetGateways
		})
	}))
	add(simple("ec2:DescribeNatGateways", "describe-nat-gateways", func(ctx context.Context, d *doc) error {
		p := ec2.NewDescribeNatGatewaysPaginator(cl.ec2, &ec2.DescribeNatGatewaysInput{})
		return pages(ctx, d, "NatGateways", p.HasMorePages, p.NextPage, func(o *ec2.DescribeNatGatewaysOutput) []ec2types.NatGateway { return o.NatGateways })
	}))
	add(simple("ec2:DescribeAddresses", "describe-addresses", func(ctx context.Context, d *doc) error {
		o, err := cl.ec2.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{})
		if err != nil {
			return err
		}
		d.list("Addresses")
		for _, a := range o.Addresses {
			d.item(a)
		}
		d.pages++
		return nil
	}))
	add(simple("ec2:DescribeSecurityGroups", "describe-security-groups", func(ctx context.Context, d *doc) error {
		p := ec2.NewDescribeSecurityGroupsPaginator(cl.ec2, &ec2.DescribeSecurityGroupsInput{})
		return pages(ctx, d, "SecurityGroups", p.HasMorePages, p.NextPage, func(o *ec2.DescribeSecurityGroupsOutput) []ec2types.SecurityGroup { return o.SecurityGroups })
	}))
	add(simple("ec2:DescribeSecurityGroupRules", "describe-security-group-rules", func(ctx context.Context, d *doc) error {
		p := ec2.NewDescribeSecurityGroupRulesPaginator(cl.ec2, &ec2.DescribeSecurityGroupRulesInput{})
		return pages(ctx, d, "SecurityGroupRules", p.HasMorePages, p.NextPage, func(o *ec2.DescribeSecurityGroupRulesOutput) []ec2types.SecurityGroupRule {
			return o.SecurityGroupRules
		})
	}))
	add(simple("ec2:DescribeInstances", "describe-instances", func(ctx context.Context, d *doc) error {
		p := ec2.NewDescribeInstancesPaginator(cl.ec2, &ec2.DescribeInstancesInput{MaxResults: aws.Int32(tg.pageSize)})
		return pages(ctx, d, "Reservations", p.HasMorePages, p.NextPage, func(o *ec2.DescribeInstancesOutput) []ec2types.Reservation { return o.Reservations })
	}))
	add(simple("ec2:DescribeNetworkInterfaces", "describe-network-interfaces", func(ctx context.Context, d *doc) error {
		p := ec2.NewDescribeNetworkInterfacesPaginator(cl.ec2, &ec2.DescribeNetworkInterfacesInput{MaxResults: aws.Int32(tg.pageSize)})
		return pages(ctx, d, "NetworkInterfaces", p.HasMorePages, p.NextPage, func(o *ec2.DescribeNetworkInterfacesOutput) []ec2types.NetworkInterface {
			return o.NetworkInterfaces
		})
	}))
	add(simple("ec2:DescribeNetworkAcls", "describe-network-acls", func(ctx context.Context, d *doc) error {
		p := ec2.NewDescribeNetworkAclsPaginator(cl.ec2, &ec2.DescribeNetworkAclsInput{})
		return pages(ctx, d, "NetworkAcls", p.HasMorePages, p.NextPage, func(o *ec2.DescribeNetworkAclsOutput) []ec2types.NetworkAcl { return o.NetworkAcls })
	}))
	add(simple("ec2:DescribeVpcEndpoints", "describe-vpc-endpoints", func(ctx context.Context, d *doc) error {
		p := ec2.NewDescribeVpcEndpointsPaginator(cl.ec2, &ec2.DescribeVpcEndpointsInput{})
		return pages(ctx, d, "VpcEndpoints", p.HasMorePages, p.NextPage, func(o *ec2.DescribeVpcEndpointsOutput) []ec2types.VpcEndpoint { return o.VpcEndpoints })
	}))
	add(simple("ec2:DescribeVpcPeeringConnections", "describe-vpc-peering-connections", func(ctx context.Context, d *doc) error {
		p := ec2.NewDescribeVpcPeeringConnectionsPaginator(cl.ec2, &ec2.DescribeVpcPeeringConnectionsInput{})
		return pages(ctx, d, "VpcPeeringConnections", p.HasMorePages, p.NextPage, func(o *ec2.DescribeVpcPeeringConnectionsOutput) []ec2types.VpcPeeringConnection {
			return o.VpcPeeringConnections
		})
	}))
	add(simple("ec2:DescribeVolumes", "describe-volumes", func(ctx context.Context, d *doc) error {
		p := ec2.NewDescribeVolumesPaginator(cl.ec2, &ec2.DescribeVolumesInput{})
		return pages(ctx, d, "Volumes", p.HasMorePages, p.NextPage, func(o *ec2.DescribeVolumesOutput) []ec2types.Volume { return o.Volumes })
	}))
	add(simple("ec2:DescribeTransitGatewayAttachments", "describe-transit-gateway-attachments", func(ctx context.Context, d *doc) error {
		p := ec2.NewDescribeTransitGatewayAttachmentsPaginator(cl.ec2, &ec2.DescribeTransitGatewayAttachmentsInput{})
		return pages(ctx, d, "TransitGatewayAttachments", p.HasMorePages, p.NextPage, func(o *ec2.DescribeTransitGatewayAttachmentsOutput) []ec2types.TransitGatewayAttachment {
			return o.TransitGatewayAttachments
		})
	}))
	var prefixLists []string
	pl := simple("ec2:DescribeManagedPrefixLists", "describe-managed-prefix-lists", func(ctx context.Context, d *doc) error {
		p := ec2.NewDescribeManagedPrefixListsPaginator(cl.ec2, &ec2.DescribeManagedPrefixListsInput{})
		return pages(ctx, d, "PrefixLists", p.HasMorePages, p.NextPage, func(o *ec2.DescribeManagedPrefixListsOutput) []ec2types.ManagedPrefixList {
			for _, l := range o.PrefixLists {
				prefixLists = append(prefixLists, aws.ToString(l.PrefixListId))
			}
			return o.PrefixLists
		})
	})
	pl.after = func(ok bool) {
		for _, id := range prefixLists {
			col.spawn(ctx, wg, tg, task{action: "ec2:GetManagedPrefixListEntries", service: "ec2", command: "get-managed-prefix-list-entries", suffix: id,
				run: func(ctx context.Context, d *doc) error {
					// The plain output does not name the list: the file
					// starts with it, as the describe reader expects.
					d.member("PrefixListId", id)
					p := ec2.NewGetManagedPrefixListEntriesPaginator(cl.ec2, &ec2.GetManagedPrefixListEntriesInput{PrefixListId: aws.String(id)})
					return pages(ctx, d, "Entries", p.HasMorePages, p.NextPage, func(o *ec2.GetManagedPrefixListEntriesOutput) []ec2types.PrefixListEntry { return o.Entries })
				}}, nil)
		}
	}
	add(pl)
	templates := 0
	lt := simple("ec2:DescribeLaunchTemplates", "describe-launch-templates", func(ctx context.Context, d *doc) error {
		p := ec2.NewDescribeLaunchTemplatesPaginator(cl.ec2, &ec2.DescribeLaunchTemplatesInput{})
		return pages(ctx, d, "LaunchTemplates", p.HasMorePages, p.NextPage, func(o *ec2.DescribeLaunchTemplatesOutput) []ec2types.LaunchTemplate {
			templates += len(o.LaunchTemplates)
			return o.LaunchTemplates
		})
	})
	lt.after = func(ok bool) {
		if templates == 0 {
			return
		}
		col.spawn(ctx, wg, tg, task{action: "ec2:DescribeLaunchTemplateVersions", service: "ec2", command: "describe-launch-template-versions",
			run: func(ctx context.Context, d *doc) error {
				// The latest version of every template in one call.
				p := ec2.NewDescribeLaunchTemplateVersionsPaginator(cl.ec2, &ec2.DescribeLaunchTemplateVersionsInput{Versions: []string{"$Latest"}})
				return pages(ctx, d, "LaunchTemplateVersions", p.HasMorePages, p.NextPage, func(o *ec2.DescribeLaunchTemplateVersionsOutput) []ec2types.LaunchTemplateVersion {
					return o.LaunchTemplateVersions
				})
			}}, nil)
	}
	add(lt)

	// ELBv2: load balancers and their listeners, target groups and their
	// targets' health.
	type named struct{ arn, name string }
	var lbs []named
	lb := simple("elasticloadbalancing:DescribeLoadBalancers", "describe-load-balancers", func(ctx context.Context, d *doc) error {
		p := elbv2.NewDescribeLoadBalancersPaginator(cl.elbv2, &elbv2.DescribeLoadBalancersInput{})
		return pages(ctx, d, "LoadBalancers", p.HasMorePages, p.NextPage, func(o *elbv2.DescribeLoadBalancersOutput) []elbv2types.LoadBalancer {
			for _, l := range o.LoadBalancers {
				lbs = append(lbs, named{aws.ToString(l.LoadBalancerArn), aws.ToString(l.LoadBalancerName)})
			}
			return o.LoadBalancers
		})
	})
	lb.task.service = "elbv2"
	lb.after = func(ok bool) {
		for _, l := range lbs {
			col.spawn(ctx, wg, tg, task{action: "elasticloadbalancing:DescribeListeners", service: "elbv2", command: "describe-listeners", suffix: l.name,
				run: func(ctx context.Context, d *doc) error {
					p := elbv2.NewDescribeListenersPaginator(cl.elbv2, &elbv2.DescribeListenersInput{LoadBalancerArn: aws.String(l.arn)})
					return pages(ctx, d, "Listeners", p.HasMorePages, p.NextPage, func(o *elbv2.DescribeListenersOutput) []elbv2types.Listener { return o.Listeners })
				}}, nil)
		}
	}
	add(lb)
	var tgs []named
	tgt := simple("elasticloadbalancing:DescribeTargetGroups", "describe-target-groups", func(ctx context.Context, d *doc) error {
		p := elbv2.NewDescribeTargetGroupsPaginator(cl.elbv2, &elbv2.DescribeTargetGroupsInput{})
		return pages(ctx, d, "TargetGroups", p.HasMorePages, p.NextPage, func(o *elbv2.DescribeTargetGroupsOutput) []elbv2types.TargetGroup {
			for _, g := range o.TargetGroups {
				tgs = append(tgs, named{aws.ToString(g.TargetGroupArn), aws.ToString(g.TargetGroupName)})
			}
			return o.TargetGroups
		})
	})
	tgt.task.service = "elbv2"
	tgt.after = func(ok bool) {
		for _, g := range tgs {
			col.spawn(ctx, wg, tg, task{action: "elasticloadbalancing:DescribeTargetHealth", service: "elbv2", command: "describe-target-health", suffix: g.name,
				run: func(ctx context.Context, d *doc) error {
					o, err := cl.elbv2.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: aws.String(g.arn)})
					if err != nil {
						return err
					}
					// The plain output does not name the group: the file
					// starts with it, as the describe reader expects.
					d.member("TargetGroupArn", g.arn)
					d.list("TargetHealthDescriptions")
					for _, h := range o.TargetHealthDescriptions {
						d.item(h)
					}
					d.pages++
					return nil
				}}, nil)
		}
	}
	add(tgt)

	// Classic load balancers.
	add(simple("elasticloadbalancing:DescribeLoadBalancers", "describe-load-balancers", func(ctx context.Context, d *doc) error {
		p := elb.NewDescribeLoadBalancersPaginator(cl.elb, &elb.DescribeLoadBalancersInput{})
		return pages(ctx, d, "LoadBalancerDescriptions", p.HasMorePages, p.NextPage, func(o *elb.DescribeLoadBalancersOutput) []elbtypes.LoadBalancerDescription {
			return o.LoadBalancerDescriptions
		})
	}))

	// Auto Scaling.
	add(simple("autoscaling:DescribeAutoScalingGroups", "describe-auto-scaling-groups", func(ctx context.Context, d *doc) error {
		p := autoscaling.NewDescribeAutoScalingGroupsPaginator(cl.asg, &autoscaling.DescribeAutoScalingGroupsInput{})
		return pages(ctx, d, "AutoScalingGroups", p.HasMorePages, p.NextPage, func(o *autoscaling.DescribeAutoScalingGroupsOutput) []asgtypes.AutoScalingGroup {
			return o.AutoScalingGroups
		})
	}))
	add(simple("autoscaling:DescribePolicies", "describe-policies", func(ctx context.Context, d *doc) error {
		p := autoscaling.NewDescribePoliciesPaginator(cl.asg, &autoscaling.DescribePoliciesInput{})
		return pages(ctx, d, "ScalingPolicies", p.HasMorePages, p.NextPage, func(o *autoscaling.DescribePoliciesOutput) []asgtypes.ScalingPolicy { return o.ScalingPolicies })
	}))

	// RDS.
	add(simple("rds:DescribeDBInstances", "describe-db-instances", func(ctx context.Context, d *doc) error {
		p := rds.NewDescribeDBInstancesPaginator(cl.rds, &rds.DescribeDBInstancesInput{})
		return pages(ctx, d, "DBInstances", p.HasMorePages, p.NextPage, func(o *rds.DescribeDBInstancesOutput) []rdstypes.DBInstance { return o.DBInstances })
	}))
	add(simple("rds:DescribeDBClusters", "describe-db-clusters", func(ctx context.Context, d *doc) error {
		p := rds.NewDescribeDBClustersPaginator(cl.rds, &rds.DescribeDBClustersInput{})
		return pages(ctx, d, "DBClusters", p.HasMorePages, p.NextPage, func(o *rds.DescribeDBClustersOutput) []rdstypes.DBCluster { return o.DBClusters })
	}))
	add(simple("rds:DescribeDBSubnetGroups", "describe-db-subnet-groups", func(ctx context.Context, d *doc) error {
		p := rds.NewDescribeDBSubnetGroupsPaginator(cl.rds, &rds.DescribeDBSubnetGroupsInput{})
		return pages(ctx, d, "DBSubnetGroups", p.HasMorePages, p.NextPage, func(o *rds.DescribeDBSubnetGroupsOutput) []rdstypes.DBSubnetGroup { return o.DBSubnetGroups })
	}))

	// ECS: the services of every cluster, one file per cluster.
	var clusters []string
	lc := followed{task: task{action: "ecs:ListClusters", run: func(ctx context.Context, _ *doc) error {
		p := ecs.NewListClustersPaginator(cl.ecs, &ecs.ListClustersInput{})
		for p.HasMorePages() {
			o, err := p.NextPage(ctx)
			if err != nil {
				return err
			}
			clusters = append(clusters, o.ClusterArns...)
		}
		return nil
	}}}
	lc.after = func(ok bool) {
		for _, arn := range clusters {
			var services []string
			ls := task{action: "ecs:ListServices", run: func(ctx context.Context, _ *doc) error {
				p := ecs.NewListServicesPaginator(cl.ecs, &ecs.ListServicesInput{Cluster: aws.String(arn)})
				for p.HasMorePages() {
					o, err := p.NextPage(ctx)
					if err != nil {
						return err
					}
					services = append(services, o.ServiceArns...)
				}
				return nil
			}}
			col.spawn(ctx, wg, tg, ls, func(ok bool) {
				if !ok {
					return
				}
				col.spawn(ctx, wg, tg, task{action: "ecs:DescribeServices", service: "ecs", command: "describe-services", suffix: clusterName(arn), camel: true,
					run: func(ctx context.Context, d *doc) error {
						var failures []ecstypes.Failure
						d.list("services")
						for i := 0; i < len(services); i += 10 {
							o, err := cl.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(arn), Services: services[i:min(i+10, len(services))]})
							if err != nil {
								return err
							}
							for _, s := range o.Services {
								d.item(s)
							}
							failures = append(failures, o.Failures...)
							d.pages++
						}
						d.list("failures")
						for _, f := range failures {
							d.item(f)
						}
						return nil
					}}, nil)
			})
		}
	}
	add(lc)
	return out
}

// clusterName is the name part of an ECS cluster ARN.
func clusterName(arn string) string {
	if i := strings.LastIndexByte(arn, '/'); i >= 0 {
		return arn[i+1:]
	}
	return arn
}
