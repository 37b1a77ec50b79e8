package describe

import (
	"bytes"
	"fmt"
	"github.com/vpcgate/vpcgate/analyzer/ingest"
	"slices"
	"sort"
	"strings"

	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpcgate/vpcgate/analyzer/aws"
	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// str dereferences an optional string.
func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// boolv dereferences an optional boolean (false when absent).
func boolv(p *bool) bool { return p != nil && *p }

// boolp copies an optional boolean.
func boolp(p *bool) *bool {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// intv dereferences an optional integer (0 when absent).
func intv[T ~int32 | ~int64](p *T) int {
	if p == nil {
		return 0
	}
	return int(*p)
}

// portv dereferences an optional port (-1, "all", when absent).
func portv(p *int32) int {
	if p == nil {
		return -1
	}
	return int(*p)
}

// tagMap turns a tag list into a map; nil when there are none.
func tagMap[T any](tags []T, kv func(T) (*string, *string)) map[string]string {
	if len(tags) == 0 {
		return nil
	}
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		k, v := kv(t)
		if k != nil {
			m[*k] = str(v)
		}
	}
	return m
}

func ec2Tags(tags []ec2types.Tag) map[string]string {
	return tagMap(tags, func(t ec2types.Tag) (*string, *string) { return t.Key, t.Value })
}

// groupIDs returns the ids of a list of group identifiers.
func groupIDs(gs []ec2types.GroupIdentifier) []string {
	if len(gs) == 0 {
		return nil
	}
	out := make([]string, 0, len(gs))
	for _, g := range gs {
		if id := str(g.GroupId); id != "" {
			out = append(out, id)
		} else if n := str(g.GroupName); n != "" {
			out = append(out, n)
		}
	}
	return out
}

func decodeVPC(c *chunk, el elem) {
	var v ec2types.Vpc
	if !decodeInto(c, el, &v) {
		return
	}
	n := &graph.VPC{
		Base:      c.base(graph.KindVPC, str(v.VpcId), el, ec2Tags(v.Tags), ""),
		IsDefault: boolv(v.IsDefault),
		State:     string(v.State),
		OwnerID:   str(v.OwnerId),
	}
	if cidr := str(v.CidrBlock); cidr != "" {
		n.CIDRBlocks = append(n.CIDRBlocks, cidr)
	}
	for _, a := range v.CidrBlockAssociationSet {
		cidr := str(a.CidrBlock)
		if cidr == "" || contains(n.CIDRBlocks, cidr) || !associated(a.CidrBlockState) {
			continue
		}
		n.CIDRBlocks = append(n.CIDRBlocks, cidr)
	}
	for _, a := range v.Ipv6CidrBlockAssociationSet {
		cidr := str(a.Ipv6CidrBlock)
		if cidr != "" && associated(a.Ipv6CidrBlockState) && !contains(n.IPv6CIDRBlocks, cidr) {
			n.IPv6CIDRBlocks = append(n.IPv6CIDRBlocks, cidr)
		}
	}
	c.add(n)
}

// associated reports whether a VPC CIDR association is in force (or does
// not say).
func associated(s *ec2types.VpcCidrBlockState) bool {
	if s == nil {
		return true
	}
	switch s.State {
	case "", ec2types.VpcCidrBlockStateCodeAssociated, ec2types.VpcCidrBlockStateCodeAssociating:
		return true
	}
	return false
}

func decodeSubnet(c *chunk, el elem) {
	var v ec2types.Subnet
	if !decodeInto(c, el, &v) {
		return
	}
	n := &graph.Subnet{
		Base:                c.base(graph.KindSubnet, str(v.SubnetId), el, ec2Tags(v.Tags), ""),
		VPCID:               str(v.VpcId),
		AvailabilityZone:    str(v.AvailabilityZone),
		AvailabilityZoneID:  str(v.AvailabilityZoneId),
		CIDRBlock:           str(v.CidrBlock),
		MapPublicIPOnLaunch: boolv(v.MapPublicIpOnLaunch),
		AssignIPv6OnCreate:  boolv(v.AssignIpv6AddressOnCreation),
		State:               string(v.State),
	}
	if arn := str(v.SubnetArn); arn != "" {
		n.Aliases = append(n.Aliases, arn)
	}
	for _, a := range v.Ipv6CidrBlockAssociationSet {
		cidr := str(a.Ipv6CidrBlock)
		if cidr == "" {
			continue
		}
		if s := a.Ipv6CidrBlockState; s != nil && s.State != "" &&
			s.State != ec2types.SubnetCidrBlockStateCodeAssociated && s.State != ec2types.SubnetCidrBlockStateCodeAssociating {
			continue
		}
		n.IPv6CIDRBlocks = append(n.IPv6CIDRBlocks, cidr)
	}
	c.attr(&n.Base, el, "MapPublicIpOnLaunch", "map_public_ip_on_launch")
	c.add(n)
}

func decodeRouteTable(c *chunk, el elem) {
	var v ec2types.RouteTable
	if !decodeInto(c, el, &v) {
		return
	}
	n := &graph.RouteTable{
		Base:  c.base(graph.KindRouteTable, str(v.RouteTableId), el, ec2Tags(v.Tags), ""),
		VPCID: str(v.VpcId),
	}
	routeEls := c.sub(el, "Routes")
	for i, r := range v.Routes {
		kind, id := routeTarget(r)
		n.Routes = append(n.Routes, graph.Route{
			DestinationCIDR:       str(r.DestinationCidrBlock),
			DestinationIPv6CIDR:   str(r.DestinationIpv6CidrBlock),
			DestinationPrefixList: str(r.DestinationPrefixListId),
			TargetKind:            kind,
			TargetID:              id,
			State:                 string(r.State),
			Origin:                string(r.Origin),
			Range:                 c.rangeAt(routeEls, i, el),
		})
	}
	assocEls := c.sub(el, "Associations")
	for i, a := range v.Associations {
		if s := a.AssociationState; s != nil && s.State != "" &&
			s.State != ec2types.RouteTableAssociationStateCodeAssociated && s.State != ec2types.RouteTableAssociationStateCodeAssociating {
			continue
		}
		main := boolv(a.Main)
		n.Main = n.Main || main
		n.Associations = append(n.Associations, graph.RouteTableAssociation{
			ID:        str(a.RouteTableAssociationId),
			SubnetID:  str(a.SubnetId),
			GatewayID: str(a.GatewayId),
			Main:      main,
			Range:     c.rangeAt(assocEls, i, el),
		})
	}
	c.add(n)
}

// routeTarget returns the kind and id of what a route sends traffic to,
// from the route's typed target fields.
func routeTarget(r ec2types.Route) (graph.TargetKind, string) {
	switch {
	case str(r.NatGatewayId) != "":
		return graph.TargetNAT, *r.NatGatewayId
	case str(r.TransitGatewayId) != "":
		return graph.TargetTGW, *r.TransitGatewayId
	case str(r.VpcPeeringConnectionId) != "":
		return graph.TargetPeering, *r.VpcPeeringConnectionId
	case str(r.EgressOnlyInternetGatewayId) != "":
		return graph.TargetEIGW, *r.EgressOnlyInternetGatewayId
	case str(r.CarrierGatewayId) != "":
		return graph.TargetCarrier, *r.CarrierGatewayId
	case str(r.LocalGatewayId) != "":
		return graph.TargetLocalGW, *r.LocalGatewayId
	case str(r.CoreNetworkArn) != "":
		return graph.TargetCoreNetwork, *r.CoreNetworkArn
	case str(r.GatewayId) != "":
		return graph.TargetKindOfID(*r.GatewayId), *r.GatewayId
	case str(r.InstanceId) != "":
		return graph.TargetInstance, *r.InstanceId
	case str(r.NetworkInterfaceId) != "":
		return graph.TargetENI, *r.NetworkInterfaceId
	}
	return graph.TargetUnknown, ""
}

// attachedVPCs returns the VPCs a gateway is attached to (state attached,
// or available as the CLI shows it).
func attachedVPCs(atts []ec2types.InternetGatewayAttachment) []string {
	var out []string
	for _, a := range atts {
		switch a.State {
		case "", ec2types.AttachmentStatusAttached, "available":
			if id := str(a.VpcId); id != "" {
				out = append(out, id)
			}
		}
	}
	return out
}

func decodeIGW(c *chunk, el elem) {
	var v ec2types.InternetGateway
	if !decodeInto(c, el, &v) {
		return
	}
	n := &graph.InternetGateway{Base: c.base(graph.KindInternetGateway, str(v.InternetGatewayId), el, ec2Tags(v.Tags), "")}
	n.VPCIDs = attachedVPCs(v.Attachments)
	c.add(n)
}

func decodeEIGW(c *chunk, el elem) {
	var v ec2types.EgressOnlyInternetGateway
	if !decodeInto(c, el, &v) {
		return
	}
	n := &graph.EgressOnlyInternetGateway{Base: c.base(graph.KindEgressOnlyInternetGateway, str(v.EgressOnlyInternetGatewayId), el, ec2Tags(v.Tags), "")}
	n.VPCIDs = attachedVPCs(v.Attachments)
	c.add(n)
}

func decodeNAT(c *chunk, el elem) {
	var v ec2types.NatGateway
	if !decodeInto(c, el, &v) {
		return
	}
	n := &graph.NATGateway{
		Base:             c.base(graph.KindNATGateway, str(v.NatGatewayId), el, ec2Tags(v.Tags), ""),
		VPCID:            str(v.VpcId),
		SubnetID:         str(v.SubnetId),
		ConnectivityType: string(v.ConnectivityType),
		State:            string(v.State),
	}
	if n.ConnectivityType == "" {
		n.ConnectivityType = "public"
	}
	for _, a := range v.NatGatewayAddresses {
		n.Addresses = append(n.Addresses, graph.NATAddress{
			AllocationID:       str(a.AllocationId),
			PublicIP:           str(a.PublicIp),
			PrivateIP:          str(a.PrivateIp),
			NetworkInterfaceID: str(a.NetworkInterfaceId),
			IsPrimary:          boolv(a.IsPrimary),
		})
	}
	c.add(n)
}

func decodeEIP(c *chunk, el elem) {
	var v ec2types.Address
	if !decodeInto(c, el, &v) {
		return
	}
	id := str(v.AllocationId)
	if id == "" {
		id = str(v.PublicIp)
	}
	n := &graph.EIP{
		Base:               c.base(graph.KindEIP, id, el, ec2Tags(v.Tags), ""),
		PublicIP:           str(v.PublicIp),
		Domain:             string(v.Domain),
		AssociationID:      str(v.AssociationId),
		InstanceID:         str(v.InstanceId),
		NetworkInterfaceID: str(v.NetworkInterfaceId),
		PrivateIP:          str(v.PrivateIpAddress),
	}
	if n.PublicIP != "" && n.PublicIP != id {
		n.Aliases = append(n.Aliases, n.PublicIP)
	}
	c.add(n)
}

func decodeSG(c *chunk, el elem) {
	var v ec2types.SecurityGroup
	if !decodeInto(c, el, &v) {
		return
	}
	owner := str(v.OwnerId)
	n := &graph.SecurityGroup{
		Base:        c.base(graph.KindSecurityGroup, str(v.GroupId), el, ec2Tags(v.Tags), str(v.GroupName)),
		VPCID:       str(v.VpcId),
		GroupName:   str(v.GroupName),
		Description: str(v.Description),
		OwnerID:     owner,
	}
	if arn := str(v.SecurityGroupArn); arn != "" {
		n.Aliases = append(n.Aliases, arn)
	}
	n.Ingress = boundRules(c, el, n.ID, "IpPermissions", permissionRules(c, v.IpPermissions, c.sub(el, "IpPermissions"), el, owner))
	n.Egress = boundRules(c, el, n.ID, "IpPermissionsEgress", permissionRules(c, v.IpPermissionsEgress, c.sub(el, "IpPermissionsEgress"), el, owner))
	c.add(n)
}

// boundRules keeps the first ingest.MaxRulesPerGroup rules of one
// direction of a group, with one error at the group when it cuts.
func boundRules(c *chunk, el elem, id, key string, rules []graph.SGRule) []graph.SGRule {
	if len(rules) <= ingest.MaxRulesPerGroup {
		return rules
	}
	c.out.diags = append(c.out.diags, graph.Diagnostic{
		Severity: graph.SeverityError,
		Summary: fmt.Sprintf("security group %s has %d rules in %s; the first %d are kept (AWS allows at most 1,000 rules per group)",
			ingest.Excerpt(id), len(rules), key, ingest.MaxRulesPerGroup),
		Range: c.f.rng(el.start, el.end),
	})
	return slices.Clip(rules[:ingest.MaxRulesPerGroup])
}

// permissionRules turns IpPermissions into one rule per peer; the rules of
// one permission share its range.
func permissionRules(c *chunk, perms []ec2types.IpPermission, els []elem, parent elem, owner string) []graph.SGRule {
	var out []graph.SGRule
	for i, p := range perms {
		proto := aws.Protocol(str(p.IpProtocol))
		base := graph.SGRule{Protocol: proto, FromPort: portv(p.FromPort), ToPort: portv(p.ToPort), Range: c.rangeAt(els, i, parent)}
		if proto == graph.ProtocolAll {
			base.FromPort, base.ToPort = -1, -1
		}
		for _, r := range p.IpRanges {
			rule := base
			rule.PeerKind, rule.Peer, rule.Description = graph.PeerCIDR, str(r.CidrIp), str(r.Description)
			out = append(out, rule)
		}
		for _, r := range p.Ipv6Ranges {
			rule := base
			rule.PeerKind, rule.Peer, rule.Description = graph.PeerIPv6CIDR, str(r.CidrIpv6), str(r.Description)
			out = append(out, rule)
		}
		for _, g := range p.UserIdGroupPairs {
			rule := base
			rule.PeerKind, rule.Peer, rule.Description = graph.PeerSG, str(g.GroupId), str(g.Description)
			if rule.Peer == "" {
				rule.Peer = str(g.GroupName)
			}
			if u := str(g.UserId); u != "" && u != owner {
				rule.PeerOwner = u
			}
			out = append(out, rule)
		}
		for _, pl := range p.PrefixListIds {
			rule := base
			rule.PeerKind, rule.Peer, rule.Description = graph.PeerPrefixList, str(pl.PrefixListId), str(pl.Description)
			out = append(out, rule)
		}
	}
	return out
}

func decodeSGRule(c *chunk, el elem) {
	var v ec2types.SecurityGroupRule
	if !decodeInto(c, el, &v) {
		return
	}
	proto := aws.Protocol(str(v.IpProtocol))
	r := graph.SGRule{
		ID:          str(v.SecurityGroupRuleId),
		Protocol:    proto,
		FromPort:    portv(v.FromPort),
		ToPort:      portv(v.ToPort),
		Description: str(v.Description),
		Range:       c.f.rng(el.start, el.end),
	}
	if proto == graph.ProtocolAll {
		r.FromPort, r.ToPort = -1, -1
	}
	owner := str(v.GroupOwnerId)
	switch {
	case str(v.CidrIpv4) != "":
		r.PeerKind, r.Peer = graph.PeerCIDR, *v.CidrIpv4
	case str(v.CidrIpv6) != "":
		r.PeerKind, r.Peer = graph.PeerIPv6CIDR, *v.CidrIpv6
	case str(v.PrefixListId) != "":
		r.PeerKind, r.Peer = graph.PeerPrefixList, *v.PrefixListId
	case v.ReferencedGroupInfo != nil && str(v.ReferencedGroupInfo.GroupId) != "":
		r.PeerKind, r.Peer = graph.PeerSG, *v.ReferencedGroupInfo.GroupId
		if u := str(v.ReferencedGroupInfo.UserId); u != "" && u != owner {
			r.PeerOwner = u
		}
	default:
		c.out.diags = append(c.out.diags, graph.Diagnostic{
			Severity: graph.SeverityWarning,
			Summary:  "security group rule " + r.ID + " has no peer (CIDR, group or prefix list); ignored",
			Range:    r.Range,
		})
		return
	}
	c.out.sgRules = append(c.out.sgRules, sgRuleIn{groupID: str(v.GroupId), ownerID: owner, egress: boolv(v.IsEgress), rule: r, src: c.source(el)})
}

// decodeInstanceEl decodes one instance of describe-instances (the file
// scan descends into the reservations).
func decodeInstanceEl(c *chunk, el elem) {
	var v ec2types.Instance
	if !decodeInto(c, el, &v) {
		return
	}
	decodeInstance(c, el, &v)
}

// niElems returns the elements of an instance's network interfaces, or
// nil when they cannot be told apart. The member name NetworkInterfaces is
// found by a plain search (no other object of an instance has a member of
// that name, and a name is the only string followed by a colon); the
// element count is checked against the decoded instance.
func (c *chunk) niElems(el elem, n int) []elem {
	if n == 0 {
		return nil
	}
	raw := c.f.data[el.start:el.end]
	const name = `"NetworkInterfaces"`
	for off := 0; ; {
		i := bytes.Index(raw[off:], []byte(name))
		if i < 0 {
			return nil
		}
		i += off
		off = i + len(name)
		if i > 0 && raw[i-1] == '\\' {
			continue
		}
		j := skipWS(raw, off)
		if j >= len(raw) || raw[j] != ':' {
			continue
		}
		spans := arrayElems(c.f.data[:el.end], el.start+j+1)
		if len(spans) != n {
			return nil
		}
		out := make([]elem, n)
		for k, s := range spans {
			out[k] = elem{span: s, ptr: el.ptr + "/NetworkInterfaces/" + itoa(k)}
		}
		return out
	}
}

// decodeInstance converts one instance of describe-instances, with the
// network interfaces it shows.
func decodeInstance(c *chunk, el elem, v *ec2types.Instance) {
	tags := ec2Tags(v.Tags)
	n := &graph.Instance{
		Base:             c.base(graph.KindInstance, str(v.InstanceId), el, tags, ""),
		InstanceType:     string(v.InstanceType),
		ImageID:          str(v.ImageId),
		VPCID:            str(v.VpcId),
		SubnetID:         str(v.SubnetId),
		PrivateIP:        str(v.PrivateIpAddress),
		PublicIP:         str(v.PublicIpAddress),
		SecurityGroups:   groupIDs(v.SecurityGroups),
		KeyName:          str(v.KeyName),
		LaunchTemplateID: tags["aws:ec2launchtemplate:id"],
		AutoScalingGroup: tags["aws:autoscaling:groupName"],
		Count:            1,
	}
	if v.State != nil {
		n.State = string(v.State.Name)
	}
	if v.Placement != nil {
		n.AvailabilityZone = str(v.Placement.AvailabilityZone)
		if t := string(v.Placement.Tenancy); t != "default" {
			n.Tenancy = t // "" is the default, as in IaC
		}
	}
	n.EBSOptimized = boolv(v.EbsOptimized)
	n.DetailedMonitoring = v.Monitoring != nil && (v.Monitoring.State == ec2types.MonitoringStateEnabled || v.Monitoring.State == ec2types.MonitoringStatePending)
	n.Platform = string(v.Platform)
	// The instance's volumes are Volume nodes (describe-volumes), attached
	// to it there.
	if a := str(v.Ipv6Address); a != "" {
		n.IPv6Addresses = append(n.IPv6Addresses, a)
	}
	type ifc struct {
		id     string
		device int
	}
	var ifcs []ifc
	for i, ni := range v.NetworkInterfaces {
		eni := &graph.NetworkInterface{
			VPCID:            str(ni.VpcId),
			SubnetID:         str(ni.SubnetId),
			AvailabilityZone: n.AvailabilityZone,
			InterfaceType:    str(ni.InterfaceType),
			Status:           string(ni.Status),
			PrivateIP:        str(ni.PrivateIpAddress),
			SecurityGroups:   groupIDs(ni.Groups),
			InstanceID:       n.ID,
			Description:      str(ni.Description),
			SourceDestCheck:  boolv(ni.SourceDestCheck),
		}
		// The range of the instance stands in until finish works out the
		// interface's own, should no other input describe it.
		eni.Base = c.base(graph.KindNetworkInterface, str(ni.NetworkInterfaceId), elem{span: el.span, ptr: el.ptr + "/NetworkInterfaces/" + itoa(i)}, nil, "")
		if ni.Association != nil {
			eni.PublicIP = str(ni.Association.PublicIp)
		}
		for _, a := range ni.Ipv6Addresses {
			if ip := str(a.Ipv6Address); ip != "" {
				eni.IPv6Addresses = append(eni.IPv6Addresses, ip)
				if !contains(n.IPv6Addresses, ip) {
					n.IPv6Addresses = append(n.IPv6Addresses, ip)
				}
			}
		}
		device := i
		if ni.Attachment != nil && ni.Attachment.DeviceIndex != nil {
			device = int(*ni.Attachment.DeviceIndex)
		}
		if eni.ID != "" {
			ifcs = append(ifcs, ifc{eni.ID, device})
			c.out.recs = append(c.out.recs, record{node: eni, derived: true,
				lazy: &lazyRange{inst: el, idx: i, n: len(v.NetworkInterfaces)}})
		}
	}
	sort.SliceStable(ifcs, func(i, j int) bool { return ifcs[i].device < ifcs[j].device })
	for _, f := range ifcs {
		n.NetworkInterfaces = append(n.NetworkInterfaces, f.id)
	}
	c.add(n)
}

func decodeENI(c *chunk, el elem) {
	var v ec2types.NetworkInterface
	if !decodeInto(c, el, &v) {
		return
	}
	n := &graph.NetworkInterface{
		Base:             c.base(graph.KindNetworkInterface, str(v.NetworkInterfaceId), el, ec2Tags(v.TagSet), ""),
		VPCID:            str(v.VpcId),
		SubnetID:         str(v.SubnetId),
		AvailabilityZone: str(v.AvailabilityZone),
		InterfaceType:    string(v.InterfaceType),
		Status:           string(v.Status),
		PrivateIP:        str(v.PrivateIpAddress),
		SecurityGroups:   groupIDs(v.Groups),
		RequesterID:      str(v.RequesterId),
		RequesterManaged: boolv(v.RequesterManaged),
		Description:      str(v.Description),
		SourceDestCheck:  boolv(v.SourceDestCheck),
	}
	if v.Association != nil {
		n.PublicIP = str(v.Association.PublicIp)
		n.AllocationID = str(v.Association.AllocationId)
	}
	if v.Attachment != nil {
		n.InstanceID = str(v.Attachment.InstanceId)
	}
	if a := str(v.Ipv6Address); a != "" {
		n.IPv6Addresses = append(n.IPv6Addresses, a)
	}
	for _, a := range v.Ipv6Addresses {
		if ip := str(a.Ipv6Address); ip != "" && !contains(n.IPv6Addresses, ip) {
			n.IPv6Addresses = append(n.IPv6Addresses, ip)
		}
	}
	c.add(n)
}

func decodeNACL(c *chunk, el elem) {
	var v ec2types.NetworkAcl
	if !decodeInto(c, el, &v) {
		return
	}
	n := &graph.NetworkACL{
		Base:      c.base(graph.KindNetworkACL, str(v.NetworkAclId), el, ec2Tags(v.Tags), ""),
		VPCID:     str(v.VpcId),
		IsDefault: boolv(v.IsDefault),
	}
	entryEls := c.sub(el, "Entries")
	for i, e := range v.Entries {
		proto := aws.Protocol(str(e.Protocol))
		en := graph.ACLEntry{
			RuleNumber: intv(e.RuleNumber),
			Egress:     boolv(e.Egress),
			Protocol:   proto,
			Allow:      e.RuleAction == ec2types.RuleActionAllow,
			CIDR:       str(e.CidrBlock),
			IPv6CIDR:   str(e.Ipv6CidrBlock),
			Range:      c.rangeAt(entryEls, i, el),
		}
		var ports, icmp *[2]int
		if e.PortRange != nil {
			ports = &[2]int{portv(e.PortRange.From), portv(e.PortRange.To)}
		}
		if e.IcmpTypeCode != nil {
			icmp = &[2]int{portv(e.IcmpTypeCode.Type), portv(e.IcmpTypeCode.Code)}
		}
		en.FromPort, en.ToPort = aws.ACLPorts(proto, ports, icmp)
		n.Entries = append(n.Entries, en)
	}
	n.SortEntries()
	for _, a := range v.Associations {
		if id := str(a.SubnetId); id != "" {
			n.SubnetIDs = append(n.SubnetIDs, id)
		}
	}
	c.add(n)
}

func decodeVPCEndpoint(c *chunk, el elem) {
	var v ec2types.VpcEndpoint
	if !decodeInto(c, el, &v) {
		return
	}
	n := &graph.VPCEndpoint{
		Base:          c.base(graph.KindVPCEndpoint, str(v.VpcEndpointId), el, ec2Tags(v.Tags), ""),
		VPCID:         str(v.VpcId),
		ServiceName:   str(v.ServiceName),
		EndpointType:  string(v.VpcEndpointType),
		RouteTableIDs: v.RouteTableIds,
		SubnetIDs:     v.SubnetIds,
		State:         string(v.State),
	}
	for _, g := range v.Groups {
		if id := str(g.GroupId); id != "" {
			n.SecurityGroups = append(n.SecurityGroups, id)
		}
	}
	c.add(n)
}

// peeringSide converts one side of a peering connection.
func peeringSide(v *ec2types.VpcPeeringConnectionVpcInfo) graph.PeeringSide {
	if v == nil {
		return graph.PeeringSide{}
	}
	s := graph.PeeringSide{VPCID: str(v.VpcId), OwnerID: str(v.OwnerId), Region: str(v.Region)}
	for _, b := range v.CidrBlockSet {
		if cidr := str(b.CidrBlock); cidr != "" {
			s.CIDRBlocks = append(s.CIDRBlocks, cidr)
		}
	}
	if cidr := str(v.CidrBlock); cidr != "" && !contains(s.CIDRBlocks, cidr) {
		s.CIDRBlocks = append([]string{cidr}, s.CIDRBlocks...)
	}
	for _, b := range v.Ipv6CidrBlockSet {
		if cidr := str(b.Ipv6CidrBlock); cidr != "" {
			s.IPv6CIDRBlocks = append(s.IPv6CIDRBlocks, cidr)
		}
	}
	return s
}

func decodePeering(c *chunk, el elem) {
	var v ec2types.VpcPeeringConnection
	if !decodeInto(c, el, &v) {
		return
	}
	n := &graph.VPCPeering{
		Base:      c.base(graph.KindVPCPeering, str(v.VpcPeeringConnectionId), el, ec2Tags(v.Tags), ""),
		Requester: peeringSide(v.RequesterVpcInfo),
		Accepter:  peeringSide(v.AccepterVpcInfo),
	}
	if v.Status != nil {
		n.Status = string(v.Status.Code)
	}
	c.add(n)
}

func decodeVolume(c *chunk, el elem) {
	var v ec2types.Volume
	if !decodeInto(c, el, &v) {
		return
	}
	n := &graph.Volume{
		Base:             c.base(graph.KindVolume, str(v.VolumeId), el, ec2Tags(v.Tags), ""),
		VolumeType:       string(v.VolumeType),
		SizeGB:           intv(v.Size),
		IOPS:             intv(v.Iops),
		Throughput:       intv(v.Throughput),
		AvailabilityZone: str(v.AvailabilityZone),
		State:            string(v.State),
	}
	for _, a := range v.Attachments {
		if id := str(a.InstanceId); id != "" && !contains(n.Instances, id) {
			n.Instances = append(n.Instances, id)
		}
	}
	c.add(n)
}

func decodeTGWAttachment(c *chunk, el elem) {
	var v ec2types.TransitGatewayAttachment
	if !decodeInto(c, el, &v) {
		return
	}
	c.add(&graph.TransitGatewayAttachment{
		Base:             c.base(graph.KindTransitGatewayAttachment, str(v.TransitGatewayAttachmentId), el, ec2Tags(v.Tags), ""),
		TransitGatewayID: str(v.TransitGatewayId),
		ResourceType:     string(v.ResourceType),
		ResourceID:       str(v.ResourceId),
		State:            string(v.State),
	})
}

func decodePrefixList(c *chunk, el elem) {
	var v ec2types.ManagedPrefixList
	if !decodeInto(c, el, &v) {
		return
	}
	n := &graph.PrefixList{
		Base:           c.base(graph.KindPrefixList, str(v.PrefixListId), el, ec2Tags(v.Tags), str(v.PrefixListName)),
		PrefixListName: str(v.PrefixListName),
		AddressFamily:  str(v.AddressFamily),
		MaxEntries:     intv(v.MaxEntries),
	}
	if arn := str(v.PrefixListArn); arn != "" {
		n.Aliases = append(n.Aliases, arn)
	}
	c.add(n)
}

func decodePrefixListEntry(c *chunk, el elem) {
	var v ec2types.PrefixListEntry
	if !decodeInto(c, el, &v) {
		return
	}
	c.out.plEntries = append(c.out.plEntries, plEntryIn{listID: c.f.plID, cidr: str(v.Cidr), src: c.source(el)})
}

func decodeLaunchTemplate(c *chunk, el elem) {
	var v ec2types.LaunchTemplate
	if !decodeInto(c, el, &v) {
		return
	}
	c.add(&graph.LaunchTemplate{
		Base:           c.base(graph.KindLaunchTemplate, str(v.LaunchTemplateId), el, ec2Tags(v.Tags), str(v.LaunchTemplateName)),
		TemplateName:   str(v.LaunchTemplateName),
		DefaultVersion: int64(intv(v.DefaultVersionNumber)),
		LatestVersion:  int64(intv(v.LatestVersionNumber)),
	})
}

func decodeLaunchTemplateVersion(c *chunk, el elem) {
	var v ec2types.LaunchTemplateVersion
	if !decodeInto(c, el, &v) {
		return
	}
	c.out.versions = append(c.out.versions, ltVersionIn{
		ltID:      str(v.LaunchTemplateId),
		ltName:    str(v.LaunchTemplateName),
		version:   int64(intv(v.VersionNumber)),
		isDefault: boolv(v.DefaultVersion),
		data:      v.LaunchTemplateData,
		src:       c.source(el),
	})
}

// splitList splits a comma-separated list (an ASG's VPCZoneIdentifier).
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
