package cloudformation

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/vpcgate/vpcgate/analyzer/aws"
	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// Suffixes of the ids of what AWS creates with every VPC.
const (
	mainRTSuffix     = "/MainRouteTable"
	defaultACLSuffix = "/DefaultNetworkAcl"
	defaultSGSuffix  = "/DefaultSecurityGroup"
)

// builder collects the typed nodes of every stack read, then completes
// them with what CloudFormation and AWS add implicitly.
type builder struct {
	nodes map[string]graph.Node
	// inlineEgress marks security groups whose SecurityGroupEgress property
	// is set (which removes AWS's default allow-all egress rule).
	inlineEgress map[string]bool
	// aclAssoc maps a subnet id to its explicitly associated network ACL.
	aclAssoc map[string]string
	// later holds the resources that modify other resources' nodes (routes,
	// rules, associations, scaling), applied once every node exists, in
	// two rounds.
	later [2][]func()
	// scalable maps an Application Auto Scaling target's node id to the
	// ECS service it scales.
	scalable map[string]string
	// eipUsers maps an Elastic IP to the load balancer whose subnet mapping
	// uses it.
	eipUsers map[string]string
	// eipWhy holds why an Elastic IP's association is not known, by its
	// node id ("" for every address: an association naming an unknown
	// one).
	eipWhy map[string][]string
}

func newBuilder() *builder {
	return &builder{nodes: map[string]graph.Node{}, inlineEgress: map[string]bool{}, aclAssoc: map[string]string{}, scalable: map[string]string{}, eipUsers: map[string]string{}, eipWhy: map[string][]string{}}
}

// rctx is the context of mapping one resource.
type rctx struct {
	s   *stack
	res *resource
	p   *val
	b   *graph.Base
}

// unknown records an attribute whose value is unknown.
func (c *rctx) unknown(attr string) {
	if c.b == nil || attr == "" {
		return
	}
	for _, u := range c.b.Unknown {
		if u == attr {
			return
		}
	}
	c.b.Unknown = append(c.b.Unknown, attr)
}

// field returns property key of parent, recording the attribute's range
// and whether it is unknown.
func (c *rctx) field(parent *val, key, attr string) *val {
	v := parent.get(key)
	if v == nil {
		return nil
	}
	if attr != "" && c.b != nil {
		if r, ok := parent.entryRange(key); ok {
			c.b.SetAttr(attr, r)
		}
	}
	if v.isUnknown() {
		c.unknown(attr)
		r, ok := parent.entryRange(key)
		if !ok {
			r = v.rng
		}
		c.unknownInfo(key, v, r)
	}
	return v
}

// unknownInfo reports, as information, a property whose value is known
// only after deployment: rules depending on it are undetermined.
func (c *rctx) unknownInfo(what string, v *val, r graph.Range) {
	c.s.info(r, "%s of %s is not known before deployment (%s); rules that depend on it are undetermined", what, c.res.logical, firstUnknown(v))
}

// firstUnknown returns the reason of the first unknown value in v.
func firstUnknown(v *val) string {
	if v == nil {
		return ""
	}
	switch v.kind {
	case vUnknown:
		return v.why
	case vList:
		for _, it := range v.list {
			if w := firstUnknown(it); w != "" {
				return w
			}
		}
	case vMap:
		for _, it := range v.vals {
			if w := firstUnknown(it); w != "" {
				return w
			}
		}
	}
	return ""
}

func (c *rctx) str(parent *val, key, attr string) string {
	s, _ := c.field(parent, key, attr).str()
	return s
}

func (c *rctx) id(parent *val, key, attr string) string {
	s, _ := c.field(parent, key, attr).id()
	return s
}

// ids reads a list of ids; unknown items are left out (and the attribute
// marked unknown).
func (c *rctx) ids(parent *val, key, attr string) []string {
	return idsOf(c.field(parent, key, attr))
}

func idsOf(v *val) []string {
	var out []string
	for _, it := range v.items() {
		if s, ok := it.id(); ok {
			out = append(out, s)
		}
	}
	return out
}

func (c *rctx) boolean(parent *val, key, attr string, def bool) bool {
	b, ok := c.field(parent, key, attr).boolean()
	if !ok {
		return def
	}
	return b
}

func (c *rctx) boolPtr(parent *val, key, attr string) *bool {
	b, ok := c.field(parent, key, attr).boolean()
	if !ok {
		return nil
	}
	return &b
}

func (c *rctx) integer(parent *val, key, attr string, def int) int {
	i, ok := c.field(parent, key, attr).integer()
	if !ok {
		return def
	}
	return i
}

// base builds the common fields of a node.
func (c *rctx) base(kind graph.Kind) graph.Base {
	s, res := c.s, c.res
	b := graph.Base{
		ID:   s.nodeID(res),
		Kind: kind,
		Source: graph.Source{
			Form:    graph.FormCloudFormation,
			Range:   res.ent.rng,
			Address: res.logical,
			Account: s.account,
			Region:  s.statedRegion(),
		},
	}
	if cp, ok := literal(res.def.get("Metadata").get("aws:cdk:path")); ok {
		b.Source.ConstructPath = cp
	}
	b.Tags = tagsOf(c.p.get("Tags"))
	b.Name = b.Tags["Name"]
	if p, ok := ownNameProps[res.typ]; ok && b.Name == "" {
		if v, ok := c.p.get(p).str(); ok {
			if strings.HasPrefix(res.typ, "AWS::RDS::") {
				v = strings.ToLower(v) // RDS stores identifiers in lower case
			}
			b.Name = v
		}
	}
	if res.condUnk {
		b.Unknown = append(b.Unknown, "condition")
	}
	b.Suppressions = s.suppressions(res)
	return b
}

// ownNameProps name the property that holds a resource's own name, its
// node name when it has no Name tag (as the other readers name it).
var ownNameProps = map[string]string{
	"AWS::AutoScaling::AutoScalingGroup":        "AutoScalingGroupName",
	"AWS::AutoScaling::LaunchConfiguration":     "LaunchConfigurationName",
	"AWS::EC2::LaunchTemplate":                  "LaunchTemplateName",
	"AWS::EC2::SecurityGroup":                   "GroupName",
	"AWS::EC2::PrefixList":                      "PrefixListName",
	"AWS::RDS::DBInstance":                      "DBInstanceIdentifier",
	"AWS::RDS::DBCluster":                       "DBClusterIdentifier",
	"AWS::RDS::DBSubnetGroup":                   "DBSubnetGroupName",
	"AWS::ElasticLoadBalancing::LoadBalancer":   "LoadBalancerName",
	"AWS::ElasticLoadBalancingV2::LoadBalancer": "Name",
	"AWS::ElasticLoadBalancingV2::TargetGroup":  "Name",
	"AWS::ECS::Service":                         "ServiceName",
}

// tagsOf reads [{Key, Value}] or {key: value} tags.
func tagsOf(v *val) map[string]string {
	if v == nil {
		return nil
	}
	out := map[string]string{}
	if v.kind == vMap {
		for i, k := range v.keys {
			if s, ok := v.vals[i].str(); ok {
				out[k] = s
			}
		}
	}
	for _, t := range v.items() {
		k, ok1 := t.get("Key").str()
		val, ok2 := t.get("Value").str()
		if ok1 && ok2 {
			out[k] = val
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// add registers a node; a second node with the same id is a diagnostic.
func (c *rctx) add(n graph.Node) {
	id := n.Meta().ID
	if old, ok := c.s.rd.b.nodes[id]; ok {
		c.s.rd.diag(graph.SeverityWarning, fmt.Sprintf("%s %s is defined twice; keeping the first", n.Meta().Kind, id),
			"first at "+old.Meta().Source.Range.String(), c.res.ent.keyRng)
		return
	}
	c.s.rd.b.nodes[id] = n
}

// node returns the node with id as type T.
func node_[T graph.Node](b *builder, id string) (T, bool) {
	n, ok := b.nodes[id].(T)
	return n, ok
}

// mapStack maps every resource of a stack onto graph nodes.
func (rd *reader) mapStack(s *stack) {
	for _, l := range s.order {
		if rd.ctx != nil && rd.ctx.Err() != nil {
			rd.diag(graph.SeverityError, "reading stopped: "+rd.ctx.Err().Error(), "", graph.Range{File: s.src.file})
			return
		}
		res := s.res[l]
		if res.skipped {
			continue
		}
		if res.typ == "AWS::CloudFormation::Stack" {
			rd.nested(s, res)
			continue
		}
		m, ok := mappers[res.typ]
		if !ok {
			// Not modelled: an Elastic IP it is handed may be associated
			// through it.
			for _, id := range eipRefs(s.props(res), nil) {
				rd.b.eipWhy[id] = append(rd.b.eipWhy[id], fmt.Sprintf("%s (%s), a resource vpcgate does not model, is given its id", res.logical, res.typ))
			}
			continue
		}
		c := &rctx{s: s, res: res, p: s.props(res)}
		m(c)
	}
}

// mappers map one resource type onto the graph.
var mappers = map[string]func(*rctx){
	"AWS::EC2::VPC":                               mapVPC,
	"AWS::EC2::Subnet":                            mapSubnet,
	"AWS::EC2::RouteTable":                        mapRouteTable,
	"AWS::EC2::Route":                             mapRoute,
	"AWS::EC2::SubnetRouteTableAssociation":       mapRTAssoc,
	"AWS::EC2::GatewayRouteTableAssociation":      mapRTAssoc,
	"AWS::EC2::InternetGateway":                   mapIGW,
	"AWS::EC2::VPCGatewayAttachment":              mapGWAttach,
	"AWS::EC2::EgressOnlyInternetGateway":         mapEIGW,
	"AWS::EC2::NatGateway":                        mapNAT,
	"AWS::EC2::EIP":                               mapEIP,
	"AWS::EC2::EIPAssociation":                    mapEIPAssoc,
	"AWS::EC2::SecurityGroup":                     mapSG,
	"AWS::EC2::SecurityGroupIngress":              mapSGRule,
	"AWS::EC2::SecurityGroupEgress":               mapSGRule,
	"AWS::EC2::NetworkAcl":                        mapNACL,
	"AWS::EC2::NetworkAclEntry":                   mapNACLEntry,
	"AWS::EC2::SubnetNetworkAclAssociation":       mapNACLAssoc,
	"AWS::EC2::Instance":                          mapInstance,
	"AWS::EC2::Volume":                            mapVolume,
	"AWS::EC2::NetworkInterface":                  mapENI,
	"AWS::EC2::NetworkInterfaceAttachment":        mapENIAttach,
	"AWS::EC2::LaunchTemplate":                    mapLaunchTemplate,
	"AWS::AutoScaling::LaunchConfiguration":       mapLaunchConfiguration,
	"AWS::EC2::VPCEndpoint":                       mapEndpoint,
	"AWS::EC2::VPCPeeringConnection":              mapPeering,
	"AWS::EC2::TransitGateway":                    mapTGW,
	"AWS::EC2::TransitGatewayAttachment":          mapTGWAttach,
	"AWS::EC2::TransitGatewayVpcAttachment":       mapTGWAttach,
	"AWS::EC2::VPCCidrBlock":                      mapVPCCidr,
	"AWS::EC2::PrefixList":                        mapPrefixList,
	"AWS::AutoScaling::AutoScalingGroup":          mapASG,
	"AWS::AutoScaling::ScalingPolicy":             mapASGPolicy,
	"AWS::AutoScaling::ScheduledAction":           mapASGSchedule,
	"AWS::AutoScaling::WarmPool":                  mapWarmPool,
	"AWS::ElasticLoadBalancingV2::LoadBalancer":   mapLB,
	"AWS::ElasticLoadBalancingV2::Listener":       mapListener,
	"AWS::ElasticLoadBalancingV2::TargetGroup":    mapTargetGroup,
	"AWS::ElasticLoadBalancing::LoadBalancer":     mapClassicLB,
	"AWS::RDS::DBInstance":                        mapDBInstance,
	"AWS::RDS::DBCluster":                         mapDBCluster,
	"AWS::RDS::DBSubnetGroup":                     mapDBSubnetGroup,
	"AWS::ECS::Service":                           mapECSService,
	"AWS::ApplicationAutoScaling::ScalableTarget": mapScalableTarget,
	"AWS::ApplicationAutoScaling::ScalingPolicy":  mapAppScalingPolicy,
}

// later queues fn until every node exists.
func (c *rctx) later(round int, fn func()) { c.s.rd.b.later[round] = append(c.s.rd.b.later[round], fn) }

// target returns the node a secondary resource modifies, or reports that
// the template does not define it.
func target[T graph.Node](c *rctx, id, what string) (T, bool) {
	t, ok := node_[T](c.s.rd.b, id)
	if !ok && id != "" {
		c.s.warn(c.res.ent.keyRng, "%s %s: %s %s is not defined in the templates read; ignored", c.res.typ, c.res.logical, what, id)
	}
	return t, ok
}

func mapVPC(c *rctx) {
	v := &graph.VPC{Base: c.base(graph.KindVPC), State: "available", OwnerID: c.s.account}
	c.b = &v.Base
	if cidr := c.str(c.p, "CidrBlock", "cidr_blocks"); cidr != "" {
		v.CIDRBlocks = []string{cidr}
	} else if c.p.get("Ipv4IpamPoolId") != nil || c.p.get("CidrBlock") != nil {
		c.unknown("cidr_blocks")
	}
	c.add(v)
}

func mapVPCCidr(c *rctx) {
	c.later(0, func() {
		vpc, ok := target[*graph.VPC](c, c.id(c.p, "VpcId", ""), "VPC")
		if !ok {
			return
		}
		if cidr, ok := c.p.get("CidrBlock").str(); ok {
			vpc.CIDRBlocks = append(vpc.CIDRBlocks, cidr)
		}
		if c.p.get("AmazonProvidedIpv6CidrBlock") != nil || c.p.get("Ipv6Pool") != nil || c.p.get("Ipv6IpamPoolId") != nil {
			if cidr, ok := c.p.get("Ipv6CidrBlock").str(); ok {
				vpc.IPv6CIDRBlocks = append(vpc.IPv6CIDRBlocks, cidr)
			} else {
				vpc.IPv6CIDRBlocks = append(vpc.IPv6CIDRBlocks, "")
				c.b = &vpc.Base
				c.unknown("ipv6_cidr_blocks")
			}
		}
	})
}

func mapSubnet(c *rctx) {
	n := &graph.Subnet{Base: c.base(graph.KindSubnet), State: "available"}
	c.b = &n.Base
	n.VPCID = c.id(c.p, "VpcId", "vpc_id")
	n.AvailabilityZone = c.str(c.p, "AvailabilityZone", "availability_zone")
	n.AvailabilityZoneID = c.str(c.p, "AvailabilityZoneId", "availability_zone_id")
	n.CIDRBlock = c.str(c.p, "CidrBlock", "cidr_block")
	if v := c.field(c.p, "Ipv6CidrBlock", "ipv6_cidr_blocks"); v != nil {
		if s, ok := v.str(); ok {
			n.IPv6CIDRBlocks = []string{s}
		}
	}
	n.MapPublicIPOnLaunch = c.boolean(c.p, "MapPublicIpOnLaunch", "map_public_ip_on_launch", false)
	n.AssignIPv6OnCreate = c.boolean(c.p, "AssignIpv6AddressOnCreation", "assign_ipv6_address_on_creation", false)
	if n.AvailabilityZone == "" && n.AvailabilityZoneID == "" && c.p.get("AvailabilityZone") == nil {
		// AWS picks a zone at creation.
		c.unknown("availability_zone")
	}
	c.add(n)
}

func mapRouteTable(c *rctx) {
	n := &graph.RouteTable{Base: c.base(graph.KindRouteTable)}
	c.b = &n.Base
	n.VPCID = c.id(c.p, "VpcId", "vpc_id")
	c.add(n)
}

// routeTargets maps a route's target property to a target kind.
var routeTargets = []struct {
	key  string
	kind graph.TargetKind
}{
	{"GatewayId", ""}, {"NatGatewayId", graph.TargetNAT}, {"EgressOnlyInternetGatewayId", graph.TargetEIGW},
	{"VpcPeeringConnectionId", graph.TargetPeering}, {"TransitGatewayId", graph.TargetTGW},
	{"NetworkInterfaceId", graph.TargetENI}, {"InstanceId", graph.TargetInstance}, {"VpcEndpointId", graph.TargetEndpoint},
	{"CarrierGatewayId", graph.TargetCarrier}, {"LocalGatewayId", graph.TargetLocalGW}, {"CoreNetworkArn", graph.TargetCoreNetwork},
}

// refTargetKind gives the target kind of a resource type.
var refTargetKind = map[string]graph.TargetKind{
	"AWS::EC2::InternetGateway": graph.TargetIGW, "AWS::EC2::VPNGateway": graph.TargetVGW,
	"AWS::EC2::NatGateway": graph.TargetNAT, "AWS::EC2::EgressOnlyInternetGateway": graph.TargetEIGW,
	"AWS::EC2::VPCPeeringConnection": graph.TargetPeering, "AWS::EC2::TransitGateway": graph.TargetTGW,
	"AWS::EC2::NetworkInterface": graph.TargetENI, "AWS::EC2::Instance": graph.TargetInstance,
	"AWS::EC2::VPCEndpoint": graph.TargetEndpoint, "AWS::EC2::CarrierGateway": graph.TargetCarrier,
}

func mapRoute(c *rctx) {
	rt := graph.Route{State: "active", Origin: "CreateRoute", Range: c.res.ent.rng}
	rt.DestinationCIDR, _ = c.p.get("DestinationCidrBlock").str()
	rt.DestinationIPv6CIDR, _ = c.p.get("DestinationIpv6CidrBlock").str()
	rt.DestinationPrefixList, _ = c.p.get("DestinationPrefixListId").id()
	unknown := false
	for _, k := range []string{"DestinationCidrBlock", "DestinationIpv6CidrBlock", "DestinationPrefixListId"} {
		unknown = unknown || c.p.get(k).isUnknown()
	}
	for _, t := range routeTargets {
		v := c.p.get(t.key)
		if v == nil {
			continue
		}
		id, ok := v.id()
		rt.TargetID = id
		rt.TargetKind = t.kind
		switch {
		case !ok:
			rt.TargetKind = graph.TargetUnknown
			unknown = true
		case v.kind == vRef && refTargetKind[v.typ] != "":
			rt.TargetKind = refTargetKind[v.typ]
		case t.kind == "":
			rt.TargetKind = graph.TargetKindOfID(id)
		}
		break
	}
	rtID := c.id(c.p, "RouteTableId", "")
	c.later(0, func() {
		tbl, ok := target[*graph.RouteTable](c, rtID, "route table")
		if !ok {
			return
		}
		if unknown {
			c.s.warn(c.res.ent.keyRng, "route %s has a destination or target known only after deployment", c.res.logical)
			c.b = &tbl.Base
			c.unknown("routes")
		}
		tbl.Routes = append(tbl.Routes, rt)
	})
}

func mapRTAssoc(c *rctx) {
	a := graph.RouteTableAssociation{ID: c.s.nodeID(c.res), Range: c.res.ent.rng}
	a.SubnetID, _ = c.p.get("SubnetId").id()
	a.GatewayID, _ = c.p.get("GatewayId").id()
	rtID, _ := c.p.get("RouteTableId").id()
	c.later(0, func() {
		if tbl, ok := target[*graph.RouteTable](c, rtID, "route table"); ok {
			tbl.Associations = append(tbl.Associations, a)
		}
	})
}

func mapIGW(c *rctx) {
	n := &graph.InternetGateway{Base: c.base(graph.KindInternetGateway)}
	c.add(n)
}

func mapGWAttach(c *rctx) {
	vpc, _ := c.p.get("VpcId").id()
	igw, ok := c.p.get("InternetGatewayId").id()
	if !ok {
		return // a VPN gateway attachment
	}
	c.later(0, func() {
		if g, ok := target[*graph.InternetGateway](c, igw, "internet gateway"); ok && vpc != "" {
			g.VPCIDs = append(g.VPCIDs, vpc)
		}
	})
}

func mapEIGW(c *rctx) {
	n := &graph.EgressOnlyInternetGateway{Base: c.base(graph.KindEgressOnlyInternetGateway)}
	c.b = &n.Base
	if id := c.id(c.p, "VpcId", "vpc_ids"); id != "" {
		n.VPCIDs = []string{id}
	}
	c.add(n)
}

func mapNAT(c *rctx) {
	n := &graph.NATGateway{Base: c.base(graph.KindNATGateway), State: "available"}
	c.b = &n.Base
	n.SubnetID = c.id(c.p, "SubnetId", "subnet_id")
	n.ConnectivityType = c.str(c.p, "ConnectivityType", "connectivity_type")
	aws.NATDefaults(n)
	if a := c.id(c.p, "AllocationId", "addresses"); a != "" {
		n.Addresses = append(n.Addresses, graph.NATAddress{AllocationID: a, IsPrimary: true})
	}
	for _, a := range c.ids(c.p, "SecondaryAllocationIds", "addresses") {
		n.Addresses = append(n.Addresses, graph.NATAddress{AllocationID: a})
	}
	if ip := c.str(c.p, "PrivateIpAddress", ""); ip != "" && len(n.Addresses) > 0 {
		n.Addresses[0].PrivateIP = ip
	}
	c.add(n)
}

func mapEIP(c *rctx) {
	n := &graph.EIP{Base: c.base(graph.KindEIP), Domain: aws.DefaultEIPDomain}
	c.b = &n.Base
	if d := c.str(c.p, "Domain", "domain"); d != "" {
		n.Domain = d
	}
	n.InstanceID = c.id(c.p, "InstanceId", "instance_id")
	if v := c.p.get("InstanceId"); v != nil && n.InstanceID == "" {
		c.s.rd.b.eipWhy[n.ID] = append(c.s.rd.b.eipWhy[n.ID], "its InstanceId is not known before deployment ("+firstUnknown(v)+")")
	}
	c.unknown("public_ip") // allocated at deployment
	c.add(n)
}

func mapEIPAssoc(c *rctx) {
	// AllocationId names the address in a VPC; EIP (its public IP, a Ref to
	// the AWS::EC2::EIP) in EC2-Classic style templates.
	eip, ok := c.p.get("AllocationId").id()
	if !ok {
		if v := c.p.get("EIP"); v != nil && v.kind == vRef {
			eip, ok = v.s, true
		}
	}
	inst, _ := c.p.get("InstanceId").id()
	eni, _ := c.p.get("NetworkInterfaceId").id()
	ip, _ := c.p.get("PrivateIpAddress").str()
	assoc := c.s.nodeID(c.res)
	c.later(0, func() {
		if !ok {
			c.s.warn(c.res.ent.keyRng, "EIP association %s: the address is not a resource of the templates read; ignored", c.res.logical)
			// Any address of the templates may be the one.
			why := firstUnknown(c.p.get("AllocationId"))
			if why == "" {
				why = firstUnknown(c.p.get("EIP"))
			}
			c.s.rd.b.eipWhy[""] = append(c.s.rd.b.eipWhy[""], fmt.Sprintf("EIP association %s names an address not known before deployment (%s)", c.res.logical, why))
			return
		}
		e, found := target[*graph.EIP](c, eip, "Elastic IP")
		if !found {
			return
		}
		e.AssociationID, e.PrivateIP = assoc, ip
		if inst != "" {
			e.InstanceID = inst
		}
		if eni != "" {
			e.NetworkInterfaceID = eni
		}
	})
}

// sgRules reads one rule mapping (inline or a standalone resource) into
// SGRules, one per peer.
func sgRules(rule *val, ingress bool, rng graph.Range) []graph.SGRule {
	base := graph.SGRule{Range: rng}
	proto := rule.get("IpProtocol")
	ps, ok := proto.str()
	base.Protocol = aws.Protocol(ps)
	if !ok {
		base.Unknown, base.PortsUnknown = true, true
	}
	base.Description, _ = rule.get("Description").str()
	from, ok1 := rule.get("FromPort").integer()
	to, ok2 := rule.get("ToPort").integer()
	switch absent := rule.get("FromPort") == nil && rule.get("ToPort") == nil; {
	case base.Protocol == graph.ProtocolAll || (ok1 && ok2) || absent:
		base.FromPort, base.ToPort = aws.SGRulePorts(base.Protocol, from, to, ok1 && ok2)
	default:
		base.Unknown, base.PortsUnknown = true, true
	}
	peers := []struct {
		key  string
		kind graph.PeerKind
	}{{"CidrIp", graph.PeerCIDR}, {"CidrIpv6", graph.PeerIPv6CIDR}}
	if ingress {
		peers = append(peers, struct {
			key  string
			kind graph.PeerKind
		}{"SourceSecurityGroupId", graph.PeerSG}, struct {
			key  string
			kind graph.PeerKind
		}{"SourceSecurityGroupName", graph.PeerSG}, struct {
			key  string
			kind graph.PeerKind
		}{"SourcePrefixListId", graph.PeerPrefixList})
	} else {
		peers = append(peers, struct {
			key  string
			kind graph.PeerKind
		}{"DestinationSecurityGroupId", graph.PeerSG}, struct {
			key  string
			kind graph.PeerKind
		}{"DestinationPrefixListId", graph.PeerPrefixList})
	}
	base.PeerOwner, _ = rule.get("SourceSecurityGroupOwnerId").str()
	var out []graph.SGRule
	for _, p := range peers {
		v := rule.get(p.key)
		if v == nil {
			continue
		}
		r := base
		r.PeerKind = p.kind
		id, ok := v.id()
		r.Peer = id
		if !ok {
			r.Unknown = true
		}
		out = append(out, r)
	}
	if len(out) == 0 {
		r := base
		r.Unknown = true
		r.PeerKind = graph.PeerCIDR
		out = append(out, r)
	}
	return out
}

func mapSG(c *rctx) {
	n := &graph.SecurityGroup{Base: c.base(graph.KindSecurityGroup), OwnerID: c.s.account, Ingress: []graph.SGRule{}, Egress: []graph.SGRule{}}
	c.b = &n.Base
	n.VPCID = c.id(c.p, "VpcId", "vpc_id")
	n.GroupName = c.str(c.p, "GroupName", "group_name")
	n.Description = c.str(c.p, "GroupDescription", "description")
	if n.Name == "" && n.GroupName != "" {
		n.Name = n.GroupName
	}
	for _, dir := range []struct {
		key     string
		ingress bool
	}{{"SecurityGroupIngress", true}, {"SecurityGroupEgress", false}} {
		v := c.p.get(dir.key)
		if v == nil {
			continue
		}
		if r, ok := c.p.entryRange(dir.key); ok {
			c.b.SetAttr(map[bool]string{true: "ingress", false: "egress"}[dir.ingress], r)
		}
		if !dir.ingress && len(v.items()) > 0 {
			c.s.rd.b.inlineEgress[n.ID] = true
		}
		if v.kind == vUnknown {
			c.unknownInfo(dir.key, v, v.rng)
			c.unknown(map[bool]string{true: "ingress", false: "egress"}[dir.ingress])
			if !dir.ingress {
				c.s.rd.b.inlineEgress[n.ID] = true
			}
			continue
		}
		for _, item := range v.items() {
			rules := sgRules(item, dir.ingress, item.rng)
			if item.isUnknown() {
				c.unknownInfo("a security group rule", item, item.rng)
			}
			if dir.ingress {
				n.Ingress = append(n.Ingress, rules...)
			} else {
				n.Egress = append(n.Egress, rules...)
			}
		}
	}
	c.add(n)
}

func mapSGRule(c *rctx) {
	ingress := c.res.typ == "AWS::EC2::SecurityGroupIngress"
	gid, ok := c.p.get("GroupId").id()
	if !ok && ingress {
		gid, ok = c.p.get("GroupName").id()
	}
	rules := sgRules(c.p, ingress, c.res.ent.rng)
	if c.p.isUnknown() {
		c.unknownInfo("the rule", c.p, c.res.ent.keyRng)
	}
	for i := range rules {
		rules[i].ID = c.s.nodeID(c.res)
	}
	c.later(0, func() {
		var g *graph.SecurityGroup
		found := false
		if ok {
			g, found = node_[*graph.SecurityGroup](c.s.rd.b, gid)
		}
		if !found {
			// The group is outside the templates read (Fn::ImportValue, a
			// parameter, a literal sg-… id): the rule is kept on its own.
			ref := gid
			if !ok {
				gv := c.p.get("GroupId")
				if gv == nil && ingress {
					gv = c.p.get("GroupName")
				}
				ref = firstUnknown(gv)
				c.s.warn(c.res.ent.keyRng, "%s %s: its security group is not known before deployment (%s); the rule is read on its own", c.res.typ, c.res.logical, ref)
			} else {
				c.s.warn(c.res.ent.keyRng, "%s %s: security group %s is not defined in the templates read; the rule is read on its own", c.res.typ, c.res.logical, gid)
			}
			g = aws.OutsideGroup(c.base(graph.KindSecurityGroup), ref)
			for _, k := range []string{"GroupId", "GroupName"} {
				if r, has := c.p.entryRange(k); has {
					g.SetAttr("outside_group", r)
					break
				}
			}
			c.add(g)
		}
		if ingress {
			g.Ingress = append(g.Ingress, rules...)
		} else {
			g.Egress = append(g.Egress, rules...)
		}
	})
}

func mapNACL(c *rctx) {
	n := &graph.NetworkACL{Base: c.base(graph.KindNetworkACL), Entries: []graph.ACLEntry{}, SubnetIDs: []string{}}
	c.b = &n.Base
	n.VPCID = c.id(c.p, "VpcId", "vpc_id")
	c.add(n)
}

func mapNACLEntry(c *rctx) {
	e := graph.ACLEntry{Range: c.res.ent.rng}
	e.RuleNumber, _ = c.p.get("RuleNumber").integer()
	ps, _ := c.p.get("Protocol").str()
	e.Protocol = aws.Protocol(ps)
	action, _ := c.p.get("RuleAction").str()
	e.Allow = strings.EqualFold(action, "allow")
	e.Egress, _ = c.p.get("Egress").boolean()
	e.CIDR, _ = c.p.get("CidrBlock").str()
	e.IPv6CIDR, _ = c.p.get("Ipv6CidrBlock").str()
	var ports, icmp *[2]int
	if c.p.get("PortRange") != nil {
		ports = &[2]int{}
		ports[0], _ = c.p.path("PortRange", "From").integer()
		ports[1], _ = c.p.path("PortRange", "To").integer()
	}
	if c.p.get("Icmp") != nil {
		icmp = &[2]int{}
		icmp[0], _ = c.p.path("Icmp", "Type").integer()
		icmp[1], _ = c.p.path("Icmp", "Code").integer()
	}
	e.FromPort, e.ToPort = aws.ACLPorts(e.Protocol, ports, icmp)
	unknown := c.p.isUnknown()
	acl, _ := c.p.get("NetworkAclId").id()
	c.later(0, func() {
		a, ok := target[*graph.NetworkACL](c, acl, "network ACL")
		if !ok {
			return
		}
		if unknown {
			c.s.warn(c.res.ent.keyRng, "network ACL entry %s has values known only after deployment", c.res.logical)
			c.b = &a.Base
			c.unknown("entries")
		}
		a.Entries = append(a.Entries, e)
	})
}

func mapNACLAssoc(c *rctx) {
	subnet, ok1 := c.p.get("SubnetId").id()
	acl, ok2 := c.p.get("NetworkAclId").id()
	if ok1 && ok2 {
		c.s.rd.b.aclAssoc[subnet] = acl
	}
}

func mapInstance(c *rctx) {
	n := &graph.Instance{Base: c.base(graph.KindInstance), State: "running", Count: 1}
	c.b = &n.Base
	n.InstanceType = c.str(c.p, "InstanceType", "instance_type")
	if n.InstanceType == "" && c.p.get("InstanceType") == nil && c.p.get("LaunchTemplate") == nil {
		n.InstanceType = "m1.small" // CloudFormation's default
	}
	n.ImageID = c.str(c.p, "ImageId", "image_id")
	n.KeyName = c.str(c.p, "KeyName", "key_name")
	n.SubnetID = c.id(c.p, "SubnetId", "subnet_id")
	n.AvailabilityZone = c.str(c.p, "AvailabilityZone", "availability_zone")
	n.PrivateIP = c.str(c.p, "PrivateIpAddress", "private_ip")
	n.SecurityGroups = append(c.ids(c.p, "SecurityGroupIds", "security_groups"), c.ids(c.p, "SecurityGroups", "security_groups")...)
	n.LaunchTemplateID = c.id(c.p.get("LaunchTemplate"), "LaunchTemplateId", "launch_template_id")
	if n.LaunchTemplateID == "" {
		n.LaunchTemplateID = c.id(c.p.get("LaunchTemplate"), "LaunchTemplateName", "launch_template_id")
	}
	if nis := c.field(c.p, "NetworkInterfaces", "network_interfaces"); nis != nil {
		for _, ni := range nis.items() {
			idx, _ := ni.get("DeviceIndex").integer()
			if id, ok := ni.get("NetworkInterfaceId").id(); ok {
				n.NetworkInterfaces = append(n.NetworkInterfaces, id)
			}
			if idx != 0 {
				continue
			}
			if s, ok := ni.get("SubnetId").id(); ok {
				n.SubnetID = s
			}
			n.SecurityGroups = append(n.SecurityGroups, idsOf(ni.get("GroupSet"))...)
			if b, ok := ni.get("AssociatePublicIpAddress").boolean(); ok {
				n.AssociatePublicIP = &b
				if r, ok := ni.entryRange("AssociatePublicIpAddress"); ok {
					c.b.SetAttr("associate_public_ip", r)
				}
			}
			if ip, ok := ni.get("PrivateIpAddress").str(); ok {
				n.PrivateIP = ip
			}
		}
	}
	if n.SecurityGroups == nil {
		n.SecurityGroups = []string{}
	}
	n.BlockDevices = c.blockDevices(c.p)
	n.Tenancy = c.str(c.p, "Tenancy", "tenancy")
	n.EBSOptimized = c.boolean(c.p, "EbsOptimized", "ebs_optimized", false)
	n.DetailedMonitoring = c.boolean(c.p, "Monitoring", "detailed_monitoring", false)
	c.add(n)
}

// blockDevices reads BlockDeviceMappings (instances, launch template data,
// launch configurations). Mappings without Ebs (instance store, NoDevice)
// cost nothing extra.
func (c *rctx) blockDevices(parent *val) []graph.BlockDevice {
	var out []graph.BlockDevice
	for _, m := range c.field(parent, "BlockDeviceMappings", "block_devices").items() {
		e := m.get("Ebs")
		if e == nil {
			continue
		}
		d := graph.BlockDevice{}
		d.DeviceName, _ = m.get("DeviceName").str()
		d.VolumeType, _ = e.get("VolumeType").str()
		d.SizeGB, _ = e.get("VolumeSize").integer()
		d.IOPS, _ = e.get("Iops").integer()
		d.Throughput, _ = e.get("Throughput").integer()
		out = append(out, d)
	}
	return out
}

func mapVolume(c *rctx) {
	n := &graph.Volume{Base: c.base(graph.KindVolume), State: "available"}
	c.b = &n.Base
	n.VolumeType = c.str(c.p, "VolumeType", "volume_type")
	if n.VolumeType == "" {
		n.VolumeType = "gp2" // CloudFormation's default for AWS::EC2::Volume
	}
	n.SizeGB = c.integer(c.p, "Size", "size_gb", 0)
	n.IOPS = c.integer(c.p, "Iops", "iops", 0)
	n.Throughput = c.integer(c.p, "Throughput", "throughput", 0)
	n.AvailabilityZone = c.str(c.p, "AvailabilityZone", "availability_zone")
	c.add(n)
}

func mapENI(c *rctx) {
	n := &graph.NetworkInterface{Base: c.base(graph.KindNetworkInterface), Status: "available", InterfaceType: "interface"}
	c.b = &n.Base
	n.SubnetID = c.id(c.p, "SubnetId", "subnet_id")
	n.SecurityGroups = c.ids(c.p, "GroupSet", "security_groups")
	if n.SecurityGroups == nil {
		n.SecurityGroups = []string{}
	}
	n.PrivateIP = c.str(c.p, "PrivateIpAddress", "private_ip")
	n.Description = c.str(c.p, "Description", "description")
	n.SourceDestCheck = c.boolean(c.p, "SourceDestCheck", "source_dest_check", true)
	if t := c.str(c.p, "InterfaceType", "interface_type"); t != "" {
		n.InterfaceType = t
	}
	c.add(n)
}

func mapENIAttach(c *rctx) {
	eni, _ := c.p.get("NetworkInterfaceId").id()
	inst, _ := c.p.get("InstanceId").id()
	c.later(0, func() {
		if e, ok := target[*graph.NetworkInterface](c, eni, "network interface"); ok {
			e.InstanceID, e.Status = inst, "in-use"
		}
		if i, ok := node_[*graph.Instance](c.s.rd.b, inst); ok && eni != "" {
			i.NetworkInterfaces = append(i.NetworkInterfaces, eni)
		}
	})
}

func mapLaunchTemplate(c *rctx) {
	n := &graph.LaunchTemplate{Base: c.base(graph.KindLaunchTemplate), DefaultVersion: 1, LatestVersion: 1}
	c.b = &n.Base
	n.TemplateName = c.str(c.p, "LaunchTemplateName", "template_name")
	// The template's own tags are its TagSpecifications of type
	// launch-template (those in LaunchTemplateData go to what it launches).
	for _, ts := range c.p.get("TagSpecifications").items() {
		if rt, _ := ts.get("ResourceType").str(); rt == "launch-template" {
			for k, v := range tagsOf(ts.get("Tags")) {
				if n.Tags == nil {
					n.Tags = map[string]string{}
				}
				n.Tags[k] = v
			}
		}
	}
	if nm := n.Tags["Name"]; nm != "" {
		n.Name = nm
	}
	d := c.p.get("LaunchTemplateData")
	n.InstanceType = c.str(d, "InstanceType", "instance_type")
	n.ImageID = c.str(d, "ImageId", "image_id")
	n.KeyName = c.str(d, "KeyName", "key_name")
	n.SecurityGroups = append(c.ids(d, "SecurityGroupIds", "security_groups"), c.ids(d, "SecurityGroups", "security_groups")...)
	n.DetailedMonitoring = c.boolPtr(d.get("Monitoring"), "Enabled", "detailed_monitoring")
	n.BlockDevices = c.blockDevices(d)
	n.Tenancy = c.str(d.get("Placement"), "Tenancy", "tenancy")
	n.EBSOptimized = c.boolean(d, "EbsOptimized", "ebs_optimized", false)
	if nis := c.field(d, "NetworkInterfaces", "network_interfaces"); nis != nil {
		for _, ni := range nis.items() {
			lni := graph.LaunchTemplateNetworkInterface{}
			lni.DeviceIndex, _ = ni.get("DeviceIndex").integer()
			lni.SubnetID, _ = ni.get("SubnetId").id()
			lni.SecurityGroups = idsOf(ni.get("Groups"))
			if b, ok := ni.get("AssociatePublicIpAddress").boolean(); ok {
				lni.AssociatePublicIP = &b
				if lni.DeviceIndex == 0 {
					n.AssociatePublicIP = &b
					if r, ok := ni.entryRange("AssociatePublicIpAddress"); ok {
						c.b.SetAttr("associate_public_ip", r)
					}
				}
			}
			n.NetworkInterfaces = append(n.NetworkInterfaces, lni)
		}
	}
	c.add(n)
}

func mapLaunchConfiguration(c *rctx) {
	n := &graph.LaunchTemplate{Base: c.base(graph.KindLaunchTemplate), IsLaunchConfiguration: true}
	c.b = &n.Base
	n.TemplateName = c.str(c.p, "LaunchConfigurationName", "template_name")
	n.InstanceType = c.str(c.p, "InstanceType", "instance_type")
	n.ImageID = c.str(c.p, "ImageId", "image_id")
	n.KeyName = c.str(c.p, "KeyName", "key_name")
	n.SecurityGroups = c.ids(c.p, "SecurityGroups", "security_groups")
	n.AssociatePublicIP = c.boolPtr(c.p, "AssociatePublicIpAddress", "associate_public_ip")
	// A launch configuration monitors in detail unless told otherwise.
	detailed := true
	if b := c.boolPtr(c.p, "InstanceMonitoring", "detailed_monitoring"); b != nil {
		detailed = *b
	}
	n.DetailedMonitoring = &detailed
	n.BlockDevices = c.blockDevices(c.p)
	n.Tenancy = c.str(c.p, "PlacementTenancy", "tenancy")
	n.EBSOptimized = c.boolean(c.p, "EbsOptimized", "ebs_optimized", false)
	c.add(n)
}

func mapEndpoint(c *rctx) {
	n := &graph.VPCEndpoint{Base: c.base(graph.KindVPCEndpoint), State: "available"}
	c.b = &n.Base
	n.VPCID = c.id(c.p, "VpcId", "vpc_id")
	n.ServiceName = c.str(c.p, "ServiceName", "service_name")
	n.EndpointType = c.str(c.p, "VpcEndpointType", "endpoint_type")
	if n.EndpointType == "" {
		n.EndpointType = aws.DefaultEndpointType
	}
	n.RouteTableIDs = c.ids(c.p, "RouteTableIds", "route_table_ids")
	n.SubnetIDs = c.ids(c.p, "SubnetIds", "subnet_ids")
	n.SecurityGroups = c.ids(c.p, "SecurityGroupIds", "security_groups")
	c.add(n)
}

func mapPeering(c *rctx) {
	n := &graph.VPCPeering{Base: c.base(graph.KindVPCPeering)}
	c.b = &n.Base
	n.Requester = graph.PeeringSide{VPCID: c.id(c.p, "VpcId", "requester"), OwnerID: c.s.account, Region: c.s.region}
	n.Accepter = graph.PeeringSide{VPCID: c.id(c.p, "PeerVpcId", "accepter"), OwnerID: c.str(c.p, "PeerOwnerId", "accepter"), Region: c.str(c.p, "PeerRegion", "accepter")}
	if n.Accepter.OwnerID == "" {
		n.Accepter.OwnerID = c.s.account
	}
	if n.Accepter.Region == "" {
		n.Accepter.Region = c.s.region
	}
	if n.Accepter.OwnerID == c.s.account {
		n.Status = "active"
	} else {
		n.Status = "pending-acceptance"
	}
	c.add(n)
}

func mapPrefixList(c *rctx) {
	n := &graph.PrefixList{Base: c.base(graph.KindPrefixList), EntriesKnown: true, Entries: []string{}}
	c.b = &n.Base
	n.PrefixListName = c.str(c.p, "PrefixListName", "prefix_list_name")
	if n.Name == "" {
		n.Name = n.PrefixListName
	}
	n.AddressFamily = c.str(c.p, "AddressFamily", "address_family")
	n.MaxEntries = c.integer(c.p, "MaxEntries", "max_entries", 0)
	entries := c.field(c.p, "Entries", "entries")
	for _, e := range entries.items() {
		if cidr, ok := e.get("Cidr").str(); ok {
			n.Entries = append(n.Entries, cidr)
		} else {
			n.EntriesKnown = false
		}
	}
	c.add(n)
}

func mapTGW(c *rctx) {
	c.add(&graph.TransitGateway{Base: c.base(graph.KindTransitGateway), State: "available"})
}

func mapTGWAttach(c *rctx) {
	n := &graph.TransitGatewayAttachment{Base: c.base(graph.KindTransitGatewayAttachment), ResourceType: "vpc", State: "available"}
	c.b = &n.Base
	n.TransitGatewayID = c.id(c.p, "TransitGatewayId", "transit_gateway_id")
	n.ResourceID = c.id(c.p, "VpcId", "resource_id")
	n.SubnetIDs = c.ids(c.p, "SubnetIds", "subnet_ids")
	c.add(n)
}

func mapASG(c *rctx) {
	n := &graph.AutoScalingGroup{Base: c.base(graph.KindAutoScalingGroup)}
	c.b = &n.Base
	n.MinSize = c.integer(c.p, "MinSize", "min_size", 0)
	n.MaxSize = c.integer(c.p, "MaxSize", "max_size", 0)
	n.DesiredCapacity = c.integer(c.p, "DesiredCapacity", "desired_capacity", n.MinSize)
	n.SubnetIDs = c.ids(c.p, "VPCZoneIdentifier", "subnet_ids")
	n.AvailabilityZones = c.ids(c.p, "AvailabilityZones", "availability_zones")
	lt := c.p.get("LaunchTemplate")
	if lt == nil {
		lt = c.p.path("MixedInstancesPolicy", "LaunchTemplate", "LaunchTemplateSpecification")
	}
	if lt != nil {
		n.LaunchTemplateID = c.id(lt, "LaunchTemplateId", "launch_template_id")
		if n.LaunchTemplateID == "" {
			n.LaunchTemplateID = c.id(lt, "LaunchTemplateName", "launch_template_id")
		}
		n.LaunchTemplateVersion = c.str(lt, "Version", "launch_template_version")
	}
	if n.LaunchTemplateID == "" {
		n.LaunchTemplateID = c.id(c.p, "LaunchConfigurationName", "launch_template_id")
	}
	if mip := c.p.get("MixedInstancesPolicy"); mip != nil {
		pol := &graph.MixedInstancesPolicy{}
		d := mip.get("InstancesDistribution")
		pol.OnDemandBase = c.integer(d, "OnDemandBaseCapacity", "mixed_instances_policy", 0)
		if pct, ok := c.field(d, "OnDemandPercentageAboveBaseCapacity", "mixed_instances_policy").integer(); ok {
			pol.OnDemandPercentAboveBase = &pct
		}
		pol.SpotAllocationStrategy = c.str(d, "SpotAllocationStrategy", "mixed_instances_policy")
		for _, o := range mip.path("LaunchTemplate", "Overrides").items() {
			if t, ok := o.get("InstanceType").str(); ok {
				n.InstanceTypes = append(n.InstanceTypes, t)
				w, _ := o.get("WeightedCapacity").integer()
				if w == 0 {
					if ws, ok := o.get("WeightedCapacity").str(); ok {
						w, _ = strconv.Atoi(ws)
					}
				}
				pol.Overrides = append(pol.Overrides, graph.InstanceOverride{InstanceType: t, Weight: w})
			}
		}
		n.MixedInstances = pol
	}
	n.TargetGroupARNs = c.ids(c.p, "TargetGroupARNs", "target_group_arns")
	n.LoadBalancerNames = c.ids(c.p, "LoadBalancerNames", "load_balancer_names")
	n.HealthCheckType = c.str(c.p, "HealthCheckType", "health_check_type")
	if n.HealthCheckType == "" {
		n.HealthCheckType = aws.DefaultHealthCheckType
	}
	n.HealthCheckGrace = c.integer(c.p, "HealthCheckGracePeriod", "health_check_grace_period", 0)
	n.DefaultCooldown = c.integer(c.p, "Cooldown", "default_cooldown", aws.DefaultCooldown)
	n.DefaultInstanceWarmup = c.integer(c.p, "DefaultInstanceWarmup", "default_instance_warmup", 0)
	c.add(n)
}

// scalingPolicy reads an EC2 Auto Scaling policy.
func scalingPolicy(p *val, name string, rng graph.Range) graph.ScalingPolicy {
	sp := graph.ScalingPolicy{Name: name, Enabled: true, Range: rng}
	sp.PolicyType, _ = p.get("PolicyType").str()
	if sp.PolicyType == "" {
		sp.PolicyType = "SimpleScaling"
	}
	tt := p.get("TargetTrackingConfiguration")
	if tt != nil {
		sp.TargetValue, _ = tt.get("TargetValue").number()
		sp.DisableScaleIn, _ = tt.get("DisableScaleIn").boolean()
		if m, ok := tt.path("PredefinedMetricSpecification", "PredefinedMetricType").str(); ok {
			sp.MetricType = m
			sp.ResourceLabel, _ = tt.path("PredefinedMetricSpecification", "ResourceLabel").str()
		} else if tt.get("CustomizedMetricSpecification") != nil {
			sp.MetricType = "custom"
		}
	}
	sp.EstimatedInstanceWarmup, _ = p.get("EstimatedInstanceWarmup").integer()
	sp.Cooldown, _ = p.get("Cooldown").integer()
	return sp
}

func mapASGPolicy(c *rctx) {
	asg, _ := c.p.get("AutoScalingGroupName").id()
	sp := scalingPolicy(c.p, c.res.logical, c.res.ent.rng)
	c.later(0, func() {
		if g, ok := target[*graph.AutoScalingGroup](c, asg, "Auto Scaling group"); ok {
			g.Policies = append(g.Policies, sp)
		}
	})
}

func intPtr(v *val) *int {
	i, ok := v.integer()
	if !ok {
		return nil
	}
	return &i
}

func mapASGSchedule(c *rctx) {
	asg, _ := c.p.get("AutoScalingGroupName").id()
	a := graph.ScheduledAction{Name: c.res.logical, MinSize: intPtr(c.p.get("MinSize")), MaxSize: intPtr(c.p.get("MaxSize")), Desired: intPtr(c.p.get("DesiredCapacity"))}
	a.Recurrence, _ = c.p.get("Recurrence").str()
	a.StartTime, _ = c.p.get("StartTime").str()
	c.later(0, func() {
		if g, ok := target[*graph.AutoScalingGroup](c, asg, "Auto Scaling group"); ok {
			g.ScheduledActions = append(g.ScheduledActions, a)
		}
	})
}

func mapWarmPool(c *rctx) {
	asg, _ := c.p.get("AutoScalingGroupName").id()
	w := &graph.WarmPool{MaxGroupPreparedCapacity: intPtr(c.p.get("MaxGroupPreparedCapacity"))}
	w.MinSize, _ = c.p.get("MinSize").integer()
	w.PoolState, _ = c.p.get("PoolState").str()
	if w.PoolState == "" {
		w.PoolState = aws.DefaultWarmPoolState
	}
	c.later(0, func() {
		if g, ok := target[*graph.AutoScalingGroup](c, asg, "Auto Scaling group"); ok {
			g.WarmPool = w
		}
	})
}

func mapLB(c *rctx) {
	n := &graph.LoadBalancer{Base: c.base(graph.KindLoadBalancer), State: "active"}
	c.b = &n.Base
	n.LBName = c.str(c.p, "Name", "lb_name")
	if n.LBName != "" {
		n.Aliases = append(n.Aliases, n.LBName)
	}
	n.Type = c.str(c.p, "Type", "type")
	n.Scheme = c.str(c.p, "Scheme", "scheme")
	n.SubnetIDs = c.ids(c.p, "Subnets", "subnet_ids")
	for _, m := range c.field(c.p, "SubnetMappings", "subnet_ids").items() {
		if id, ok := m.get("SubnetId").id(); ok {
			n.SubnetIDs = append(n.SubnetIDs, id)
		}
		// A network load balancer's Elastic IPs are in use by it.
		if a, ok := m.get("AllocationId").id(); ok {
			c.s.rd.b.eipUsers[a] = n.ID
		}
	}
	n.SecurityGroups = c.ids(c.p, "SecurityGroups", "security_groups")
	n.IPAddressType = c.str(c.p, "IpAddressType", "ip_address_type")
	c.unknown("dns_name")
	aws.LoadBalancerDefaults(n)
	c.add(n)
}

// listenerActions reads DefaultActions.
func listenerActions(v *val) []graph.ListenerAction {
	out := []graph.ListenerAction{}
	for _, a := range v.items() {
		la := graph.ListenerAction{}
		la.Type, _ = a.get("Type").str()
		if tg, ok := a.get("TargetGroupArn").id(); ok {
			la.TargetGroupARNs = append(la.TargetGroupARNs, tg)
		}
		for _, t := range a.path("ForwardConfig", "TargetGroups").items() {
			if tg, ok := t.get("TargetGroupArn").id(); ok && !contains(la.TargetGroupARNs, tg) {
				la.TargetGroupARNs = append(la.TargetGroupARNs, tg)
			}
		}
		la.RedirectProtocol, _ = a.path("RedirectConfig", "Protocol").str()
		la.RedirectPort, _ = a.path("RedirectConfig", "Port").str()
		if s, ok := a.path("RedirectConfig", "StatusCode").str(); ok {
			la.StatusCode = s
		} else {
			la.StatusCode, _ = a.path("FixedResponseConfig", "StatusCode").str()
		}
		aws.ActionDefaults(&la)
		out = append(out, la)
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func mapListener(c *rctx) {
	n := &graph.Listener{Base: c.base(graph.KindListener)}
	c.b = &n.Base
	n.LoadBalancerARN = c.id(c.p, "LoadBalancerArn", "load_balancer_arn")
	n.Port = c.integer(c.p, "Port", "port", 0)
	n.Protocol = c.str(c.p, "Protocol", "protocol")
	for _, cert := range c.field(c.p, "Certificates", "certificates").items() {
		if a, ok := cert.get("CertificateArn").id(); ok {
			n.Certificates = append(n.Certificates, a)
		}
	}
	n.SSLPolicy = c.str(c.p, "SslPolicy", "ssl_policy")
	n.DefaultActions = listenerActions(c.field(c.p, "DefaultActions", "default_actions"))
	c.add(n)
}

func mapTargetGroup(c *rctx) {
	n := &graph.TargetGroup{Base: c.base(graph.KindTargetGroup)}
	c.b = &n.Base
	n.TargetGroupName = c.str(c.p, "Name", "target_group_name")
	if n.TargetGroupName != "" {
		n.Aliases = append(n.Aliases, n.TargetGroupName)
	}
	n.Protocol = c.str(c.p, "Protocol", "protocol")
	n.Port = c.integer(c.p, "Port", "port", 0)
	n.TargetType = c.str(c.p, "TargetType", "target_type")
	n.VPCID = c.id(c.p, "VpcId", "vpc_id")
	n.HealthCheckPath = c.str(c.p, "HealthCheckPath", "health_check_path")
	n.HealthCheckPort = c.str(c.p, "HealthCheckPort", "health_check_port")
	for _, t := range c.field(c.p, "Targets", "targets").items() {
		tg := graph.Target{}
		tg.ID, _ = t.get("Id").id()
		tg.Port, _ = t.get("Port").integer()
		tg.AvailabilityZone, _ = t.get("AvailabilityZone").str()
		if tg.ID != "" {
			n.Targets = append(n.Targets, tg)
		}
	}
	aws.TargetGroupDefaults(n)
	c.add(n)
}

func mapClassicLB(c *rctx) {
	n := &graph.LoadBalancer{Base: c.base(graph.KindLoadBalancer), Type: aws.LBClassic}
	c.b = &n.Base
	n.LBName = c.str(c.p, "LoadBalancerName", "lb_name")
	n.Scheme = c.str(c.p, "Scheme", "scheme")
	if n.Scheme == "" && c.p.get("Scheme") != nil && !n.IsUnknown("scheme") {
		n.Unknown = append(n.Unknown, "scheme")
	}
	n.SubnetIDs = c.ids(c.p, "Subnets", "subnet_ids")
	n.AvailabilityZones = c.ids(c.p, "AvailabilityZones", "availability_zones")
	n.SecurityGroups = c.ids(c.p, "SecurityGroups", "security_groups")
	n.Instances = c.ids(c.p, "Instances", "instances")
	if hc := c.p.get("HealthCheck"); hc != nil {
		n.HealthCheckTarget = c.str(hc, "Target", "health_check_target")
	}
	c.unknown("dns_name")
	aws.LoadBalancerDefaults(n)
	c.add(n)
	for _, l := range c.field(c.p, "Listeners", "listeners").items() {
		port, _ := l.get("LoadBalancerPort").integer()
		proto, _ := l.get("Protocol").str()
		instancePort, _ := l.get("InstancePort").integer()
		cert, _ := l.get("SSLCertificateId").id()
		src := graph.Source{Form: graph.FormCloudFormation, Range: l.rng, Address: c.res.logical, ConstructPath: n.Source.ConstructPath, Account: c.s.account, Region: c.s.statedRegion()}
		ln := aws.ClassicListener(n, src, port, proto, instancePort, cert)
		c.s.rd.b.nodes[ln.ID] = ln
	}
}

func mapDBInstance(c *rctx) {
	n := &graph.DBInstance{Base: c.base(graph.KindDBInstance), Status: "available", Count: 1}
	c.b = &n.Base
	n.Aliases = append(n.Aliases, c.res.logical)
	n.Engine = c.str(c.p, "Engine", "engine")
	n.EngineVersion = c.str(c.p, "EngineVersion", "engine_version")
	n.InstanceClass = c.str(c.p, "DBInstanceClass", "instance_class")
	n.ClusterID = c.id(c.p, "DBClusterIdentifier", "cluster_id")
	if n.ClusterID != "" {
		n.ClusterID = strings.ToLower(n.ClusterID)
		if v := c.p.get("DBClusterIdentifier"); v != nil && v.kind == vRef {
			n.ClusterID = v.s
		}
	}
	n.MultiAZ = c.boolean(c.p, "MultiAZ", "multi_az", false)
	n.DBSubnetGroup = c.id(c.p, "DBSubnetGroupName", "db_subnet_group")
	if v := c.p.get("DBSubnetGroupName"); v != nil && v.kind == vStr {
		n.DBSubnetGroup = strings.ToLower(n.DBSubnetGroup)
	}
	if pa, ok := c.field(c.p, "PubliclyAccessible", "publicly_accessible").boolean(); ok {
		n.PubliclyAccessible = pa
	} else if n.ClusterID == "" {
		// AWS decides from the subnet group (public if any subnet is): not
		// known from the template alone.
		c.unknown("publicly_accessible")
	}
	n.AllocatedStorage = c.integer(c.p, "AllocatedStorage", "allocated_storage", 0)
	n.StorageType = c.str(c.p, "StorageType", "storage_type")
	n.StorageEncrypted = c.boolean(c.p, "StorageEncrypted", "storage_encrypted", false)
	n.Port = c.integer(c.p, "Port", "port", aws.DefaultDBPort(n.Engine))
	n.SecurityGroups = append(c.ids(c.p, "VPCSecurityGroups", "security_groups"), c.ids(c.p, "DBSecurityGroups", "security_groups")...)
	if n.SecurityGroups == nil {
		n.SecurityGroups = []string{}
	}
	n.AvailabilityZone = c.str(c.p, "AvailabilityZone", "availability_zone")
	c.add(n)
}

func mapDBCluster(c *rctx) {
	n := &graph.DBCluster{Base: c.base(graph.KindDBCluster), Status: "available"}
	c.b = &n.Base
	n.Aliases = append(n.Aliases, c.res.logical)
	n.Engine = c.str(c.p, "Engine", "engine")
	n.EngineVersion = c.str(c.p, "EngineVersion", "engine_version")
	n.InstanceClass = c.str(c.p, "DBClusterInstanceClass", "instance_class")
	n.PubliclyAccessible = c.boolean(c.p, "PubliclyAccessible", "publicly_accessible", false)
	n.StorageEncrypted = c.boolean(c.p, "StorageEncrypted", "storage_encrypted", false)
	n.Port = c.integer(c.p, "Port", "port", aws.DefaultDBPort(n.Engine))
	n.DBSubnetGroup = c.id(c.p, "DBSubnetGroupName", "db_subnet_group")
	if v := c.p.get("DBSubnetGroupName"); v != nil && v.kind == vStr {
		n.DBSubnetGroup = strings.ToLower(n.DBSubnetGroup)
	}
	n.SecurityGroups = c.ids(c.p, "VpcSecurityGroupIds", "security_groups")
	if n.SecurityGroups == nil {
		n.SecurityGroups = []string{}
	}
	n.AvailabilityZones = c.ids(c.p, "AvailabilityZones", "availability_zones")
	n.MultiAZ = n.InstanceClass != "" // a Multi-AZ DB cluster; Aurora: decided by its members
	c.add(n)
}

func mapDBSubnetGroup(c *rctx) {
	n := &graph.DBSubnetGroup{Base: c.base(graph.KindDBSubnetGroup)}
	c.b = &n.Base
	n.SubnetIDs = c.ids(c.p, "SubnetIds", "subnet_ids")
	c.add(n)
}

func mapECSService(c *rctx) {
	n := &graph.ECSService{Base: c.base(graph.KindECSService), DesiredCount: 1}
	c.b = &n.Base
	if name := c.str(c.p, "ServiceName", ""); name != "" {
		n.Aliases = append(n.Aliases, name)
	}
	n.Cluster = c.id(c.p, "Cluster", "cluster")
	if n.Cluster == "" && c.p.get("Cluster") == nil {
		n.Cluster = aws.DefaultECSCluster
	}
	n.LaunchType = c.str(c.p, "LaunchType", "launch_type")
	n.DesiredCount = c.integer(c.p, "DesiredCount", "desired_count", 1)
	vpc := c.p.path("NetworkConfiguration", "AwsvpcConfiguration")
	n.SubnetIDs = c.ids(vpc, "Subnets", "subnet_ids")
	n.SecurityGroups = c.ids(vpc, "SecurityGroups", "security_groups")
	ap := c.field(vpc, "AssignPublicIp", "assign_public_ip")
	if s, ok := ap.str(); ok {
		n.AssignPublicIP = strings.EqualFold(s, "ENABLED")
	}
	for _, lb := range c.field(c.p, "LoadBalancers", "load_balancers").items() {
		e := graph.ECSLoadBalancer{}
		e.TargetGroupARN, _ = lb.get("TargetGroupArn").id()
		e.LoadBalancerName, _ = lb.get("LoadBalancerName").id()
		e.ContainerName, _ = lb.get("ContainerName").str()
		e.ContainerPort, _ = lb.get("ContainerPort").integer()
		n.LoadBalancers = append(n.LoadBalancers, e)
	}
	requiresFargate := false
	if td := c.p.get("TaskDefinition"); td != nil && td.kind == vRef && td.res != nil && td.st != nil {
		tp := td.st.props(td.res)
		n.CPU, _ = tp.get("Cpu").integer()
		n.Memory, _ = tp.get("Memory").integer()
		for _, rc := range tp.get("RequiresCompatibilities").items() {
			if s, _ := rc.str(); s == "FARGATE" && c.p.get("LaunchType") == nil && c.p.get("CapacityProviderStrategy") == nil {
				requiresFargate = true
			}
		}
	}
	if n.LaunchType == "" {
		var providers []string
		for _, cp := range c.p.get("CapacityProviderStrategy").items() {
			if p, ok := cp.get("CapacityProvider").str(); ok {
				providers = append(providers, p)
			}
		}
		n.LaunchType = aws.ECSLaunchType(providers, requiresFargate)
	}
	c.add(n)
}

// refsTo lists the resources of the given type that a node mentions
// (Ref, Fn::GetAtt, ${} in Fn::Sub), in order.
func (s *stack) refsTo(n *node, typ string) []*resource {
	var out []*resource
	seen := map[string]bool{}
	addName := func(name string) {
		name, _, _ = strings.Cut(name, ".")
		if r, ok := s.res[name]; ok && r.typ == typ && !seen[name] {
			seen[name] = true
			out = append(out, r)
		}
	}
	var walk func(n *node, depth int)
	walk = func(n *node, depth int) {
		if n == nil || depth > maxEvalDepth {
			return
		}
		switch n.kind {
		case seqNode:
			for _, it := range n.items {
				walk(it, depth+1)
			}
		case mapNode:
			for _, e := range n.ents {
				switch e.key {
				case "Ref":
					if name, ok := literal(e.val); ok {
						addName(name)
					}
				case "Fn::GetAtt":
					if name, ok := literal(e.val); ok {
						addName(name)
					} else if e.val.kind == seqNode && len(e.val.items) > 0 {
						if name, ok := literal(e.val.items[0]); ok {
							addName(name)
						}
					}
				case "Fn::Sub":
					t := e.val
					if t.kind == seqNode && len(t.items) > 0 {
						t = t.items[0]
					}
					if t.kind == scalarNode {
						rest := t.value
						for {
							i := strings.Index(rest, "${")
							if i < 0 {
								break
							}
							j := strings.IndexByte(rest[i:], '}')
							if j < 0 {
								break
							}
							addName(strings.TrimSpace(rest[i+2 : i+j]))
							rest = rest[i+j:]
						}
					}
				}
				walk(e.val, depth+1)
			}
		}
	}
	walk(n, 0)
	return out
}

func mapScalableTarget(c *rctx) {
	if ns, _ := c.p.get("ServiceNamespace").str(); ns != "ecs" {
		return
	}
	svcs := c.s.refsTo(c.res.def.get("Properties").get("ResourceId"), "AWS::ECS::Service")
	if len(svcs) != 1 {
		c.s.warn(c.res.ent.keyRng, "scalable target %s: cannot tell which ECS service of the template it scales; ignored", c.res.logical)
		return
	}
	svc := c.s.nodeID(svcs[0])
	c.s.rd.b.scalable[c.s.nodeID(c.res)] = svc
	minV, maxV := c.p.get("MinCapacity"), c.p.get("MaxCapacity")
	minR, _ := c.p.entryRange("MinCapacity")
	maxR, _ := c.p.entryRange("MaxCapacity")
	c.later(0, func() {
		e, ok := target[*graph.ECSService](c, svc, "ECS service")
		if !ok {
			return
		}
		c.b = &e.Base
		if i, ok := minV.integer(); ok {
			e.MinCount = i
			e.SetAttr("min_count", minR)
		} else {
			c.unknown("min_count")
		}
		if i, ok := maxV.integer(); ok {
			e.MaxCount = i
			e.SetAttr("max_count", maxR)
		} else {
			c.unknown("max_count")
		}
	})
}

func mapAppScalingPolicy(c *rctx) {
	name, _ := c.p.get("PolicyName").str()
	if name == "" {
		name = c.res.logical
	}
	sp := graph.ScalingPolicy{Name: name, Enabled: true, Range: c.res.ent.rng}
	sp.PolicyType, _ = c.p.get("PolicyType").str()
	tt := c.p.get("TargetTrackingScalingPolicyConfiguration")
	if tt != nil {
		sp.TargetValue, _ = tt.get("TargetValue").number()
		sp.DisableScaleIn, _ = tt.get("DisableScaleIn").boolean()
		sp.Cooldown, _ = tt.get("ScaleOutCooldown").integer()
		if m, ok := tt.path("PredefinedMetricSpecification", "PredefinedMetricType").str(); ok {
			sp.MetricType = m
			sp.ResourceLabel, _ = tt.path("PredefinedMetricSpecification", "ResourceLabel").str()
		} else if tt.get("CustomizedMetricSpecification") != nil {
			sp.MetricType = "custom"
		}
	}
	if step := c.p.get("StepScalingPolicyConfiguration"); step != nil {
		sp.Cooldown, _ = step.get("Cooldown").integer()
	}
	targetID, _ := c.p.get("ScalingTargetId").id()
	var direct []*resource
	if targetID == "" {
		direct = c.s.refsTo(c.res.def.get("Properties").get("ResourceId"), "AWS::ECS::Service")
	}
	c.later(1, func() {
		svc := c.s.rd.b.scalable[targetID]
		if len(direct) == 1 {
			svc = c.s.nodeID(direct[0])
		}
		if svc == "" {
			return // not an ECS service's policy
		}
		if e, ok := target[*graph.ECSService](c, svc, "ECS service"); ok {
			e.Policies = append(e.Policies, sp)
		}
	})
}

// finalize applies the deferred resources and what AWS adds implicitly.
func (b *builder) finalize(rd *reader) {
	for _, round := range b.later {
		for _, fn := range round {
			fn()
		}
	}
	subnetVPC := map[string]string{}
	subnetAZ := map[string]string{}
	for _, n := range b.nodes {
		if s, ok := n.(*graph.Subnet); ok {
			subnetVPC[s.ID], subnetAZ[s.ID] = s.VPCID, s.AvailabilityZone
		}
	}
	vpcOf := func(subnets ...string) string {
		for _, s := range subnets {
			if v := subnetVPC[s]; v != "" {
				return v
			}
		}
		return ""
	}
	azsOf := func(subnets []string) []string {
		var out []string
		for _, s := range subnets {
			if az := subnetAZ[s]; az != "" && !contains(out, az) {
				out = append(out, az)
			}
		}
		sort.Strings(out)
		return out
	}
	nats := map[string]string{} // EIP id → NAT id
	listenersOf := map[string][]string{}
	members := map[string][]string{}
	for _, id := range sortedKeys(b.nodes) {
		switch n := b.nodes[id].(type) {
		case *graph.NATGateway:
			n.VPCID = vpcOf(n.SubnetID)
			for _, a := range n.Addresses {
				nats[a.AllocationID] = n.ID
			}
		case *graph.Instance:
			if n.VPCID == "" {
				n.VPCID = vpcOf(n.SubnetID)
			}
			if n.AvailabilityZone == "" {
				n.AvailabilityZone = subnetAZ[n.SubnetID]
			}
		case *graph.NetworkInterface:
			n.VPCID = vpcOf(n.SubnetID)
			n.AvailabilityZone = subnetAZ[n.SubnetID]
			n.Status = aws.ENIStatus(n.InstanceID)
		case *graph.LoadBalancer:
			n.VPCID = vpcOf(n.SubnetIDs...)
			if len(n.AvailabilityZones) == 0 {
				n.AvailabilityZones = azsOf(n.SubnetIDs)
			}
		case *graph.DBSubnetGroup:
			n.VPCID = vpcOf(n.SubnetIDs...)
			n.AvailabilityZones = azsOf(n.SubnetIDs)
		case *graph.Listener:
			for _, tg := range n.TargetGroupARNs() {
				listenersOf[tg] = append(listenersOf[tg], n.LoadBalancerARN)
			}
			if lb, ok := b.nodes[n.LoadBalancerARN].(*graph.LoadBalancer); ok && n.Protocol == "" && !n.IsUnknown("protocol") {
				n.Protocol = aws.ListenerProtocol(lb.Type)
			}
		case *graph.AutoScalingGroup:
			if len(n.AvailabilityZones) == 0 {
				n.AvailabilityZones = azsOf(n.SubnetIDs)
			}
		case *graph.DBInstance:
			if n.ClusterID != "" {
				members[n.ClusterID] = append(members[n.ClusterID], n.ID)
			}
		case *graph.SecurityGroup:
			if !b.inlineEgress[n.ID] {
				// AWS's default rule: removed only by SecurityGroupEgress.
				n.Egress = append([]graph.SGRule{aws.AllowAllEgress(n.Source.Range)}, n.Egress...)
			}
		}
	}
	for _, id := range sortedKeys(b.nodes) {
		switch n := b.nodes[id].(type) {
		case *graph.EIP:
			n.NATGatewayID = nats[n.ID]
			if lb := b.eipUsers[n.ID]; lb != "" {
				aws.UsedByLoadBalancer(n, lb)
			}
			for _, why := range append(append([]string(nil), b.eipWhy[n.ID]...), b.eipWhy[""]...) {
				aws.EIPAssociationUnknown(n, why)
			}
		case *graph.TargetGroup:
			for _, lb := range listenersOf[n.ID] {
				if !contains(n.LoadBalancerARNs, lb) {
					n.LoadBalancerARNs = append(n.LoadBalancerARNs, lb)
				}
			}
			sort.Strings(n.LoadBalancerARNs)
		case *graph.DBInstance:
			if g, ok := b.nodes[n.DBSubnetGroup].(*graph.DBSubnetGroup); ok {
				n.VPCID = g.VPCID
			}
		case *graph.DBCluster:
			n.Members = members[n.ID]
			sort.Strings(n.Members)
			n.MultiAZ = aws.ClusterMultiAZ(n)
		}
	}
	b.synthesizeVPCDefaults(subnetVPC)
	b.defaultGroups()
	b.resolveNames()
	for _, n := range b.nodes {
		switch n := n.(type) {
		case *graph.NetworkACL:
			n.SortEntries()
			sort.Strings(n.SubnetIDs)
		}
		sort.Strings(n.Meta().Unknown)
		emptySlices(reflect.ValueOf(n).Elem())
	}
}

// emptySlices sets the nil slices of a node's fields whose JSON form is
// always present (no omitempty) to empty ones, so that the JSON output and
// the policy input say [] rather than null, as describe input does.
func emptySlices(v reflect.Value) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if f.Type.Kind() != reflect.Slice || tag == "" || tag == "-" || strings.Contains(tag, "omitempty") {
			continue
		}
		if fv := v.Field(i); fv.IsNil() && fv.CanSet() {
			fv.Set(reflect.MakeSlice(f.Type, 0, 0))
		}
	}
}

// synthesizeVPCDefaults adds, for every VPC read, what AWS creates with
// it: the main route table, the default network ACL and the default
// security group; it also adds the local routes to every route table and
// the final "*" entries to every ACL (package aws).
func (b *builder) synthesizeVPCDefaults(subnetVPC map[string]string) {
	vpcs := map[string]*graph.VPC{}
	for _, n := range b.nodes {
		if v, ok := n.(*graph.VPC); ok {
			vpcs[v.ID] = v
		}
	}
	explicitACL := map[string]bool{}
	for subnet, acl := range b.aclAssoc {
		if a, ok := b.nodes[acl].(*graph.NetworkACL); ok {
			a.SubnetIDs = append(a.SubnetIDs, subnet)
			explicitACL[subnet] = true
		}
	}
	for _, n := range b.nodes {
		switch n := n.(type) {
		case *graph.RouteTable:
			if v, ok := vpcs[n.VPCID]; ok {
				n.Routes = append(aws.LocalRoutes(v, v.Source.Range), n.Routes...)
			}
			if n.Routes == nil {
				n.Routes = []graph.Route{}
			}
		case *graph.NetworkACL:
			aws.CompleteACL(n, aws.HasIPv6(vpcs[n.VPCID]), n.Source.Range)
		}
	}
	for _, id := range sortedKeys(vpcs) {
		v := vpcs[id]
		mk := func(suffix string) graph.Base {
			s := v.Source
			s.Address = v.Source.Address + suffix
			return graph.Base{ID: v.ID + suffix, Source: s, Suppressions: v.Suppressions}
		}
		if _, ok := b.nodes[v.ID+mainRTSuffix]; !ok {
			t := aws.MainRouteTable(mk(mainRTSuffix), v, v.ID+mainRTSuffix+"/main")
			t.Routes = aws.LocalRoutes(v, v.Source.Range)
			b.nodes[t.ID] = t
		}
		acl := aws.DefaultNetworkACL(mk(defaultACLSuffix), v)
		acl.SubnetIDs = []string{}
		for _, s := range sortedKeys(subnetVPC) {
			if subnetVPC[s] == v.ID && !explicitACL[s] {
				acl.SubnetIDs = append(acl.SubnetIDs, s)
			}
		}
		b.nodes[acl.ID] = acl
		sg := aws.DefaultSecurityGroup(mk(defaultSGSuffix), v)
		b.nodes[sg.ID] = sg
	}
}

// defaultGroups gives the VPC's default security group to what AWS puts in
// it when the template names no group (aws.InDefaultGroup). Only VPCs read
// from the templates have a known default group.
func (b *builder) defaultGroups() {
	subnetVPC := func(id string) string {
		if s, ok := b.nodes[id].(*graph.Subnet); ok {
			return s.VPCID
		}
		return ""
	}
	for _, id := range sortedKeys(b.nodes) {
		n := b.nodes[id]
		if !aws.InDefaultGroup(n) {
			continue
		}
		var vpc string
		switch n := n.(type) {
		case *graph.Instance:
			vpc = n.VPCID
		case *graph.NetworkInterface:
			vpc = n.VPCID
		case *graph.LoadBalancer:
			vpc = n.VPCID
		case *graph.DBInstance:
			vpc = n.VPCID
		case *graph.ECSService:
			vpc = subnetVPC(n.SubnetIDs[0])
		}
		if _, ok := b.nodes[vpc+defaultSGSuffix].(*graph.SecurityGroup); ok && vpc != "" {
			aws.SetSecurityGroups(n, []string{vpc + defaultSGSuffix})
		}
	}
}

// resolveNames turns launch templates, launch configurations and classic
// load balancers named by a literal name (not a Ref) into node ids.
func (b *builder) resolveNames() {
	lts := map[string]string{}
	for _, id := range sortedKeys(b.nodes) {
		if lt, ok := b.nodes[id].(*graph.LaunchTemplate); ok && lt.TemplateName != "" {
			if _, dup := lts[lt.TemplateName]; !dup {
				lts[lt.TemplateName] = id
			}
		}
	}
	for _, n := range b.nodes {
		switch n := n.(type) {
		case *graph.AutoScalingGroup:
			if _, ok := b.nodes[n.LaunchTemplateID]; !ok && lts[n.LaunchTemplateID] != "" {
				n.LaunchTemplateID = lts[n.LaunchTemplateID]
			}
		case *graph.Instance:
			if _, ok := b.nodes[n.LaunchTemplateID]; !ok && lts[n.LaunchTemplateID] != "" {
				n.LaunchTemplateID = lts[n.LaunchTemplateID]
			}
		}
	}
}

// statedRegion is the stack's region when the input or the options name it
// (a cloud assembly's stack environment, --region), "" when it is only the
// us-east-1 default of AWS::Region.
func (s *stack) statedRegion() string {
	if s.envRegion || s.rd.regionGiven {
		return s.region
	}
	return ""
}

// eipRefs returns the ids of the Elastic IPs that v names (a Ref or
// Fn::GetAtt of an AWS::EC2::EIP), anywhere inside it.
func eipRefs(v *val, out []string) []string {
	if v == nil {
		return out
	}
	switch v.kind {
	case vRef:
		if v.typ == "AWS::EC2::EIP" {
			out = append(out, v.s)
		}
	case vList:
		for _, it := range v.list {
			out = eipRefs(it, out)
		}
	case vMap:
		for _, it := range v.vals {
			out = eipRefs(it, out)
		}
	}
	return out
}
