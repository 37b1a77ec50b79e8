package estate

import "time"

// emit writes every file of the estate in a fixed order.
func (m *model) emit(e *emitter) error {
	type listing struct {
		service, command, key string
		n                     int
		item                  func(i int) any
	}
	ec2 := []listing{
		{"ec2", "describe-vpcs", "Vpcs", len(m.vpcs), func(i int) any { return &m.vpcs[i] }},
		{"ec2", "describe-subnets", "Subnets", len(m.subnets), func(i int) any { return m.subnet(i) }},
		{"ec2", "describe-route-tables", "RouteTables", len(m.routeTables), func(i int) any { return &m.routeTables[i] }},
		{"ec2", "describe-internet-gateways", "InternetGateways", len(m.igws), func(i int) any { return &m.igws[i] }},
		{"ec2", "describe-nat-gateways", "NatGateways", len(m.nats), func(i int) any { return &m.nats[i] }},
		{"ec2", "describe-addresses", "Addresses", len(m.addresses), func(i int) any { return &m.addresses[i] }},
		{"ec2", "describe-network-acls", "NetworkAcls", len(m.nacls), func(i int) any { return &m.nacls[i] }},
		{"ec2", "describe-security-groups", "SecurityGroups", len(m.sgs), func(i int) any { return m.sgs[i] }},
		{"ec2", "describe-security-group-rules", "SecurityGroupRules", len(m.sgRules), func(i int) any { return &m.sgRules[i] }},
		{"ec2", "describe-managed-prefix-lists", "PrefixLists", len(m.prefixLists), func(i int) any { return &m.prefixLists[i] }},
		{"ec2", "describe-instances", "Reservations", len(m.instances), func(i int) any { return m.reservation(m.instances[i]) }},
		{"ec2", "describe-network-interfaces", "NetworkInterfaces", len(m.instances) + len(m.enis), func(i int) any {
			if i < len(m.instances) {
				return m.instanceInterface(m.instances[i])
			}
			return &m.enis[i-len(m.instances)]
		}},
		{"ec2", "describe-launch-templates", "LaunchTemplates", len(m.launchTemplates), func(i int) any { return &m.launchTemplates[i] }},
		{"ec2", "describe-launch-template-versions", "LaunchTemplateVersions", len(m.ltVersions), func(i int) any { return &m.ltVersions[i] }},
		{"elbv2", "describe-load-balancers", "LoadBalancers", len(m.lbs), func(i int) any { return &m.lbs[i] }},
		{"elbv2", "describe-listeners", "Listeners", len(m.listeners), func(i int) any { return &m.listeners[i] }},
		{"elbv2", "describe-target-groups", "TargetGroups", len(m.tgs), func(i int) any { return &m.tgs[i] }},
		{"autoscaling", "describe-auto-scaling-groups", "AutoScalingGroups", len(m.asgs), func(i int) any { return &m.asgs[i] }},
		{"autoscaling", "describe-policies", "ScalingPolicies", len(m.policies), func(i int) any { return &m.policies[i] }},
		{"rds", "describe-db-instances", "DBInstances", len(m.dbs), func(i int) any { return &m.dbs[i] }},
		{"rds", "describe-db-subnet-groups", "DBSubnetGroups", len(m.dbSubnetGroups), func(i int) any { return &m.dbSubnetGroups[i] }},
	}
	for _, l := range ec2 {
		if err := e.list(l.service, l.command, l.key, l.n, l.item); err != nil {
			return err
		}
	}
	for i := range m.prefixEntries {
		d := &m.prefixEntries[i]
		if err := e.doc("ec2-get-managed-prefix-list-entries-"+d.PrefixListID+".json", d); err != nil {
			return err
		}
	}
	for i := range m.health {
		d := &m.health[i]
		if err := e.doc("elbv2-describe-target-health-"+m.tgs[i].TargetGroupName+".json", d); err != nil {
			return err
		}
	}
	return nil
}

// subnet renders the i-th subnet with its free address count.
func (m *model) subnet(i int) *subnetOut {
	s := m.subnets[i]
	out := s.out
	out.AvailableIPAddressCount = s.size - 5 - (s.next - 4)
	return &out
}

func (m *model) reservation(p *instancePlan) *reservationOut {
	return &reservationOut{
		Groups:        []struct{}{},
		Instances:     []instanceOut{m.instance(p)},
		OwnerID:       m.o.Account,
		ReservationID: p.reservationID,
	}
}

// association is the public address of an instance's primary interface, if any: an Elastic IP
// is owned by the account, an auto-assigned address by Amazon.
func (m *model) association(p *instancePlan) *ipAssociation {
	if p.publicIP == 0 {
		return nil
	}
	a := &ipAssociation{IPOwnerID: "amazon", PublicDNSName: m.publicDNS(p.publicIP), PublicIP: ipString(p.publicIP)}
	if p.eipAlloc != "" {
		a.IPOwnerID = m.o.Account
	}
	return a
}

func (m *model) instance(p *instancePlan) instanceOut {
	priv := ipString(p.privateIP)
	privDNS := m.privateDNS(p.privateIP)
	launch := stamp(p.launch)
	assoc := m.association(p)
	attach := "eni-attach-" + p.eniID[len("eni-"):]

	out := instanceOut{
		ImageID:          ami,
		InstanceID:       p.id,
		InstanceType:     p.kind.name,
		KeyName:          p.keyName,
		LaunchTime:       launch,
		Monitoring:       monitoring{State: "disabled"},
		Placement:        placement{AvailabilityZone: p.subnet.out.AvailabilityZone, Tenancy: "default"},
		PrivateDNSName:   privDNS,
		PrivateIPAddress: priv,
		ProductCodes:     []struct{}{},
		State:            instanceState{Code: 16, Name: "running"},
		SubnetID:         p.subnet.out.SubnetID,
		VpcID:            p.vpcID,
		Architecture:     "x86_64",
		ClientToken:      p.clientToken,
		EbsOptimized:     p.kind.ebsOptim,
		EnaSupport:       true,
		Hypervisor:       "xen",
		NetworkInterfaces: []instanceENI{{
			Association: assoc,
			Attachment: instanceENIAttachment{
				AttachTime: launch, AttachmentID: attach, DeleteOnTermination: true,
				DeviceIndex: 0, Status: "attached", NetworkCardIndex: 0,
			},
			Description:        "",
			Groups:             p.groups,
			Ipv6Addresses:      []struct{}{},
			MacAddress:         p.mac,
			NetworkInterfaceID: p.eniID,
			OwnerID:            m.o.Account,
			PrivateDNSName:     privDNS,
			PrivateIPAddress:   priv,
			PrivateIPAddresses: []privateIP{{Association: assoc, Primary: true, PrivateDNSName: privDNS, PrivateIPAddress: priv}},
			SourceDestCheck:    true,
			Status:             "in-use",
			SubnetID:           p.subnet.out.SubnetID,
			VpcID:              p.vpcID,
			InterfaceType:      "interface",
		}},
		RootDeviceName:     "/dev/xvda",
		RootDeviceType:     "ebs",
		SecurityGroups:     p.groups,
		SourceDestCheck:    true,
		Tags:               p.tags,
		VirtualizationType: "hvm",
		MetadataOptions: metadataOptions{
			State: "applied", HTTPTokens: "optional", HTTPPutResponseHopLimit: 1, HTTPEndpoint: "enabled",
			HTTPProtocolIpv6: "disabled", InstanceMetadataTags: "disabled",
		},
		PlatformDetails: "Linux/UNIX",
		UsageOperation:  "RunInstances",
	}
	if p.imdsv2 {
		out.MetadataOptions.HTTPTokens, out.MetadataOptions.HTTPPutResponseHopLimit = "required", 2
	}
	if assoc != nil {
		out.PublicDNSName, out.PublicIPAddress = assoc.PublicDNSName, assoc.PublicIP
	}
	if p.profile != "" {
		out.IamInstanceProfile = &iamProfile{
			Arn: "arn:aws:iam::" + m.o.Account + ":instance-profile/" + p.profile,
			ID:  "AIPA" + p.id[len(p.id)-16:],
		}
	}
	for i, vol := range p.volumes {
		dev := "/dev/xvda"
		if i > 0 {
			dev = "/dev/sd" + string(rune('e'+i))
		}
		out.BlockDeviceMappings = append(out.BlockDeviceMappings, blockDevice{
			DeviceName: dev,
			Ebs:        ebsDevice{AttachTime: launch, DeleteOnTermination: i == 0, Status: "attached", VolumeID: vol},
		})
	}
	if !p.running {
		stopped := p.launch.Add(time.Duration(p.privateIP%500+1) * time.Hour)
		out.State = instanceState{Code: 80, Name: "stopped"}
		out.StateTransitionReason = "User initiated (" + stopped.UTC().Format("2006-01-02 15:04:05") + " GMT)"
		out.StateReason = &stateReason{Code: "Client.UserInitiatedShutdown", Message: "Client.UserInitiatedShutdown: User initiated shutdown"}
	}
	return out
}

// instanceInterface renders an instance's primary interface as describe-network-interfaces lists it.
func (m *model) instanceInterface(p *instancePlan) *networkInterfaceOut {
	priv := ipString(p.privateIP)
	privDNS := m.privateDNS(p.privateIP)
	assoc := m.association(p)
	if assoc != nil && p.eipAlloc != "" {
		withIDs := *assoc
		withIDs.AllocationID, withIDs.AssociationID = p.eipAlloc, p.eipAssoc
		assoc = &withIDs
	}
	return &networkInterfaceOut{
		Association: assoc,
		Attachment: &eniAttachment{
			AttachTime: stamp(p.launch), AttachmentID: "eni-attach-" + p.eniID[len("eni-"):],
			DeleteOnTermination: true, DeviceIndex: 0, NetworkCardIndex: 0, InstanceID: p.id,
			InstanceOwnerID: m.o.Account, Status: "attached",
		},
		AvailabilityZone:   p.subnet.out.AvailabilityZone,
		Description:        "",
		Groups:             p.groups,
		InterfaceType:      "interface",
		Ipv6Addresses:      []struct{}{},
		MacAddress:         p.mac,
		NetworkInterfaceID: p.eniID,
		OwnerID:            m.o.Account,
		PrivateDNSName:     privDNS,
		PrivateIPAddress:   priv,
		PrivateIPAddresses: []privateIP{{Association: assoc, Primary: true, PrivateDNSName: privDNS, PrivateIPAddress: priv}},
		RequesterManaged:   false,
		SourceDestCheck:    true,
		Status:             "in-use",
		SubnetID:           p.subnet.out.SubnetID,
		TagSet:             []tag{},
		VpcID:              p.vpcID,
	}
}
