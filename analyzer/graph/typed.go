package graph

// All returns the nodes of kind k as their concrete type T, sorted by id.
func All[T Node](g *Graph, k Kind) []T {
	ns := g.Of(k)
	out := make([]T, 0, len(ns))
	for _, n := range ns {
		if t, ok := n.(T); ok {
			out = append(out, t)
		}
	}
	return out
}

// Get returns the node with id as type T, or the zero T and false.
func Get[T Node](g *Graph, id string) (T, bool) {
	t, ok := g.nodes[id].(T)
	return t, ok
}

// VPCs returns the VPCs sorted by id.
func (g *Graph) VPCs() []*VPC { return All[*VPC](g, KindVPC) }

// Subnets returns the subnets sorted by id.
func (g *Graph) Subnets() []*Subnet { return All[*Subnet](g, KindSubnet) }

// RouteTables returns the route tables sorted by id.
func (g *Graph) RouteTables() []*RouteTable { return All[*RouteTable](g, KindRouteTable) }

// InternetGateways returns the internet gateways sorted by id.
func (g *Graph) InternetGateways() []*InternetGateway {
	return All[*InternetGateway](g, KindInternetGateway)
}

// EgressOnlyInternetGateways returns the egress-only gateways sorted by id.
func (g *Graph) EgressOnlyInternetGateways() []*EgressOnlyInternetGateway {
	return All[*EgressOnlyInternetGateway](g, KindEgressOnlyInternetGateway)
}

// NATGateways returns the NAT gateways sorted by id.
func (g *Graph) NATGateways() []*NATGateway { return All[*NATGateway](g, KindNATGateway) }

// EIPs returns the Elastic IPs sorted by id.
func (g *Graph) EIPs() []*EIP { return All[*EIP](g, KindEIP) }

// SecurityGroups returns the security groups sorted by id.
func (g *Graph) SecurityGroups() []*SecurityGroup { return All[*SecurityGroup](g, KindSecurityGroup) }

// NetworkACLs returns the network ACLs sorted by id.
func (g *Graph) NetworkACLs() []*NetworkACL { return All[*NetworkACL](g, KindNetworkACL) }

// PrefixLists returns the managed prefix lists sorted by id.
func (g *Graph) PrefixLists() []*PrefixList { return All[*PrefixList](g, KindPrefixList) }

// Instances returns the EC2 instances sorted by id.
func (g *Graph) Instances() []*Instance { return All[*Instance](g, KindInstance) }

// NetworkInterfaces returns the ENIs sorted by id.
func (g *Graph) NetworkInterfaces() []*NetworkInterface {
	return All[*NetworkInterface](g, KindNetworkInterface)
}

// LoadBalancers returns the load balancers sorted by id.
func (g *Graph) LoadBalancers() []*LoadBalancer { return All[*LoadBalancer](g, KindLoadBalancer) }

// Listeners returns the listeners sorted by id.
func (g *Graph) Listeners() []*Listener { return All[*Listener](g, KindListener) }

// TargetGroups returns the target groups sorted by id.
func (g *Graph) TargetGroups() []*TargetGroup { return All[*TargetGroup](g, KindTargetGroup) }

// AutoScalingGroups returns the Auto Scaling groups sorted by id.
func (g *Graph) AutoScalingGroups() []*AutoScalingGroup {
	return All[*AutoScalingGroup](g, KindAutoScalingGroup)
}

// LaunchTemplates returns the launch templates sorted by id.
func (g *Graph) LaunchTemplates() []*LaunchTemplate {
	return All[*LaunchTemplate](g, KindLaunchTemplate)
}

// DBInstances returns the RDS instances sorted by id.
func (g *Graph) DBInstances() []*DBInstance { return All[*DBInstance](g, KindDBInstance) }

// DBClusters returns the RDS clusters sorted by id.
func (g *Graph) DBClusters() []*DBCluster { return All[*DBCluster](g, KindDBCluster) }

// DBSubnetGroups returns the DB subnet groups sorted by id.
func (g *Graph) DBSubnetGroups() []*DBSubnetGroup { return All[*DBSubnetGroup](g, KindDBSubnetGroup) }

// VPCEndpoints returns the VPC endpoints sorted by id.
func (g *Graph) VPCEndpoints() []*VPCEndpoint { return All[*VPCEndpoint](g, KindVPCEndpoint) }

// VPCPeerings returns the peering connections sorted by id.
func (g *Graph) VPCPeerings() []*VPCPeering { return All[*VPCPeering](g, KindVPCPeering) }

// TransitGateways returns the transit gateways sorted by id.
func (g *Graph) TransitGateways() []*TransitGateway {
	return All[*TransitGateway](g, KindTransitGateway)
}

// TransitGatewayAttachments returns the TGW attachments sorted by id.
func (g *Graph) TransitGatewayAttachments() []*TransitGatewayAttachment {
	return All[*TransitGatewayAttachment](g, KindTransitGatewayAttachment)
}

// ECSServices returns the ECS services sorted by id.
func (g *Graph) ECSServices() []*ECSService { return All[*ECSService](g, KindECSService) }

// Volumes returns the EBS volumes sorted by id.
func (g *Graph) Volumes() []*Volume { return All[*Volume](g, KindVolume) }
