package describe

import (
	"context"
	"encoding/json"
	"fmt"
	"syscall"
	"testing"
	"time"
)

// cpuTime returns the user and system CPU time of the process so far.
func cpuTime(tb testing.TB) time.Duration {
	tb.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// obj is a JSON object of the generated estate.
type obj = map[string]any

// genEstate writes describe dumps of an estate of n instances, shaped like
// the AWS CLI's output (four-space indentation, the same members): VPCs,
// subnets, route tables, NACLs, security groups referencing each other,
// instances with their ENIs, load balancers, target groups, Auto Scaling
// groups and RDS instances.
func genEstate(tb testing.TB, n int) []File {
	tb.Helper()
	const acct = "123456789012"
	nVPC := max(1, n/2000)
	nSubnet := max(4, n/50)
	nSG := max(4, n/10)
	tags := func(name string) []obj { return []obj{{"Key": "Name", "Value": name}, {"Key": "env", "Value": "prod"}} }
	vpcID := func(i int) string { return fmt.Sprintf("vpc-%017x", i+1) }
	subnetID := func(i int) string { return fmt.Sprintf("subnet-%017x", i+1) }
	sgID := func(i int) string { return fmt.Sprintf("sg-%017x", i+1) }

	var vpcs, subnets, rts, acls, sgs, res, enis []obj
	for v := range nVPC {
		vpcs = append(vpcs, obj{"CidrBlock": fmt.Sprintf("10.%d.0.0/16", v%256), "DhcpOptionsId": "dopt-1", "State": "available", "VpcId": vpcID(v), "OwnerId": acct, "InstanceTenancy": "default",
			"CidrBlockAssociationSet": []obj{{"AssociationId": "vpc-cidr-assoc-1", "CidrBlock": fmt.Sprintf("10.%d.0.0/16", v%256), "CidrBlockState": obj{"State": "associated"}}}, "IsDefault": false, "Tags": tags(fmt.Sprintf("vpc-%d", v))})
		rts = append(rts, obj{"Associations": []obj{{"Main": true, "RouteTableAssociationId": fmt.Sprintf("rtbassoc-%017x", v), "RouteTableId": fmt.Sprintf("rtb-%017x", v), "AssociationState": obj{"State": "associated"}}},
			"PropagatingVgws": []obj{}, "RouteTableId": fmt.Sprintf("rtb-%017x", v), "VpcId": vpcID(v), "OwnerId": acct, "Tags": tags("main"),
			"Routes": []obj{
				{"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active"},
				{"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": fmt.Sprintf("igw-%017x", v), "Origin": "CreateRoute", "State": "active"},
			}})
		acls = append(acls, obj{"Associations": []obj{}, "Entries": []obj{
			{"CidrBlock": "0.0.0.0/0", "Egress": true, "Protocol": "-1", "RuleAction": "allow", "RuleNumber": 100},
			{"CidrBlock": "0.0.0.0/0", "Egress": false, "Protocol": "6", "PortRange": obj{"From": 443, "To": 443}, "RuleAction": "allow", "RuleNumber": 100},
			{"CidrBlock": "0.0.0.0/0", "Egress": false, "Protocol": "-1", "RuleAction": "deny", "RuleNumber": 32767},
		}, "IsDefault": true, "NetworkAclId": fmt.Sprintf("acl-%017x", v), "Tags": []obj{}, "VpcId": vpcID(v), "OwnerId": acct})
	}
	for s := range nSubnet {
		subnets = append(subnets, obj{"AvailabilityZone": "us-east-1a", "AvailabilityZoneId": "use1-az1", "AvailableIpAddressCount": 250, "CidrBlock": fmt.Sprintf("10.%d.%d.0/24", s/256%256, s%256),
			"DefaultForAz": false, "MapPublicIpOnLaunch": s%4 == 0, "State": "available", "SubnetId": subnetID(s), "VpcId": vpcID(s % nVPC), "OwnerId": acct,
			"AssignIpv6AddressOnCreation": false, "Ipv6CidrBlockAssociationSet": []obj{}, "Tags": tags(fmt.Sprintf("subnet-%d", s)),
			"SubnetArn": fmt.Sprintf("arn:aws:ec2:us-east-1:%s:subnet/%s", acct, subnetID(s))})
	}
	for g := range nSG {
		perms := []obj{
			{"FromPort": 443, "IpProtocol": "tcp", "IpRanges": []obj{{"CidrIp": "0.0.0.0/0", "Description": "https"}}, "Ipv6Ranges": []obj{}, "PrefixListIds": []obj{}, "ToPort": 443, "UserIdGroupPairs": []obj{}},
			{"FromPort": 22, "IpProtocol": "tcp", "IpRanges": []obj{{"CidrIp": "203.0.113.7/32"}}, "Ipv6Ranges": []obj{}, "PrefixListIds": []obj{}, "ToPort": 22, "UserIdGroupPairs": []obj{}},
			{"FromPort": 8080, "IpProtocol": "tcp", "IpRanges": []obj{}, "Ipv6Ranges": []obj{}, "PrefixListIds": []obj{}, "ToPort": 8080,
				"UserIdGroupPairs": []obj{{"GroupId": sgID((g + 1) % nSG), "UserId": acct}, {"GroupId": sgID((g + 7) % nSG), "UserId": acct}}},
		}
		sgs = append(sgs, obj{"Description": "generated", "GroupName": fmt.Sprintf("sg-%d", g), "IpPermissions": perms, "OwnerId": acct, "GroupId": sgID(g),
			"IpPermissionsEgress": []obj{{"IpProtocol": "-1", "IpRanges": []obj{{"CidrIp": "0.0.0.0/0"}}, "Ipv6Ranges": []obj{}, "PrefixListIds": []obj{}, "UserIdGroupPairs": []obj{}}},
			"Tags":                tags(fmt.Sprintf("sg-%d", g)), "VpcId": vpcID(g % nVPC)})
	}
	for i := range n {
		id := fmt.Sprintf("i-%017x", i+1)
		eni := fmt.Sprintf("eni-%017x", i+1)
		sub := subnetID(i % nSubnet)
		vpc := vpcID(i % nSubnet % nVPC)
		ip := fmt.Sprintf("10.%d.%d.%d", i/65536%256, i/256%256, i%256)
		groups := []obj{{"GroupName": fmt.Sprintf("sg-%d", i%nSG), "GroupId": sgID(i % nSG)}}
		ni := obj{"Attachment": obj{"AttachTime": "2024-03-01T10:00:00+00:00", "AttachmentId": "eni-attach-1", "DeleteOnTermination": true, "DeviceIndex": 0, "Status": "attached", "NetworkCardIndex": 0},
			"Description": "", "Groups": groups, "Ipv6Addresses": []obj{}, "MacAddress": "0a:00:00:00:00:01", "NetworkInterfaceId": eni, "OwnerId": acct,
			"PrivateDnsName": "ip-" + ip + ".ec2.internal", "PrivateIpAddress": ip,
			"PrivateIpAddresses": []obj{{"Primary": true, "PrivateDnsName": "ip-" + ip + ".ec2.internal", "PrivateIpAddress": ip}},
			"SourceDestCheck":    true, "Status": "in-use", "SubnetId": sub, "VpcId": vpc, "InterfaceType": "interface"}
		if i%5 == 0 {
			ni["Association"] = obj{"IpOwnerId": "amazon", "PublicDnsName": "", "PublicIp": fmt.Sprintf("54.1.%d.%d", i/256%256, i%256)}
		}
		inst := obj{"AmiLaunchIndex": 0, "ImageId": "ami-0123456789abcdef0", "InstanceId": id, "InstanceType": "t3.micro", "KeyName": "ops",
			"LaunchTime": "2024-03-01T10:00:00+00:00", "Monitoring": obj{"State": "disabled"},
			"Placement":      obj{"AvailabilityZone": "us-east-1a", "GroupName": "", "Tenancy": "default"},
			"PrivateDnsName": "ip-" + ip + ".ec2.internal", "PrivateIpAddress": ip, "ProductCodes": []obj{}, "PublicDnsName": "",
			"State": obj{"Code": 16, "Name": "running"}, "StateTransitionReason": "", "SubnetId": sub, "VpcId": vpc, "Architecture": "x86_64",
			"BlockDeviceMappings": []obj{{"DeviceName": "/dev/xvda", "Ebs": obj{"AttachTime": "2024-03-01T10:00:01+00:00", "DeleteOnTermination": true, "Status": "attached", "VolumeId": fmt.Sprintf("vol-%017x", i)}}},
			"ClientToken":         "", "EbsOptimized": false, "EnaSupport": true, "Hypervisor": "xen", "NetworkInterfaces": []obj{ni},
			"RootDeviceName": "/dev/xvda", "RootDeviceType": "ebs", "SecurityGroups": groups, "SourceDestCheck": true,
			"Tags":               []obj{{"Key": "Name", "Value": fmt.Sprintf("app-%d", i)}, {"Key": "aws:autoscaling:groupName", "Value": fmt.Sprintf("asg-%d", i%50)}},
			"VirtualizationType": "hvm", "CpuOptions": obj{"CoreCount": 1, "ThreadsPerCore": 2},
			"CapacityReservationSpecification": obj{"CapacityReservationPreference": "open"}, "HibernationOptions": obj{"Configured": false},
			"MetadataOptions": obj{"State": "applied", "HttpTokens": "required", "HttpPutResponseHopLimit": 2, "HttpEndpoint": "enabled", "HttpProtocolIpv6": "disabled", "InstanceMetadataTags": "disabled"},
			"EnclaveOptions":  obj{"Enabled": false}, "PlatformDetails": "Linux/UNIX", "UsageOperation": "RunInstances", "UsageOperationUpdateTime": "2024-03-01T10:00:00+00:00",
			"PrivateDnsNameOptions": obj{"HostnameType": "ip-name", "EnableResourceNameDnsARecord": false, "EnableResourceNameDnsAAAARecord": false},
			"MaintenanceOptions":    obj{"AutoRecovery": "default"}, "CurrentInstanceBootMode": "legacy-bios"}
		if i%5 == 0 {
			inst["PublicIpAddress"] = fmt.Sprintf("54.1.%d.%d", i/256%256, i%256)
		}
		res = append(res, obj{"Groups": []obj{}, "Instances": []obj{inst}, "OwnerId": acct, "ReservationId": fmt.Sprintf("r-%017x", i)})
		e := obj{"AvailabilityZone": "us-east-1a", "Description": "", "Groups": groups, "InterfaceType": "interface", "Ipv6Addresses": []obj{}, "MacAddress": "0a:00:00:00:00:01",
			"NetworkInterfaceId": eni, "OwnerId": acct, "PrivateDnsName": "ip-" + ip + ".ec2.internal", "PrivateIpAddress": ip,
			"PrivateIpAddresses": []obj{{"Primary": true, "PrivateDnsName": "ip-" + ip + ".ec2.internal", "PrivateIpAddress": ip}},
			"RequesterManaged":   false, "SourceDestCheck": true, "Status": "in-use", "SubnetId": sub, "TagSet": []obj{}, "VpcId": vpc,
			"Attachment": obj{"AttachTime": "2024-03-01T10:00:00+00:00", "AttachmentId": "eni-attach-1", "DeleteOnTermination": true, "DeviceIndex": 0, "NetworkCardIndex": 0, "InstanceId": id, "InstanceOwnerId": acct, "Status": "attached"}}
		if a, ok := ni["Association"]; ok {
			e["Association"] = a
		}
		enis = append(enis, e)
	}
	var lbs, tgs, asgs, dbs []obj
	for l := range max(1, n/200) {
		arn := fmt.Sprintf("arn:aws:elasticloadbalancing:us-east-1:%s:loadbalancer/app/lb-%d/%016x", acct, l, l)
		lbs = append(lbs, obj{"LoadBalancerArn": arn, "DNSName": fmt.Sprintf("lb-%d.elb.amazonaws.com", l), "CanonicalHostedZoneId": "Z35SXDOTRQ7X7K",
			"CreatedTime": "2024-03-01T10:00:00.000Z", "LoadBalancerName": fmt.Sprintf("lb-%d", l), "Scheme": "internet-facing", "VpcId": vpcID(l % nVPC),
			"State": obj{"Code": "active"}, "Type": "application", "IpAddressType": "ipv4", "SecurityGroups": []string{sgID(l % nSG)},
			"AvailabilityZones": []obj{{"ZoneName": "us-east-1a", "SubnetId": subnetID(0), "LoadBalancerAddresses": []obj{}}, {"ZoneName": "us-east-1b", "SubnetId": subnetID(1), "LoadBalancerAddresses": []obj{}}}})
		tgs = append(tgs, obj{"TargetGroupArn": fmt.Sprintf("arn:aws:elasticloadbalancing:us-east-1:%s:targetgroup/tg-%d/%016x", acct, l, l), "TargetGroupName": fmt.Sprintf("tg-%d", l),
			"Protocol": "HTTP", "Port": 8080, "VpcId": vpcID(l % nVPC), "HealthCheckProtocol": "HTTP", "HealthCheckPort": "traffic-port", "HealthCheckEnabled": true,
			"HealthCheckIntervalSeconds": 30, "HealthCheckTimeoutSeconds": 5, "HealthyThresholdCount": 5, "UnhealthyThresholdCount": 2, "HealthCheckPath": "/",
			"Matcher": obj{"HttpCode": "200"}, "LoadBalancerArns": []string{arn}, "TargetType": "instance", "ProtocolVersion": "HTTP1", "IpAddressType": "ipv4"})
	}
	for a := range 50 {
		asgs = append(asgs, obj{"AutoScalingGroupName": fmt.Sprintf("asg-%d", a), "AutoScalingGroupARN": fmt.Sprintf("arn:aws:autoscaling:us-east-1:%s:autoScalingGroup:x:autoScalingGroupName/asg-%d", acct, a),
			"LaunchTemplate": obj{"LaunchTemplateId": "lt-0123456789abcdef0", "LaunchTemplateName": "app", "Version": "$Default"}, "MinSize": 2, "MaxSize": 10, "DesiredCapacity": 4,
			"DefaultCooldown": 300, "AvailabilityZones": []string{"us-east-1a", "us-east-1b"}, "LoadBalancerNames": []string{}, "TargetGroupARNs": []string{},
			"HealthCheckType": "EC2", "HealthCheckGracePeriod": 300, "Instances": []obj{}, "CreatedTime": "2024-03-01T10:00:00.000Z", "SuspendedProcesses": []obj{},
			"VPCZoneIdentifier": subnetID(0) + "," + subnetID(1), "EnabledMetrics": []obj{}, "Tags": []obj{}, "TerminationPolicies": []string{"Default"}, "NewInstancesProtectedFromScaleIn": false})
	}
	for d := range max(1, n/500) {
		dbs = append(dbs, obj{"DBInstanceIdentifier": fmt.Sprintf("db-%d", d), "DBInstanceClass": "db.t3.micro", "Engine": "mysql", "DBInstanceStatus": "available",
			"Endpoint": obj{"Address": "db.example", "Port": 3306, "HostedZoneId": "Z2R2ITUGPM61AM"}, "AllocatedStorage": 20, "InstanceCreateTime": "2024-03-01T10:00:00.000Z",
			"VpcSecurityGroups": []obj{{"VpcSecurityGroupId": sgID(d % nSG), "Status": "active"}}, "AvailabilityZone": "us-east-1a",
			"DBSubnetGroup": obj{"DBSubnetGroupName": "db", "DBSubnetGroupDescription": "db", "VpcId": vpcID(0), "SubnetGroupStatus": "Complete",
				"Subnets": []obj{{"SubnetIdentifier": subnetID(2), "SubnetAvailabilityZone": obj{"Name": "us-east-1a"}, "SubnetStatus": "Active"}}},
			"MultiAZ": false, "EngineVersion": "8.0.35", "PubliclyAccessible": false, "StorageType": "gp2", "StorageEncrypted": true,
			"DBInstanceArn": fmt.Sprintf("arn:aws:rds:us-east-1:%s:db:db-%d", acct, d), "TagList": []obj{}})
	}
	file := func(name, key string, items []obj) File {
		data, err := json.MarshalIndent(obj{key: items}, "", "    ")
		if err != nil {
			tb.Fatal(err)
		}
		return File{Path: acct + "/us-east-1/" + name, Data: data}
	}
	return []File{
		file("ec2-describe-vpcs.json", "Vpcs", vpcs),
		file("ec2-describe-subnets.json", "Subnets", subnets),
		file("ec2-describe-route-tables.json", "RouteTables", rts),
		file("ec2-describe-network-acls.json", "NetworkAcls", acls),
		file("ec2-describe-security-groups.json", "SecurityGroups", sgs),
		file("ec2-describe-instances.json", "Reservations", res),
		file("ec2-describe-network-interfaces.json", "NetworkInterfaces", enis),
		file("elbv2-describe-load-balancers.json", "LoadBalancers", lbs),
		file("elbv2-describe-target-groups.json", "TargetGroups", tgs),
		file("autoscaling-describe-auto-scaling-groups.json", "AutoScalingGroups", asgs),
		file("rds-describe-db-instances.json", "DBInstances", dbs),
	}
}

func BenchmarkRead(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("instances=%d", n), func(b *testing.B) {
			files := genEstate(b, n)
			size := 0
			for _, f := range files {
				size += len(f.Data)
			}
			b.SetBytes(int64(size))
			b.ReportAllocs()
			cpu0 := cpuTime(b)
			b.ResetTimer()
			for b.Loop() {
				g := Read(context.Background(), files, Options{})
				if len(g.Diagnostics) > 0 {
					b.Fatal(g.Diagnostics[0].Error())
				}
				if got := len(g.Instances()); got != n {
					b.Fatalf("read %d instances, want %d", got, n)
				}
			}
			b.ReportMetric(float64(size)/1e6, "MB")
			// CPU time is steadier than wall time on a shared machine.
			b.ReportMetric(float64(cpuTime(b)-cpu0)/float64(b.N), "cpu-ns/op")
		})
	}
}
