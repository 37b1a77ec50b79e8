package terraform

import (
	"regexp"
	"sort"
	"strings"

	"github.com/vpcgate/vpcgate/analyzer/aws"
	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// addrType extracts the resource type of an IaC address
// ("module.vpc.aws_subnet.private[0]" → "aws_subnet").
var addrType = regexp.MustCompile(`(?:^|\.)(aws_[a-z0-9_]+)\.[A-Za-z0-9_-]+(?:\[[^\]]*\])?$`)

func typeOfAddr(id string) string {
	if m := addrType.FindStringSubmatch(id); m != nil {
		return m[1]
	}
	return ""
}

// link completes the nodes: it synthesizes what AWS creates with every VPC
// (main route table, default network ACL, default security group) unless the
// configuration adopts them, applies the resources that modify other
// resources, and fills what follows from references (VPC of a subnet's
// resources, route target kinds, public addresses).
func (bl *builder) link() {
	// A VPC's blocks first (the default ACL and group depend on IPv6), then
	// its defaults, main-table changes, then everything else in
	// declaration order.
	first := func(typ string) bool {
		return typ == "aws_vpc_ipv4_cidr_block_association" || typ == "aws_vpc_ipv6_cidr_block_association"
	}
	for _, e := range bl.effects {
		if first(e.typ) {
			bl.apply(e)
		}
	}
	bl.synthesizeVPCDefaults()
	for _, e := range bl.effects {
		if e.typ == "aws_main_route_table_association" {
			bl.apply(e)
		}
	}
	for _, e := range bl.effects {
		if e.typ != "aws_main_route_table_association" && !first(e.typ) {
			bl.apply(e)
		}
	}
	bl.fillDerivedFields()
}

func (bl *builder) vpcs() []*graph.VPC {
	var out []*graph.VPC
	for _, n := range bl.order {
		if v, ok := n.(*graph.VPC); ok {
			out = append(out, v)
		}
	}
	return out
}

func (bl *builder) synthesizeVPCDefaults() {
	for _, v := range bl.vpcs() {
		r := v.Source.Range
		src := func(suffix string) graph.Source {
			return graph.Source{Form: graph.FormTerraform, Range: r, Address: v.Source.Address + suffix, Region: v.Source.Region}
		}
		ids := [3]string{v.ID + mainRouteTableSuffix, v.ID + defaultACLSuffix, v.ID + defaultSGSuffix}
		if o, ok := bl.vpcDefaults[v.ID]; ok {
			for i := range ids {
				if o[i] != "" {
					ids[i] = o[i]
				}
			}
		}
		if mainID := ids[0]; !bl.adopted[mainID] {
			bl.add(aws.MainRouteTable(graph.Base{ID: mainID, Source: src(mainRouteTableSuffix)}, v, ""))
		}
		if aclID := ids[1]; !bl.adopted[aclID] {
			bl.add(aws.DefaultNetworkACL(graph.Base{ID: aclID, Source: src(defaultACLSuffix)}, v))
		}
		if sgID := ids[2]; !bl.adopted[sgID] {
			bl.add(aws.DefaultSecurityGroup(graph.Base{ID: sgID, Source: src(defaultSGSuffix)}, v))
		}
	}
}

// target returns the node with id as T.
func target[T graph.Node](bl *builder, id string) (T, bool) {
	t, ok := bl.nodes[id].(T)
	return t, ok
}

// byName finds a node of kind k by id, else by its own name.
func (bl *builder) byName(k graph.Kind, ref string, name func(graph.Node) string) graph.Node {
	if n, ok := bl.nodes[ref]; ok && n.Meta().Kind == k {
		return n
	}
	for _, n := range bl.order {
		if n.Meta().Kind != k {
			continue
		}
		if name(n) == ref {
			return n
		}
		for _, a := range n.Meta().Aliases {
			if a == ref {
				return n
			}
		}
	}
	return nil
}

func (bl *builder) asgByName(ref string) *graph.AutoScalingGroup {
	n := bl.byName(graph.KindAutoScalingGroup, ref, func(n graph.Node) string { return n.Meta().Name })
	a, _ := n.(*graph.AutoScalingGroup)
	return a
}

// apply performs one modifying resource.
func (bl *builder) apply(e effect) {
	r := e.r
	missing := func(what, id string) {
		if id == "" {
			bl.diags = append(bl.diags, graph.Diagnostic{Severity: graph.SeverityWarning, Summary: e.r.b.Source.Address + ": the " + what + " it applies to is not known statically", Range: r.blockRange()})
			return
		}
		bl.warn(r.blockRange(), "%s: %s %s is not part of the configuration", e.r.b.Source.Address, what, id)
	}
	switch e.typ {
	case "aws_vpc_ipv4_cidr_block_association":
		if v, ok := target[*graph.VPC](bl, r.str("vpc_id", "")); ok {
			if c := r.str("cidr_block", ""); c != "" {
				v.CIDRBlocks = append(v.CIDRBlocks, c)
			}
		}
	case "aws_vpc_ipv6_cidr_block_association":
		if v, ok := target[*graph.VPC](bl, r.str("vpc_id", "")); ok {
			if c := r.str("ipv6_cidr_block", ""); c != "" {
				v.IPv6CIDRBlocks = append(v.IPv6CIDRBlocks, c)
			} else if !v.IsUnknown("ipv6_cidr_blocks") {
				// Amazon or a pool assigns the block at apply.
				v.Unknown = append(v.Unknown, "ipv6_cidr_blocks")
			}
		}
	case "aws_internet_gateway_attachment":
		id := r.str("internet_gateway_id", "")
		if g, ok := target[*graph.InternetGateway](bl, id); ok {
			if v := r.str("vpc_id", ""); v != "" {
				g.VPCIDs = append(g.VPCIDs, v)
			}
		} else {
			missing("internet gateway", id)
		}
	case "aws_route":
		id := r.str("route_table_id", "")
		t, ok := target[*graph.RouteTable](bl, id)
		if !ok {
			missing("route table", id)
			return
		}
		if rt, ok := routeOf(r); ok {
			rt.Range = r.blockRange()
			t.Routes = append(t.Routes, rt)
		}
		if len(r.b.Unknown) > 0 && !t.IsUnknown("routes") {
			t.Unknown = append(t.Unknown, "routes")
		}
	case "aws_route_table_association":
		id := r.str("route_table_id", "")
		t, ok := target[*graph.RouteTable](bl, id)
		if !ok {
			missing("route table", id)
			return
		}
		a := graph.RouteTableAssociation{ID: e.id, SubnetID: r.str("subnet_id", ""), GatewayID: r.str("gateway_id", ""), Range: r.blockRange()}
		if a.SubnetID == "" && a.GatewayID == "" {
			missing("subnet", "")
			return
		}
		t.Associations = append(t.Associations, a)
	case "aws_main_route_table_association":
		id := r.str("route_table_id", "")
		t, ok := target[*graph.RouteTable](bl, id)
		if !ok {
			missing("route table", id)
			return
		}
		vpc := r.str("vpc_id", "")
		for _, n := range bl.order {
			if o, ok := n.(*graph.RouteTable); ok && o.VPCID == vpc && o.Main && o != t {
				o.Main = false
				o.Associations = dropMain(o.Associations)
			}
		}
		t.Main = true
		t.Associations = append(t.Associations, graph.RouteTableAssociation{ID: e.id, Main: true, Range: r.blockRange()})
	case "aws_security_group_rule":
		id := r.str("security_group_id", "")
		sg, ok := target[*graph.SecurityGroup](bl, id)
		if !ok {
			sg = bl.outsideGroup(e, "security_group_id", id)
		}
		proto, from, to, unknown := ruleHead(r, "protocol")
		head := graph.SGRule{Protocol: proto, FromPort: from, ToPort: to, Description: r.str("description", ""), Unknown: unknown, PortsUnknown: unknown}
		var rules []graph.SGRule
		for _, p := range []peerAttr{{"cidr_blocks", graph.PeerCIDR}, {"ipv6_cidr_blocks", graph.PeerIPv6CIDR}, {"prefix_list_ids", graph.PeerPrefixList}, {"source_security_group_id", graph.PeerSG}} {
			rules = append(rules, peers(r, head, p.attr, p.kind)...)
		}
		if r.boolOr("self", "", false) {
			rule := head
			rule.PeerKind, rule.Peer, rule.Range = graph.PeerSG, sg.ID, r.rangeOf("self")
			rules = append(rules, rule)
		}
		bl.addSGRules(sg, r.str("type", "") == "egress", rules)
	case "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule":
		id := r.str("security_group_id", "")
		sg, ok := target[*graph.SecurityGroup](bl, id)
		if !ok {
			sg = bl.outsideGroup(e, "security_group_id", id)
		}
		proto, from, to, unknown := ruleHead(r, "ip_protocol")
		head := graph.SGRule{Protocol: proto, FromPort: from, ToPort: to, Description: r.str("description", ""), Unknown: unknown, PortsUnknown: unknown}
		var rules []graph.SGRule
		for _, p := range []peerAttr{{"cidr_ipv4", graph.PeerCIDR}, {"cidr_ipv6", graph.PeerIPv6CIDR}, {"prefix_list_id", graph.PeerPrefixList}, {"referenced_security_group_id", graph.PeerSG}} {
			rules = append(rules, peers(r, head, p.attr, p.kind)...)
		}
		bl.addSGRules(sg, e.typ == "aws_vpc_security_group_egress_rule", rules)
	case "aws_network_acl_rule":
		id := r.str("network_acl_id", "")
		acl, ok := target[*graph.NetworkACL](bl, id)
		if !ok {
			missing("network ACL", id)
			return
		}
		if en, ok := aclEntry(r, r.boolOr("egress", "", false), "rule_number", "rule_action"); ok {
			acl.Entries = append(acl.Entries, en)
		} else if !acl.IsUnknown("entries") {
			acl.Unknown = append(acl.Unknown, "entries")
		}
	case "aws_network_acl_association":
		id := r.str("network_acl_id", "")
		acl, ok := target[*graph.NetworkACL](bl, id)
		if !ok {
			missing("network ACL", id)
			return
		}
		if s := r.str("subnet_id", ""); s != "" {
			acl.SubnetIDs = append(acl.SubnetIDs, s)
		}
	case "aws_eip_association":
		id := firstNonEmpty(r.str("allocation_id", ""), r.str("public_ip", ""))
		eip, ok := target[*graph.EIP](bl, id)
		if !ok {
			missing("Elastic IP", id)
			if id == "" {
				// Any address of the configuration may be the one.
				attr := "allocation_id"
				if _, has := r.o.attrs[attr]; !has {
					attr = "public_ip"
				}
				bl.eipWhy[""] = append(bl.eipWhy[""], r.b.Source.Address+" associates an address known only at apply"+withExpr(r.exprText(attr)))
			}
			return
		}
		eip.AssociationID = e.id
		eip.InstanceID = firstNonEmpty(r.str("instance_id", ""), eip.InstanceID)
		eip.NetworkInterfaceID = firstNonEmpty(r.str("network_interface_id", ""), eip.NetworkInterfaceID)
		eip.PrivateIP = firstNonEmpty(r.str("private_ip_address", ""), eip.PrivateIP)
	case "aws_network_interface_attachment":
		if eni, ok := target[*graph.NetworkInterface](bl, r.str("network_interface_id", "")); ok {
			eni.InstanceID = r.str("instance_id", "")
		}
	case "aws_network_interface_sg_attachment":
		if eni, ok := target[*graph.NetworkInterface](bl, r.str("network_interface_id", "")); ok {
			if sg := r.str("security_group_id", ""); sg != "" {
				eni.SecurityGroups = append(eni.SecurityGroups, sg)
			}
		}
	case "aws_autoscaling_attachment":
		name := r.str("autoscaling_group_name", "")
		asg := bl.asgByName(name)
		if asg == nil {
			missing("Auto Scaling group", name)
			return
		}
		if tg := firstNonEmpty(r.str("lb_target_group_arn", ""), r.str("alb_target_group_arn", "")); tg != "" {
			asg.TargetGroupARNs = append(asg.TargetGroupARNs, tg)
		}
		if elb := r.str("elb", ""); elb != "" {
			asg.LoadBalancerNames = append(asg.LoadBalancerNames, elb)
		}
	case "aws_autoscaling_policy":
		name := r.str("autoscaling_group_name", "")
		asg := bl.asgByName(name)
		if asg == nil {
			missing("Auto Scaling group", name)
			return
		}
		p := graph.ScalingPolicy{
			Name: r.str("name", ""), PolicyType: firstNonEmpty(r.str("policy_type", ""), "SimpleScaling"),
			EstimatedInstanceWarmup: r.numOr("estimated_instance_warmup", "", 0), Cooldown: r.numOr("cooldown", "", 0),
			Enabled: r.boolOr("enabled", "", true), Range: r.blockRange(),
		}
		if tt := r.block("target_tracking_configuration"); tt != nil {
			tr := r.sub(tt)
			p.TargetValue = float64(tr.numOr("target_value", "", 0))
			if a, ok := tt.attrs["target_value"]; ok && a.v.IsKnown() && !a.v.IsNull() {
				if f, acc := a.v.AsBigFloat().Float64(); acc >= -1 {
					p.TargetValue = f
				}
			}
			p.DisableScaleIn = tr.boolOr("disable_scale_in", "", false)
			if pm := tr.block("predefined_metric_specification"); pm != nil {
				pr := r.sub(pm)
				p.MetricType = pr.str("predefined_metric_type", "")
				p.ResourceLabel = pr.str("resource_label", "")
			} else if tr.block("customized_metric_specification") != nil {
				p.MetricType = "custom"
			}
		}
		asg.Policies = append(asg.Policies, p)
	case "aws_autoscaling_schedule":
		name := r.str("autoscaling_group_name", "")
		asg := bl.asgByName(name)
		if asg == nil {
			missing("Auto Scaling group", name)
			return
		}
		sa := graph.ScheduledAction{Name: r.str("scheduled_action_name", ""), Recurrence: r.str("recurrence", ""), StartTime: r.str("start_time", "")}
		if v, ok := r.num("min_size", ""); ok {
			sa.MinSize = &v
		}
		if v, ok := r.num("max_size", ""); ok {
			sa.MaxSize = &v
		}
		if v, ok := r.num("desired_capacity", ""); ok {
			sa.Desired = &v
		}
		asg.ScheduledActions = append(asg.ScheduledActions, sa)
	case "aws_lb_target_group_attachment", "aws_alb_target_group_attachment":
		id := r.str("target_group_arn", "")
		tg, ok := target[*graph.TargetGroup](bl, id)
		if !ok {
			missing("target group", id)
			return
		}
		t := graph.Target{ID: r.str("target_id", ""), Port: r.numOr("port", "", 0), AvailabilityZone: r.str("availability_zone", "")}
		if t.ID != "" {
			tg.Targets = append(tg.Targets, t)
		}
	case "aws_elb_attachment":
		name := r.str("elb", "")
		lb, _ := bl.byName(graph.KindLoadBalancer, name, func(n graph.Node) string { return n.(*graph.LoadBalancer).LBName }).(*graph.LoadBalancer)
		if lb == nil {
			missing("classic load balancer", name)
			return
		}
		if i := r.str("instance", ""); i != "" {
			lb.Instances = append(lb.Instances, i)
		}
	case "aws_vpc_endpoint_route_table_association":
		if ep, ok := target[*graph.VPCEndpoint](bl, r.str("vpc_endpoint_id", "")); ok {
			if rt := r.str("route_table_id", ""); rt != "" {
				ep.RouteTableIDs = append(ep.RouteTableIDs, rt)
			}
		}
	case "aws_vpc_endpoint_subnet_association":
		if ep, ok := target[*graph.VPCEndpoint](bl, r.str("vpc_endpoint_id", "")); ok {
			if s := r.str("subnet_id", ""); s != "" {
				ep.SubnetIDs = append(ep.SubnetIDs, s)
			}
		}
	case "aws_ec2_managed_prefix_list_entry":
		id := r.str("prefix_list_id", "")
		pl, ok := target[*graph.PrefixList](bl, id)
		if !ok {
			missing("prefix list", id)
			return
		}
		if c := r.str("cidr", ""); c != "" {
			pl.Entries = append(pl.Entries, c)
		}
	case "aws_vpc_block_public_access_options":
		a, ok := r.get("internet_gateway_block_mode", "")
		mode, known := "", true
		if ok {
			mode, known = asString(a.v)
		}
		if !known {
			bl.warn(r.blockRange(), "%s: internet_gateway_block_mode is not known statically; VPC Block Public Access is not taken into account", e.r.b.Source.Address)
			return
		}
		bl.bpaMode = mode
		bl.bpaRange = r.blockRange()
		bl.applyBlockPublicAccess()
	case "aws_vpc_block_public_access_exclusion":
		vpc := r.str("vpc_id", "")
		if sub, ok := target[*graph.Subnet](bl, r.str("subnet_id", "")); ok {
			vpc = sub.VPCID
		}
		if vpc == "" {
			missing("VPC or subnet", "")
			return
		}
		if bl.bpaExcluded == nil {
			bl.bpaExcluded = map[string]bool{}
		}
		bl.bpaExcluded[vpc] = true
		bl.applyBlockPublicAccess()
	}
}

// outsideGroup keeps standalone rule e, whose group (attribute attr, id
// when known) is not part of the configuration, as a node of its own (see
// aws.OutsideGroup): what it opens is still judged, on the rule.
func (bl *builder) outsideGroup(e effect, attr, id string) *graph.SecurityGroup {
	r := e.r
	ref := id
	if ref == "" {
		ref = r.exprText(attr)
	}
	what := "security group " + ref
	if id == "" {
		what = "the security group it applies to (" + ref + ") is not known statically; the rule is read on its own"
	} else {
		what += " is not part of the configuration; the rule is read on its own"
	}
	bl.warn(r.blockRange(), "%s: %s", r.b.Source.Address, what)
	sg := aws.OutsideGroup(base(e.id, r.b.Source.Address, graph.KindSecurityGroup, r.o), ref)
	if _, ok := r.o.attrs[attr]; ok {
		sg.SetAttr("outside_group", r.rangeOf(attr))
	}
	bl.add(sg)
	return sg
}

// applyBlockPublicAccess sets the region's VPC Block Public Access mode on
// every VPC not excluded from it; it runs again after each options or
// exclusion resource, so their order does not matter.
func (bl *builder) applyBlockPublicAccess() {
	for _, vpc := range bl.vpcs() {
		vpc.BlockPublicAccess = ""
		if (bl.bpaMode == "block-ingress" || bl.bpaMode == "block-bidirectional") && !bl.bpaExcluded[vpc.ID] {
			vpc.BlockPublicAccess = bl.bpaMode
			vpc.SetAttr("block_public_access", bl.bpaRange)
		}
	}
}

func dropMain(as []graph.RouteTableAssociation) []graph.RouteTableAssociation {
	out := as[:0]
	for _, a := range as {
		if !a.Main {
			out = append(out, a)
		}
	}
	return out
}

func (bl *builder) addSGRules(sg *graph.SecurityGroup, egress bool, rules []graph.SGRule) {
	if egress {
		sg.Egress = append(sg.Egress, rules...)
	} else {
		sg.Ingress = append(sg.Ingress, rules...)
	}
}

// fillDerivedFields completes fields that follow from references.
func (bl *builder) fillDerivedFields() {
	subnetVPC := func(id string) string {
		if s, ok := target[*graph.Subnet](bl, id); ok {
			return s.VPCID
		}
		return ""
	}
	subnetAZ := func(id string) string {
		if s, ok := target[*graph.Subnet](bl, id); ok {
			return s.AvailabilityZone
		}
		return ""
	}
	// Subnets without an explicit network ACL use their VPC's default ACL.
	inACL := map[string]bool{}
	for _, n := range bl.order {
		if a, ok := n.(*graph.NetworkACL); ok && !a.IsDefault {
			for _, s := range a.SubnetIDs {
				inACL[s] = true
			}
		}
	}
	// A subnet named by a default ACL is moved there.
	for _, n := range bl.order {
		if a, ok := n.(*graph.NetworkACL); ok && a.IsDefault {
			for _, s := range a.SubnetIDs {
				inACL[s] = true
			}
		}
	}
	vpcCIDR := map[string]*graph.VPC{}
	for _, v := range bl.vpcs() {
		vpcCIDR[v.ID] = v
	}
	eipByInstance := map[string]*graph.EIP{}
	for _, n := range bl.order {
		if e, ok := n.(*graph.EIP); ok && e.InstanceID != "" {
			eipByInstance[e.InstanceID] = e
		}
	}
	for _, n := range bl.order {
		switch t := n.(type) {
		case *graph.Subnet:
			if !inACL[t.ID] {
				if acl, ok := target[*graph.NetworkACL](bl, bl.defaultID(t.VPCID, 1)); ok {
					acl.SubnetIDs = append(acl.SubnetIDs, t.ID)
				}
			}
		case *graph.RouteTable:
			// Every route table has the local route for the VPC's CIDRs.
			if v, ok := vpcCIDR[t.VPCID]; ok {
				t.Routes = append(aws.LocalRoutes(v, t.Source.Range), t.Routes...)
			}
			for i := range t.Routes {
				rt := &t.Routes[i]
				if rt.TargetKind == graph.TargetLocal || rt.TargetID == "" {
					continue
				}
				rt.TargetKind = bl.targetKind(rt.TargetID, rt.TargetKind)
			}
		case *graph.NATGateway:
			t.VPCID = subnetVPC(t.SubnetID)
		case *graph.Instance:
			t.VPCID = subnetVPC(t.SubnetID)
			if t.AvailabilityZone == "" {
				t.AvailabilityZone = subnetAZ(t.SubnetID)
			}
			bl.publicIP(t, eipByInstance[t.ID])
		case *graph.NetworkInterface:
			t.VPCID = subnetVPC(t.SubnetID)
			t.AvailabilityZone = subnetAZ(t.SubnetID)
			t.Status = aws.ENIStatus(t.InstanceID)
		case *graph.LoadBalancer:
			for _, s := range t.SubnetIDs {
				if v := subnetVPC(s); v != "" {
					t.VPCID = v
				}
				if az := subnetAZ(s); az != "" {
					t.AvailabilityZones = appendUnique(t.AvailabilityZones, az)
				}
			}

		case *graph.AutoScalingGroup:
			if lt := bl.byName(graph.KindLaunchTemplate, t.LaunchTemplateID, func(n graph.Node) string { return n.(*graph.LaunchTemplate).TemplateName }); lt != nil {
				t.LaunchTemplateID = lt.Meta().ID
			}
			if len(t.AvailabilityZones) == 0 {
				for _, s := range t.SubnetIDs {
					if az := subnetAZ(s); az != "" {
						t.AvailabilityZones = appendUnique(t.AvailabilityZones, az)
					}
				}
			}
		case *graph.DBSubnetGroup:
			for _, s := range t.SubnetIDs {
				if v := subnetVPC(s); v != "" {
					t.VPCID = v
				}
				if az := subnetAZ(s); az != "" {
					t.AvailabilityZones = appendUnique(t.AvailabilityZones, az)
				}
			}
		case *graph.Listener:
			if t.Protocol == "" {
				if lb, ok := target[*graph.LoadBalancer](bl, t.LoadBalancerARN); ok {
					t.Protocol = aws.ListenerProtocol(lb.Type)
				}
			}
		case *graph.TargetGroup:
			for _, l := range bl.order {
				if li, ok := l.(*graph.Listener); ok {
					for _, arn := range li.TargetGroupARNs() {
						if arn == t.ID && li.LoadBalancerARN != "" {
							t.LoadBalancerARNs = appendUnique(t.LoadBalancerARNs, li.LoadBalancerARN)
						}
					}
				}
			}
		}
	}
	// Second pass: what depends on the first (DB groups, NAT addresses,
	// peering CIDRs, cluster members).
	for _, n := range bl.order {
		switch t := n.(type) {
		case *graph.DBInstance:
			bl.resolveDBSubnetGroup(&t.DBSubnetGroup)
			if c, ok := bl.byName(graph.KindDBCluster, t.ClusterID, func(n graph.Node) string { return n.Meta().Name }).(*graph.DBCluster); ok {
				bl.resolveDBSubnetGroup(&c.DBSubnetGroup)
				t.ClusterID = c.ID
				c.Members = append(c.Members, t.ID)
				if len(t.SecurityGroups) == 0 {
					t.SecurityGroups = c.SecurityGroups
				}
				if t.DBSubnetGroup == "" {
					t.DBSubnetGroup = c.DBSubnetGroup
				}
				if t.PubliclyAccessible {
					c.PubliclyAccessible = true
				}
			}
			if g, ok := target[*graph.DBSubnetGroup](bl, t.DBSubnetGroup); ok {
				t.VPCID = g.VPCID
			}
		case *graph.DBCluster:
			bl.resolveDBSubnetGroup(&t.DBSubnetGroup)
		case *graph.NATGateway:
			for _, a := range t.Addresses {
				if e, ok := target[*graph.EIP](bl, a.AllocationID); ok {
					e.NATGatewayID = t.ID
				}
			}
		case *graph.EIP:
			if lb := bl.eipUsers[t.ID]; lb != "" {
				aws.UsedByLoadBalancer(t, lb)
			}
		case *graph.VPCPeering:
			if v, ok := vpcCIDR[t.Requester.VPCID]; ok {
				t.Requester.CIDRBlocks = v.CIDRBlocks
			}
			if v, ok := vpcCIDR[t.Accepter.VPCID]; ok {
				t.Accepter.CIDRBlocks = v.CIDRBlocks
			}
		}
	}
	// Elastic IPs whose association is not known (needs the NAT and load
	// balancer users above).
	for _, n := range bl.order {
		if e, ok := n.(*graph.EIP); ok {
			whys := append(append([]string(nil), bl.eipWhy[e.ID]...), bl.eipWhy[""]...)
			if k := eipKey(e.Source.Address); k != e.ID {
				whys = append(whys, bl.eipWhy[k]...)
			}
			for _, why := range whys {
				aws.EIPAssociationUnknown(e, why)
			}
		}
	}
	for _, n := range bl.order {
		if a, ok := n.(*graph.NetworkACL); ok {
			aws.CompleteACL(a, aws.HasIPv6(vpcCIDR[a.VPCID]), a.Source.Range)
		}
		if c, ok := n.(*graph.DBCluster); ok {
			sort.Strings(c.Members)
			c.MultiAZ = aws.ClusterMultiAZ(c)
		}
		// What names no security group is in its VPC's default group.
		if aws.InDefaultGroup(n) {
			if sg := bl.defaultID(vpcOfNode(bl, n), 2); bl.nodes[sg] != nil {
				aws.SetSecurityGroups(n, []string{sg})
			}
		}
	}
}

func (bl *builder) resolveDBSubnetGroup(ref *string) {
	if *ref == "" {
		return
	}
	if g := bl.byName(graph.KindDBSubnetGroup, *ref, func(n graph.Node) string { return n.Meta().Name }); g != nil {
		*ref = g.Meta().ID
	}
}

// PublicIPPlaceholder stands for a public IPv4 address that AWS assigns at
// launch: a Terraform configuration cannot know the address, only that
// there will be one.
const PublicIPPlaceholder = "(known after apply)"

// publicIP decides whether an instance gets a public address: an explicit
// associate_public_ip_address, else its subnet's map_public_ip_on_launch,
// or an Elastic IP associated with it.
func (bl *builder) publicIP(t *graph.Instance, eip *graph.EIP) {
	if t.PublicIP != "" {
		return
	}
	// The range of public_ip is what decided it: the instance's own
	// request, else its subnet_id (the subnet maps public IPs), else the
	// Elastic IP's instance attribute.
	at := func(name string) {
		if r, ok := t.Attrs[name]; ok {
			t.SetAttr("public_ip", r)
		}
	}
	switch {
	case eip != nil:
		t.PublicIP = PublicIPPlaceholder
		if r, ok := eip.Attrs["instance_id"]; ok {
			t.SetAttr("public_ip", r)
		}
	case t.AssociatePublicIP != nil:
		if *t.AssociatePublicIP {
			t.PublicIP = PublicIPPlaceholder
			at("associate_public_ip")
		}
	case t.IsUnknown("associate_public_ip"):
		t.Unknown = append(t.Unknown, "public_ip")
		at("associate_public_ip")
	default:
		s, ok := target[*graph.Subnet](bl, t.SubnetID)
		switch {
		case ok && s.IsUnknown("map_public_ip_on_launch"):
			t.Unknown = append(t.Unknown, "public_ip")
			at("subnet_id")
		case ok && s.MapPublicIPOnLaunch:
			t.PublicIP = PublicIPPlaceholder
			at("subnet_id")
		case !ok && t.SubnetID == "" && t.IsUnknown("subnet_id"):
			t.Unknown = append(t.Unknown, "public_ip")
			at("subnet_id")
		}
	}
}

// targetKind decides a route target's kind from the node it names, else
// its id or address.
func (bl *builder) targetKind(id string, declared graph.TargetKind) graph.TargetKind {
	if n, ok := bl.nodes[id]; ok {
		switch n.Meta().Kind {
		case graph.KindInternetGateway:
			return graph.TargetIGW
		case graph.KindNATGateway:
			return graph.TargetNAT
		case graph.KindEgressOnlyInternetGateway:
			return graph.TargetEIGW
		case graph.KindVPCPeering:
			return graph.TargetPeering
		case graph.KindTransitGateway:
			return graph.TargetTGW
		case graph.KindVPCEndpoint:
			return graph.TargetEndpoint
		case graph.KindNetworkInterface:
			return graph.TargetENI
		case graph.KindInstance:
			return graph.TargetInstance
		}
	}
	switch typeOfAddr(id) {
	case "aws_vpn_gateway":
		return graph.TargetVGW
	case "aws_internet_gateway":
		return graph.TargetIGW
	case "aws_nat_gateway":
		return graph.TargetNAT
	}
	if k := graph.TargetKindOfID(id); k != graph.TargetUnknown {
		return k
	}
	if strings.HasPrefix(id, "aws_") || strings.HasPrefix(id, "module.") {
		return graph.TargetUnknown
	}
	return declared
}

func appendUnique(s []string, v string) []string {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

// defaultID is the id of a VPC's main route table (0), default network ACL
// (1) or default security group (2).
func (bl *builder) defaultID(vpc string, i int) string {
	if o, ok := bl.vpcDefaults[vpc]; ok && o[i] != "" {
		return o[i]
	}
	return vpc + [3]string{mainRouteTableSuffix, defaultACLSuffix, defaultSGSuffix}[i]
}

// vpcOfNode is the VPC of a node that AWS may put in a default group.
func vpcOfNode(bl *builder, n graph.Node) string {
	switch n := n.(type) {
	case *graph.Instance:
		return n.VPCID
	case *graph.NetworkInterface:
		return n.VPCID
	case *graph.LoadBalancer:
		return n.VPCID
	case *graph.DBInstance:
		return n.VPCID
	case *graph.ECSService:
		for _, s := range n.SubnetIDs {
			if sub, ok := target[*graph.Subnet](bl, s); ok {
				return sub.VPCID
			}
		}
	}
	return ""
}
