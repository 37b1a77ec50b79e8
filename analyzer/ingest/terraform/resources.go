package terraform

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/vpcgate/vpcgate/analyzer/aws"
	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// builder turns evaluated resource instances into graph nodes. Resources
// that modify other nodes (aws_route, aws_security_group_rule, associations,
// attachments…) are collected and applied by link once every node exists.
type builder struct {
	nodes   map[string]graph.Node
	order   []graph.Node
	diags   []graph.Diagnostic
	effects []effect
	// adopted marks the synthesized VPC defaults a configuration adopts.
	adopted map[string]bool
	// vpcDefaults overrides the ids of a VPC's main route table, default
	// network ACL and default security group when the input states them
	// (state JSON).
	vpcDefaults map[string][3]string
	// bpaMode is the region's VPC Block Public Access mode
	// (aws_vpc_block_public_access_options), bpaRange where it is set,
	// bpaExcluded the VPCs excluded from it (a subnet exclusion excludes
	// its whole VPC here: reachability never claims a block that is not
	// there).
	bpaMode     string
	bpaRange    graph.Range
	bpaExcluded map[string]bool
	// eipUsers maps an Elastic IP to the network load balancer whose
	// subnet_mapping names it; eipWhy holds why an address's association
	// is not known (by EIP id, or "" for every address of the
	// configuration: an association whose address is unknown).
	eipUsers map[string]string
	eipWhy   map[string][]string
}

// effect is a change one resource makes to another node.
type effect struct {
	typ string
	r   rd
	id  string // the effect resource's own node id
}

func newBuilder() *builder {
	return &builder{nodes: map[string]graph.Node{}, adopted: map[string]bool{}, vpcDefaults: map[string][3]string{}, eipUsers: map[string]string{}, eipWhy: map[string][]string{}}
}

func (bl *builder) add(n graph.Node) {
	b := n.Meta()
	id := b.ID
	if old, dup := bl.nodes[id]; dup {
		// AWS names are per kind: an RDS instance and its DB subnet group
		// may both be called "orders". The newcomer then goes by its
		// address, keeping the name as an alias; references by name are
		// resolved per kind (byName).
		if addr := b.Source.Address; old.Meta().Kind != b.Kind && addr != "" && addr != id && bl.nodes[addr] == nil {
			b.ID = addr
			b.Aliases = append([]string{id}, slices.DeleteFunc(b.Aliases, func(a string) bool { return a == addr })...)
			bl.nodes[addr] = n
			bl.order = append(bl.order, n)
			return
		}
		bl.diags = append(bl.diags, graph.Diagnostic{Severity: graph.SeverityWarning, Summary: fmt.Sprintf("%s %s is declared twice; keeping the first", b.Kind, id), Range: b.Source.Range})
		return
	}
	bl.nodes[id] = n
	bl.order = append(bl.order, n)
}

func (bl *builder) warn(r graph.Range, format string, args ...any) {
	bl.diags = append(bl.diags, graph.Diagnostic{Severity: graph.SeverityWarning, Summary: fmt.Sprintf(format, args...), Range: r})
}

// base fills the fields every node has.
func base(id, addr string, kind graph.Kind, o *obj) graph.Base {
	b := graph.Base{ID: id, Kind: kind, Source: graph.Source{Form: graph.FormTerraform, Range: o.file.rng(o.rng), Address: addr}}
	if id != addr {
		b.Aliases = []string{addr}
	}
	b.Suppressions = o.file.suppressionsFor(o.rng)
	return b
}

// named sets the tags and the name of a node.
func named(r rd, own string) {
	r.b.Tags = r.tags()
	r.b.Name = r.b.Tags["Name"]
	if r.b.Name == "" {
		r.b.Name = own
	}
}

// mapResource maps one managed resource instance.
func (bl *builder) mapResource(typ, id, addr string, o *obj) {
	switch typ {
	case "aws_vpc", "aws_default_vpc":
		n := &graph.VPC{Base: base(id, addr, graph.KindVPC, o), IsDefault: typ == "aws_default_vpc", State: "available"}
		r := rd{o: o, b: &n.Base}
		named(r, "")
		if n.IsDefault && r.o.attrs["cidr_block"] == nil {
			n.CIDRBlocks = []string{aws.DefaultVPCCIDR}
		}
		if c := r.str("cidr_block", "cidr_blocks"); c != "" {
			n.CIDRBlocks = []string{c}
		}
		if c := r.str("ipv6_cidr_block", "ipv6_cidr_blocks"); c != "" {
			n.IPv6CIDRBlocks = []string{c}
		} else if r.boolOr("assign_generated_ipv6_cidr_block", "ipv6_cidr_blocks", false) {
			r.unknown("ipv6_cidr_blocks", "")
		}
		bl.add(n)
	case "aws_vpc_ipv4_cidr_block_association", "aws_vpc_ipv6_cidr_block_association", "aws_internet_gateway_attachment",
		"aws_route", "aws_route_table_association", "aws_main_route_table_association", "aws_security_group_rule",
		"aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule", "aws_network_acl_rule",
		"aws_network_acl_association", "aws_eip_association", "aws_autoscaling_attachment", "aws_autoscaling_policy",
		"aws_autoscaling_schedule", "aws_lb_target_group_attachment", "aws_alb_target_group_attachment",
		"aws_network_interface_attachment", "aws_network_interface_sg_attachment", "aws_vpc_endpoint_route_table_association",
		"aws_vpc_endpoint_subnet_association", "aws_vpc_block_public_access_options", "aws_vpc_block_public_access_exclusion",
		"aws_ec2_managed_prefix_list_entry", "aws_elb_attachment":
		bl.effects = append(bl.effects, effect{typ: typ, r: rd{o: o, b: &graph.Base{ID: id, Source: graph.Source{Address: addr}}}, id: id})
	case "aws_subnet", "aws_default_subnet":
		n := &graph.Subnet{Base: base(id, addr, graph.KindSubnet, o), State: "available"}
		r := rd{o: o, b: &n.Base}
		named(r, "")
		n.VPCID = r.str("vpc_id", "")
		n.AvailabilityZone = r.str("availability_zone", "")
		n.AvailabilityZoneID = r.str("availability_zone_id", "")
		n.CIDRBlock = r.str("cidr_block", "")
		if c := r.str("ipv6_cidr_block", "ipv6_cidr_blocks"); c != "" {
			n.IPv6CIDRBlocks = []string{c}
		}
		n.MapPublicIPOnLaunch = r.boolOr("map_public_ip_on_launch", "", typ == "aws_default_subnet")
		n.AssignIPv6OnCreate = r.boolOr("assign_ipv6_address_on_creation", "", false)
		bl.add(n)
	case "aws_route_table", "aws_default_route_table":
		n := &graph.RouteTable{Base: base(id, addr, graph.KindRouteTable, o)}
		r := rd{o: o, b: &n.Base}
		named(r, "")
		n.VPCID = r.str("vpc_id", "")
		if typ == "aws_default_route_table" {
			if n.VPCID == "" && strings.HasSuffix(id, mainRouteTableSuffix) {
				n.VPCID = strings.TrimSuffix(id, mainRouteTableSuffix)
			}
			n.Main = true
			n.Associations = []graph.RouteTableAssociation{{Main: true, Range: r.blockRange()}}
			bl.adopted[id] = true
		}
		for _, rb := range r.blocks("route", "routes") {
			if rt, ok := routeOf(r.sub(rb)); ok {
				n.Routes = append(n.Routes, rt)
			}
		}
		bl.add(n)
	case "aws_internet_gateway":
		n := &graph.InternetGateway{Base: base(id, addr, graph.KindInternetGateway, o)}
		r := rd{o: o, b: &n.Base}
		named(r, "")
		if v := r.str("vpc_id", "vpc_ids"); v != "" {
			n.VPCIDs = []string{v}
		}
		bl.add(n)
	case "aws_egress_only_internet_gateway":
		n := &graph.EgressOnlyInternetGateway{Base: base(id, addr, graph.KindEgressOnlyInternetGateway, o)}
		r := rd{o: o, b: &n.Base}
		named(r, "")
		if v := r.str("vpc_id", "vpc_ids"); v != "" {
			n.VPCIDs = []string{v}
		}
		bl.add(n)
	case "aws_nat_gateway":
		n := &graph.NATGateway{Base: base(id, addr, graph.KindNATGateway, o)}
		r := rd{o: o, b: &n.Base}
		named(r, "")
		n.SubnetID = r.str("subnet_id", "")
		n.ConnectivityType = r.str("connectivity_type", "")
		aws.NATDefaults(n)
		if a := r.str("allocation_id", "addresses"); a != "" {
			n.Addresses = append(n.Addresses, graph.NATAddress{AllocationID: a, IsPrimary: true, PrivateIP: r.str("private_ip", "")})
		} else if n.ConnectivityType == "public" {
			r.unknown("addresses", "allocation_id")
		}
		for _, a := range r.strs("secondary_allocation_ids", "addresses") {
			n.Addresses = append(n.Addresses, graph.NATAddress{AllocationID: a})
		}
		bl.add(n)
	case "aws_eip":
		n := &graph.EIP{Base: base(id, addr, graph.KindEIP, o)}
		r := rd{o: o, b: &n.Base}
		named(r, "")
		n.Domain = r.str("domain", "")
		if n.Domain == "" && r.boolOr("vpc", "domain", true) {
			n.Domain = aws.DefaultEIPDomain
		}
		n.InstanceID = r.str("instance", "instance_id")
		n.NetworkInterfaceID = r.str("network_interface", "network_interface_id")
		for _, a := range []string{"instance", "network_interface"} {
			if n.IsUnknown(a+"_id") && (a == "instance" && n.InstanceID == "" || a == "network_interface" && n.NetworkInterfaceID == "") {
				bl.eipWhy[id] = append(bl.eipWhy[id], "its "+strings.ReplaceAll(a, "_", " ")+withExpr(r.exprText(a))+" is known only at apply")
			}
		}
		n.PrivateIP = r.str("associate_with_private_ip", "private_ip")
		if ip := r.str("public_ip", ""); ip != "" {
			n.PublicIP = ip
		} else {
			r.unknown("public_ip", "")
		}
		bl.add(n)
	case "aws_security_group", "aws_default_security_group":
		n := &graph.SecurityGroup{Base: base(id, addr, graph.KindSecurityGroup, o)}
		r := rd{o: o, b: &n.Base}
		n.VPCID = r.str("vpc_id", "")
		n.GroupName = r.str("name", "group_name")
		if n.GroupName == "" && typ == "aws_default_security_group" {
			n.GroupName = aws.DefaultGroupName
		}
		if n.GroupName == "" {
			if p := r.str("name_prefix", "group_name"); p != "" {
				r.unknown("group_name", "name")
			} else {
				n.GroupName = addr
			}
		}
		n.Description = r.str("description", "")
		if n.Description == "" && typ == "aws_security_group" {
			n.Description = "Managed by Terraform"
		}
		named(r, n.GroupName)
		if typ == "aws_default_security_group" {
			bl.adopted[id] = true
		}
		// Terraform removes the default allow-all egress rule of a group it
		// creates: a group without egress blocks has no egress.
		for _, rb := range r.blocks("ingress", "ingress") {
			n.Ingress = append(n.Ingress, inlineSGRules(r.sub(rb), id, "ingress")...)
		}
		for _, rb := range r.blocks("egress", "egress") {
			n.Egress = append(n.Egress, inlineSGRules(r.sub(rb), id, "egress")...)
		}
		// A dynamic block whose for_each is unknown stands for rules that
		// are unknown: keep one rule marked unknown at the block.
		if br, ok := o.unknownBlocks["ingress"]; ok {
			n.Ingress = append(n.Ingress, graph.SGRule{Unknown: true, Range: o.file.rng(br)})
		}
		if br, ok := o.unknownBlocks["egress"]; ok {
			n.Egress = append(n.Egress, graph.SGRule{Unknown: true, Range: o.file.rng(br)})
		}
		bl.add(n)
	case "aws_network_acl", "aws_default_network_acl":
		n := &graph.NetworkACL{Base: base(id, addr, graph.KindNetworkACL, o)}
		r := rd{o: o, b: &n.Base}
		named(r, "")
		n.VPCID = r.str("vpc_id", "")
		n.IsDefault = typ == "aws_default_network_acl"
		if n.IsDefault {
			bl.adopted[id] = true
			if n.VPCID == "" && strings.HasSuffix(id, defaultACLSuffix) {
				n.VPCID = strings.TrimSuffix(id, defaultACLSuffix)
			}
		}
		n.SubnetIDs = r.strs("subnet_ids", "")
		for _, eg := range []bool{false, true} {
			name := "ingress"
			if eg {
				name = "egress"
			}
			for _, rb := range r.blocks(name, "entries") {
				if e, ok := aclEntry(r.sub(rb), eg, "rule_no", "action"); ok {
					n.Entries = append(n.Entries, e)
				}
			}
		}
		bl.add(n)
	case "aws_instance":
		n := &graph.Instance{Base: base(id, addr, graph.KindInstance, o), State: "running", Count: 1}
		r := rd{o: o, b: &n.Base}
		named(r, "")
		n.InstanceType = r.str("instance_type", "")
		n.ImageID = r.str("ami", "image_id")
		n.SubnetID = r.str("subnet_id", "")
		n.AvailabilityZone = r.str("availability_zone", "")
		n.PrivateIP = r.str("private_ip", "")
		n.PublicIP = r.str("public_ip", "")
		n.KeyName = r.str("key_name", "")
		n.SecurityGroups = append(r.strs("vpc_security_group_ids", "security_groups"), r.strs("security_groups", "")...)
		n.AssociatePublicIP = r.boolp("associate_public_ip_address", "associate_public_ip")
		if lt := r.block("launch_template"); lt != nil {
			lr := r.sub(lt)
			n.LaunchTemplateID = firstNonEmpty(lr.str("id", "launch_template_id"), lr.str("name", "launch_template_id"))
		}
		for _, ni := range r.blocks("network_interface", "network_interfaces") {
			if v := r.sub(ni).str("network_interface_id", "network_interfaces"); v != "" {
				n.NetworkInterfaces = append(n.NetworkInterfaces, v)
			}
		}
		n.BlockDevices = blockDevices(r)
		n.Tenancy = r.str("tenancy", "tenancy")
		n.EBSOptimized = r.boolOr("ebs_optimized", "ebs_optimized", false)
		n.DetailedMonitoring = r.boolOr("monitoring", "detailed_monitoring", false)
		bl.add(n)
	case "aws_ebs_volume":
		n := &graph.Volume{Base: base(id, addr, graph.KindVolume, o), State: "available"}
		r := rd{o: o, b: &n.Base}
		named(r, "")
		d := ebsDevice(r, "", false)
		n.VolumeType, n.SizeGB, n.IOPS, n.Throughput = firstNonEmpty(r.str("type", "volume_type"), d.VolumeType), d.SizeGB, d.IOPS, d.Throughput
		n.AvailabilityZone = r.str("availability_zone", "")
		bl.add(n)
	case "aws_network_interface":
		n := &graph.NetworkInterface{Base: base(id, addr, graph.KindNetworkInterface, o), InterfaceType: "interface"}
		r := rd{o: o, b: &n.Base}
		named(r, "")
		n.Description = r.str("description", "")
		n.SubnetID = r.str("subnet_id", "")
		n.SecurityGroups = r.strs("security_groups", "")
		n.SourceDestCheck = r.boolOr("source_dest_check", "", true)
		n.InterfaceType = firstNonEmpty(r.str("interface_type", ""), "interface")
		if ips := r.strs("private_ips", "private_ip"); len(ips) > 0 {
			n.PrivateIP = ips[0]
		} else {
			n.PrivateIP = r.str("private_ip", "")
		}
		for _, at := range r.blocks("attachment", "") {
			n.InstanceID = r.sub(at).str("instance", "instance_id")
		}
		bl.add(n)
	case "aws_launch_template", "aws_launch_configuration":
		n := &graph.LaunchTemplate{Base: base(id, addr, graph.KindLaunchTemplate, o), IsLaunchConfiguration: typ == "aws_launch_configuration"}
		r := rd{o: o, b: &n.Base}
		n.TemplateName = r.str("name", "template_name")
		named(r, n.TemplateName)
		n.ImageID = r.str("image_id", "")
		n.InstanceType = r.str("instance_type", "")
		n.KeyName = r.str("key_name", "")
		if n.IsLaunchConfiguration {
			n.SecurityGroups = r.strs("security_groups", "")
			n.AssociatePublicIP = r.boolp("associate_public_ip_address", "associate_public_ip")
			// Launch configurations monitor in detail unless told otherwise.
			detailed := true
			if b := r.boolp("enable_monitoring", "detailed_monitoring"); b != nil {
				detailed = *b
			}
			n.DetailedMonitoring = &detailed
			n.BlockDevices = blockDevices(r)
			n.Tenancy = r.str("placement_tenancy", "tenancy")
		} else {
			for _, bd := range r.blocks("block_device_mappings", "block_devices") {
				br := r.sub(bd)
				for _, e := range br.blocks("ebs", "block_devices") {
					n.BlockDevices = append(n.BlockDevices, ebsDevice(r.sub(e), br.str("device_name", "block_devices"), false))
				}
			}
			if pl := r.block("placement"); pl != nil {
				n.Tenancy = r.sub(pl).str("tenancy", "tenancy")
			}
			n.SecurityGroups = append(r.strs("vpc_security_group_ids", "security_groups"), r.strs("security_group_names", "")...)
			for _, m := range r.blocks("monitoring", "") {
				n.DetailedMonitoring = r.sub(m).boolp("enabled", "detailed_monitoring")
			}
			n.DefaultVersion = 1
			n.LatestVersion = 1
			for _, ni := range r.blocks("network_interfaces", "network_interfaces") {
				nr := r.sub(ni)
				spec := graph.LaunchTemplateNetworkInterface{
					DeviceIndex:       nr.numOr("device_index", "", 0),
					SubnetID:          nr.str("subnet_id", ""),
					SecurityGroups:    nr.strs("security_groups", "security_groups"),
					AssociatePublicIP: nr.boolp("associate_public_ip_address", "associate_public_ip"),
				}
				if spec.DeviceIndex == 0 && spec.AssociatePublicIP != nil {
					n.AssociatePublicIP = spec.AssociatePublicIP
				}
				n.NetworkInterfaces = append(n.NetworkInterfaces, spec)
			}
		}
		n.EBSOptimized = r.boolOr("ebs_optimized", "ebs_optimized", false)
		bl.add(n)
	case "aws_ec2_managed_prefix_list":
		n := &graph.PrefixList{Base: base(id, addr, graph.KindPrefixList, o), EntriesKnown: true}
		r := rd{o: o, b: &n.Base}
		n.PrefixListName = r.str("name", "prefix_list_name")
		named(r, n.PrefixListName)
		n.AddressFamily = r.str("address_family", "")
		n.MaxEntries = r.numOr("max_entries", "", 0)
		for _, e := range r.blocks("entry", "entries") {
			if c := r.sub(e).str("cidr", "entries"); c != "" {
				n.Entries = append(n.Entries, c)
			}
		}
		if n.IsUnknown("entries") {
			n.EntriesKnown = false
		}
		bl.add(n)
	case "aws_autoscaling_group":
		n := &graph.AutoScalingGroup{Base: base(id, addr, graph.KindAutoScalingGroup, o)}
		r := rd{o: o, b: &n.Base}
		name := r.str("name", "")
		named(r, name)
		for _, tb := range r.blocks("tag", "tags") {
			tr := r.sub(tb)
			if k := tr.str("key", "tags"); k != "" {
				if n.Tags == nil {
					n.Tags = map[string]string{}
				}
				n.Tags[k] = tr.str("value", "tags")
			}
		}
		if nm := n.Tags["Name"]; nm != "" && n.Name == name {
			n.Name = nm
			if name != "" && name != nm {
				n.Aliases = append(n.Aliases, name)
			}
		}
		n.MinSize = r.numOr("min_size", "", 0)
		n.MaxSize = r.numOr("max_size", "", 0)
		if d, ok := r.num("desired_capacity", ""); ok {
			n.DesiredCapacity = d
		} else if _, present := o.attrs["desired_capacity"]; !present {
			n.DesiredCapacity = n.MinSize
		}
		n.SubnetIDs = r.strs("vpc_zone_identifier", "subnet_ids")
		n.AvailabilityZones = r.strs("availability_zones", "")
		n.TargetGroupARNs = r.strs("target_group_arns", "")
		n.LoadBalancerNames = r.strs("load_balancers", "load_balancer_names")
		n.HealthCheckType = firstNonEmpty(r.str("health_check_type", ""), aws.DefaultHealthCheckType)
		// The provider's default grace period is 300 s (the API's is 0).
		n.HealthCheckGrace = r.numOr("health_check_grace_period", "", 300)
		n.DefaultCooldown = r.numOr("default_cooldown", "", aws.DefaultCooldown)
		n.DefaultInstanceWarmup = r.numOr("default_instance_warmup", "", 0)
		if lc := r.str("launch_configuration", "launch_template_id"); lc != "" {
			n.LaunchTemplateID = lc
		}
		if lt := r.block("launch_template"); lt != nil {
			lr := r.sub(lt)
			n.LaunchTemplateID = firstNonEmpty(lr.str("id", "launch_template_id"), lr.str("name", "launch_template_id"))
			n.LaunchTemplateVersion = lr.str("version", "launch_template_version")
		}
		if mip := r.block("mixed_instances_policy"); mip != nil {
			mr := r.sub(mip)
			pol := &graph.MixedInstancesPolicy{}
			if d := mr.block("instances_distribution"); d != nil {
				dr := r.sub(d)
				pol.OnDemandBase = dr.numOr("on_demand_base_capacity", "mixed_instances_policy", 0)
				if pct, ok := dr.num("on_demand_percentage_above_base_capacity", "mixed_instances_policy"); ok {
					pol.OnDemandPercentAboveBase = &pct
				}
				pol.SpotAllocationStrategy = dr.str("spot_allocation_strategy", "mixed_instances_policy")
			}
			if lt := mr.block("launch_template"); lt != nil {
				ltr := r.sub(lt)
				if spec := ltr.block("launch_template_specification"); spec != nil {
					sr := r.sub(spec)
					n.LaunchTemplateID = firstNonEmpty(sr.str("launch_template_id", "launch_template_id"), sr.str("launch_template_name", "launch_template_id"))
					n.LaunchTemplateVersion = sr.str("version", "launch_template_version")
				}
				for _, ov := range ltr.blocks("override", "") {
					or := r.sub(ov)
					if t := or.str("instance_type", "instance_types"); t != "" {
						n.InstanceTypes = append(n.InstanceTypes, t)
						w, _ := strconv.Atoi(or.str("weighted_capacity", "mixed_instances_policy"))
						pol.Overrides = append(pol.Overrides, graph.InstanceOverride{InstanceType: t, Weight: w})
					}
				}
			}
			n.MixedInstances = pol
		}
		if wp := r.block("warm_pool"); wp != nil {
			wr := r.sub(wp)
			n.WarmPool = &graph.WarmPool{MinSize: wr.numOr("min_size", "", 0), PoolState: firstNonEmpty(wr.str("pool_state", ""), aws.DefaultWarmPoolState)}
			if m, ok := wr.num("max_group_prepared_capacity", ""); ok {
				n.WarmPool.MaxGroupPreparedCapacity = &m
			}
		}
		bl.add(n)
	case "aws_lb", "aws_alb":
		n := &graph.LoadBalancer{Base: base(id, addr, graph.KindLoadBalancer, o), State: "active"}
		r := rd{o: o, b: &n.Base}
		n.LBName = r.str("name", "lb_name")
		named(r, n.LBName)
		n.Type = r.str("load_balancer_type", "type")
		internal := r.boolp("internal", "scheme")
		switch {
		case internal == nil && n.Base.IsUnknown("scheme"):
		case internal != nil && *internal:
			n.Scheme = "internal"
		default:
			// internal defaults to false: internet-facing.
			n.Scheme = "internet-facing"
		}
		n.SubnetIDs = r.strs("subnets", "subnet_ids")
		for _, sm := range r.blocks("subnet_mapping", "subnet_ids") {
			if s := r.sub(sm).str("subnet_id", "subnet_ids"); s != "" {
				n.SubnetIDs = append(n.SubnetIDs, s)
			}
			// A network load balancer's Elastic IPs are in use by it.
			if a, ok := sm.attrs["allocation_id"]; ok && !a.v.IsNull() {
				if v, known := asString(a.v); known && v != "" {
					bl.eipUsers[v] = id
				} else if !known {
					bl.eipWhy[""] = append(bl.eipWhy[""], addr+" maps an Elastic IP known only at apply"+withExpr(rd{o: sm}.exprText("allocation_id")))
				}
			}
		}
		n.SecurityGroups = r.strs("security_groups", "")
		n.IPAddressType = r.str("ip_address_type", "")
		if n.DNSName = r.str("dns_name", ""); n.DNSName == "" {
			r.unknown("dns_name", "") // assigned at creation
		}
		aws.LoadBalancerDefaults(n)
		bl.add(n)
	case "aws_elb":
		// Classic load balancer: its listeners are nodes of their own, as
		// the other forms read them (aws.ClassicListener).
		n := &graph.LoadBalancer{Base: base(id, addr, graph.KindLoadBalancer, o), Type: aws.LBClassic, State: "active"}
		r := rd{o: o, b: &n.Base}
		n.LBName = r.str("name", "lb_name")
		named(r, n.LBName)
		if n.LBName == "" {
			// Unnamed: Terraform makes one up; references see the id
			// (resinst), so a group's load_balancers still match.
			n.LBName = id
		}
		internal := r.boolp("internal", "scheme")
		switch {
		case internal == nil && n.Base.IsUnknown("scheme"):
		case internal != nil && *internal:
			n.Scheme = "internal"
		default:
			n.Scheme = "internet-facing"
		}
		n.SubnetIDs = r.strs("subnets", "subnet_ids")
		n.AvailabilityZones = r.strs("availability_zones", "availability_zones")
		n.SecurityGroups = r.strs("security_groups", "")
		n.Instances = r.strs("instances", "instances")
		if hc := r.block("health_check"); hc != nil {
			n.HealthCheckTarget = r.sub(hc).str("target", "health_check_target")
		}
		if n.DNSName = r.str("dns_name", ""); n.DNSName == "" {
			r.unknown("dns_name", "")
		}
		aws.LoadBalancerDefaults(n)
		bl.add(n)
		for _, lo := range r.blocks("listener", "listeners") {
			lr := r.sub(lo)
			src := graph.Source{Form: graph.FormTerraform, Range: lr.blockRange(), Address: addr}
			bl.add(aws.ClassicListener(n, src, lr.numOr("lb_port", "", 0), lr.str("lb_protocol", ""), lr.numOr("instance_port", "", 0), lr.str("ssl_certificate_id", "")))
		}
	case "aws_lb_listener", "aws_alb_listener":
		n := &graph.Listener{Base: base(id, addr, graph.KindListener, o)}
		r := rd{o: o, b: &n.Base}
		named(r, "")
		n.LoadBalancerARN = r.str("load_balancer_arn", "")
		n.Port = r.numOr("port", "", 0)
		n.Protocol = strings.ToUpper(r.str("protocol", ""))
		if c := r.str("certificate_arn", "certificates"); c != "" {
			n.Certificates = []string{c}
		}
		n.SSLPolicy = r.str("ssl_policy", "")
		for _, ab := range r.blocks("default_action", "default_actions") {
			n.DefaultActions = append(n.DefaultActions, listenerAction(r.sub(ab)))
		}
		bl.add(n)
	case "aws_lb_target_group", "aws_alb_target_group":
		n := &graph.TargetGroup{Base: base(id, addr, graph.KindTargetGroup, o)}
		r := rd{o: o, b: &n.Base}
		n.TargetGroupName = r.str("name", "target_group_name")
		named(r, n.TargetGroupName)
		n.Port = r.numOr("port", "", 0)
		n.Protocol = strings.ToUpper(r.str("protocol", ""))
		n.TargetType = r.str("target_type", "")
		n.VPCID = r.str("vpc_id", "")
		if hc := r.block("health_check"); hc != nil {
			hr := r.sub(hc)
			n.HealthCheckPath = hr.str("path", "health_check_path")
			n.HealthCheckPort = hr.str("port", "health_check_port")
		}
		aws.TargetGroupDefaults(n)
		bl.add(n)
	case "aws_db_instance", "aws_rds_cluster_instance":
		n := &graph.DBInstance{Base: base(id, addr, graph.KindDBInstance, o), Status: "available", Count: 1}
		r := rd{o: o, b: &n.Base}
		named(r, r.str("identifier", ""))
		n.Engine = r.str("engine", "")
		n.EngineVersion = r.str("engine_version", "")
		n.InstanceClass = r.str("instance_class", "")
		n.MultiAZ = r.boolOr("multi_az", "", false)
		n.PubliclyAccessible = r.boolOr("publicly_accessible", "", false)
		n.AllocatedStorage = r.numOr("allocated_storage", "", 0)
		n.StorageType = r.str("storage_type", "")
		n.StorageEncrypted = r.boolOr("storage_encrypted", "", false)
		n.Port = r.numOr("port", "", aws.DefaultDBPort(n.Engine))
		n.DBSubnetGroup = r.str("db_subnet_group_name", "db_subnet_group")
		n.SecurityGroups = r.strs("vpc_security_group_ids", "security_groups")
		n.AvailabilityZone = r.str("availability_zone", "")
		n.ClusterID = r.str("cluster_identifier", "cluster_id")
		bl.add(n)
	case "aws_rds_cluster":
		n := &graph.DBCluster{Base: base(id, addr, graph.KindDBCluster, o), Status: "available"}
		r := rd{o: o, b: &n.Base}
		named(r, r.str("cluster_identifier", ""))
		n.Engine = r.str("engine", "")
		n.EngineVersion = r.str("engine_version", "")
		n.InstanceClass = r.str("db_cluster_instance_class", "instance_class")
		n.StorageEncrypted = r.boolOr("storage_encrypted", "", false)
		n.Port = r.numOr("port", "", aws.DefaultDBPort(n.Engine))
		n.DBSubnetGroup = r.str("db_subnet_group_name", "db_subnet_group")
		n.SecurityGroups = r.strs("vpc_security_group_ids", "security_groups")
		n.AvailabilityZones = r.strs("availability_zones", "")
		// A Multi-AZ DB cluster (instance class set) spans three zones.
		n.MultiAZ = n.InstanceClass != ""
		bl.add(n)
	case "aws_db_subnet_group":
		n := &graph.DBSubnetGroup{Base: base(id, addr, graph.KindDBSubnetGroup, o)}
		r := rd{o: o, b: &n.Base}
		named(r, r.str("name", ""))
		n.SubnetIDs = r.strs("subnet_ids", "")
		bl.add(n)
	case "aws_vpc_endpoint":
		n := &graph.VPCEndpoint{Base: base(id, addr, graph.KindVPCEndpoint, o), State: "available"}
		r := rd{o: o, b: &n.Base}
		named(r, "")
		n.VPCID = r.str("vpc_id", "")
		n.ServiceName = r.str("service_name", "")
		n.EndpointType = firstNonEmpty(r.str("vpc_endpoint_type", "endpoint_type"), aws.DefaultEndpointType)
		n.RouteTableIDs = r.strs("route_table_ids", "")
		n.SubnetIDs = r.strs("subnet_ids", "")
		n.SecurityGroups = r.strs("security_group_ids", "security_groups")
		bl.add(n)
	case "aws_vpc_peering_connection":
		n := &graph.VPCPeering{Base: base(id, addr, graph.KindVPCPeering, o)}
		r := rd{o: o, b: &n.Base}
		named(r, "")
		n.Requester.VPCID = r.str("vpc_id", "")
		n.Accepter.VPCID = r.str("peer_vpc_id", "")
		n.Accepter.OwnerID = r.str("peer_owner_id", "")
		n.Accepter.Region = r.str("peer_region", "")
		n.Status = "pending-acceptance"
		if r.boolOr("auto_accept", "status", false) {
			n.Status = "active"
		}
		bl.add(n)
	case "aws_ec2_transit_gateway":
		n := &graph.TransitGateway{Base: base(id, addr, graph.KindTransitGateway, o), State: "available"}
		named(rd{o: o, b: &n.Base}, "")
		bl.add(n)
	case "aws_ec2_transit_gateway_vpc_attachment":
		n := &graph.TransitGatewayAttachment{Base: base(id, addr, graph.KindTransitGatewayAttachment, o), ResourceType: "vpc", State: "available"}
		r := rd{o: o, b: &n.Base}
		named(r, "")
		n.TransitGatewayID = r.str("transit_gateway_id", "")
		n.ResourceID = r.str("vpc_id", "resource_id")
		n.SubnetIDs = r.strs("subnet_ids", "")
		bl.add(n)
	case "aws_ecs_service":
		n := &graph.ECSService{Base: base(id, addr, graph.KindECSService, o)}
		r := rd{o: o, b: &n.Base}
		named(r, r.str("name", ""))
		n.Cluster = r.str("cluster", "")
		if _, set := o.attrs["cluster"]; !set {
			n.Cluster = aws.DefaultECSCluster
		}
		n.LaunchType = strings.ToUpper(r.str("launch_type", ""))
		if _, set := o.attrs["launch_type"]; !set {
			var providers []string
			for _, cp := range r.blocks("capacity_provider_strategy", "") {
				providers = append(providers, r.sub(cp).str("capacity_provider", ""))
			}
			n.LaunchType = aws.ECSLaunchType(providers, false)
		}
		n.DesiredCount = r.numOr("desired_count", "", 0)
		if nc := r.block("network_configuration"); nc != nil {
			nr := r.sub(nc)
			n.SubnetIDs = nr.strs("subnets", "subnet_ids")
			n.SecurityGroups = nr.strs("security_groups", "")
			n.AssignPublicIP = nr.boolOr("assign_public_ip", "", false)
		}
		for _, lb := range r.blocks("load_balancer", "load_balancers") {
			lr := r.sub(lb)
			n.LoadBalancers = append(n.LoadBalancers, graph.ECSLoadBalancer{
				TargetGroupARN: lr.str("target_group_arn", ""), LoadBalancerName: lr.str("elb_name", ""),
				ContainerName: lr.str("container_name", ""), ContainerPort: lr.numOr("container_port", "", 0),
			})
		}
		bl.add(n)
	}
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// routeTargets lists the attributes of a route (inline or aws_route) that
// name its target, with the target kind each implies.
var routeTargets = []struct {
	attr string
	kind graph.TargetKind
}{
	{"gateway_id", graph.TargetIGW},
	{"nat_gateway_id", graph.TargetNAT},
	{"egress_only_gateway_id", graph.TargetEIGW},
	{"transit_gateway_id", graph.TargetTGW},
	{"vpc_peering_connection_id", graph.TargetPeering},
	{"vpc_endpoint_id", graph.TargetEndpoint},
	{"network_interface_id", graph.TargetENI},
	{"instance_id", graph.TargetInstance},
	{"local_gateway_id", graph.TargetLocalGW},
	{"carrier_gateway_id", graph.TargetCarrier},
	{"core_network_arn", graph.TargetCoreNetwork},
}

// routeOf reads a route: an inline route block or an aws_route (whose
// destination attributes carry a destination_ prefix).
func routeOf(r rd) (graph.Route, bool) {
	rt := graph.Route{State: "active", Origin: "CreateRoute", Range: r.blockRange()}
	rt.DestinationCIDR = firstNonEmpty(r.str("cidr_block", "routes"), r.str("destination_cidr_block", "routes"))
	rt.DestinationIPv6CIDR = firstNonEmpty(r.str("ipv6_cidr_block", "routes"), r.str("destination_ipv6_cidr_block", "routes"))
	rt.DestinationPrefixList = firstNonEmpty(r.str("destination_prefix_list_id", "routes"))
	for _, t := range routeTargets {
		if _, ok := r.o.attrs[t.attr]; !ok {
			continue
		}
		rt.TargetID = r.str(t.attr, "routes")
		rt.TargetKind = t.kind
		if rt.TargetID == "" {
			rt.TargetKind = graph.TargetUnknown
		}
		break
	}
	if rt.TargetKind == "" {
		rt.TargetKind = graph.TargetUnknown
	}
	if rt.Destination() == "" {
		return rt, false
	}
	return rt, true
}

// protocol normalizes a Terraform protocol as EC2 reports it (aws.Protocol);
// a protocol that is not known statically stays "".
func protocol(p string) string {
	if p == "" {
		return ""
	}
	return aws.Protocol(p)
}

// ruleHead reads the protocol and port range of a rule.
func ruleHead(r rd, protoAttr string) (proto string, from, to int, unknown bool) {
	proto = protocol(r.str(protoAttr, "protocol"))
	if a, ok := r.o.attrs[protoAttr]; ok && !a.v.IsKnown() {
		unknown = true
	}
	f, okf := r.num("from_port", "from_port")
	t, okt := r.num("to_port", "to_port")
	if _, present := r.o.attrs["from_port"]; present && !okf {
		unknown = true
	}
	if _, present := r.o.attrs["to_port"]; present && !okt {
		unknown = true
	}
	if !okf {
		f = -1
	}
	if !okt {
		t = -1
	}
	if proto == graph.ProtocolAll {
		f, t = -1, -1
	}
	return proto, f, t, unknown
}

// peerAttr is an attribute that names the peers of a security group rule.
type peerAttr struct {
	attr string
	kind graph.PeerKind
}

var inlinePeers = []peerAttr{
	{"cidr_blocks", graph.PeerCIDR}, {"ipv6_cidr_blocks", graph.PeerIPv6CIDR},
	{"prefix_list_ids", graph.PeerPrefixList}, {"security_groups", graph.PeerSG},
}

// inlineSGRules reads an ingress or egress block of aws_security_group: one
// SGRule per peer, each with the range of the attribute naming the peer.
func inlineSGRules(r rd, sgID, dir string) []graph.SGRule {
	proto, from, to, unknown := ruleHead(r, "protocol")
	head := graph.SGRule{Protocol: proto, FromPort: from, ToPort: to, Description: r.str("description", ""), Unknown: unknown, PortsUnknown: unknown}
	var out []graph.SGRule
	for _, p := range inlinePeers {
		out = append(out, peers(r, head, p.attr, p.kind)...)
	}
	if r.boolOr("self", "", false) {
		rule := head
		rule.PeerKind, rule.Peer, rule.Range = graph.PeerSG, sgID, r.rangeOf("self")
		out = append(out, rule)
	}
	if len(out) == 0 {
		rule := head
		rule.Unknown = true
		rule.Range = r.blockRange()
		if r.b.IsUnknown("ingress") || r.b.IsUnknown("egress") || anyUnknownPeer(r) {
			out = append(out, rule)
		}
	}
	return out
}

func anyUnknownPeer(r rd) bool {
	for _, p := range inlinePeers {
		if a, ok := r.o.attrs[p.attr]; ok && !a.v.IsWhollyKnown() {
			return true
		}
	}
	return false
}

// peers makes one rule per value of a peer attribute; an unknown value is
// one rule marked unknown.
func peers(r rd, head graph.SGRule, attr string, kind graph.PeerKind) []graph.SGRule {
	if _, ok := r.o.attrs[attr]; !ok {
		return nil
	}
	rng := r.rangeOf(attr)
	a := r.o.attrs[attr]
	vals, known := asStrings(a.v)
	if a.v.IsNull() {
		return nil
	}
	var out []graph.SGRule
	for _, v := range vals {
		rule := head
		rule.PeerKind, rule.Peer, rule.Range = kind, v, rng
		out = append(out, rule)
	}
	if !known {
		rule := head
		rule.PeerKind, rule.Unknown, rule.Range = kind, true, rng
		out = append(out, rule)
	}
	if r.b != nil {
		if _, set := r.b.Attrs[attr]; !set {
			r.b.SetAttr(attr, rng)
		}
	}
	return out
}

// aclEntry reads a network ACL rule.
func aclEntry(r rd, egress bool, numAttr, actionAttr string) (graph.ACLEntry, bool) {
	e := graph.ACLEntry{Egress: egress, Range: r.blockRange()}
	n, ok := r.num(numAttr, "entries")
	if !ok {
		return e, false
	}
	e.RuleNumber = n
	e.Allow = strings.EqualFold(r.str(actionAttr, "entries"), "allow")
	e.Protocol = protocol(r.str("protocol", "entries"))
	e.CIDR = r.str("cidr_block", "entries")
	e.IPv6CIDR = r.str("ipv6_cidr_block", "entries")
	// from_port and to_port are required; an ICMP rule's type and code
	// are icmp_type and icmp_code.
	ports := &[2]int{r.numOr("from_port", "entries", 0), r.numOr("to_port", "entries", 0)}
	var icmp *[2]int
	if _, ok := r.o.attrs["icmp_type"]; ok {
		icmp = &[2]int{r.numOr("icmp_type", "entries", 0), r.numOr("icmp_code", "entries", 0)}
	}
	e.FromPort, e.ToPort = aws.ACLPorts(e.Protocol, ports, icmp)
	return e, true
}

// listenerAction reads a listener default_action block.
func listenerAction(r rd) graph.ListenerAction {
	a := graph.ListenerAction{Type: r.str("type", "default_actions")}
	if tg := r.str("target_group_arn", "default_actions"); tg != "" {
		a.TargetGroupARNs = []string{tg}
	}
	if fw := r.block("forward"); fw != nil {
		for _, tg := range r.sub(fw).blocks("target_group", "") {
			if arn := r.sub(tg).str("arn", "default_actions"); arn != "" {
				a.TargetGroupARNs = append(a.TargetGroupARNs, arn)
			}
		}
	}
	if rb := r.block("redirect"); rb != nil {
		rr := r.sub(rb)
		a.RedirectProtocol = rr.str("protocol", "default_actions")
		a.RedirectPort = rr.str("port", "default_actions")
		a.StatusCode = rr.str("status_code", "default_actions")
	}
	aws.ActionDefaults(&a)
	if fb := r.block("fixed_response"); fb != nil {
		a.StatusCode = r.sub(fb).str("status_code", "default_actions")
	}
	return a
}

// blockDevices reads an instance's or launch configuration's
// root_block_device and ebs_block_device blocks.
func blockDevices(r rd) []graph.BlockDevice {
	var out []graph.BlockDevice
	for _, b := range r.blocks("root_block_device", "block_devices") {
		out = append(out, ebsDevice(r.sub(b), "", true))
	}
	for _, b := range r.blocks("ebs_block_device", "block_devices") {
		br := r.sub(b)
		out = append(out, ebsDevice(br, br.str("device_name", "block_devices"), false))
	}
	return out
}

// ebsDevice reads volume_type, volume_size (or size), iops and throughput.
// The provider's default type is gp3 for aws_ebs_volume and gp2 for block
// devices of instances and launch configurations (it takes the AMI's), so
// an unset type is left empty for the pricing to decide.
func ebsDevice(r rd, device string, root bool) graph.BlockDevice {
	d := graph.BlockDevice{DeviceName: device, Root: root}
	d.VolumeType = r.str("volume_type", "block_devices")
	d.SizeGB = r.numOr("volume_size", "block_devices", 0)
	if d.SizeGB == 0 {
		d.SizeGB = r.numOr("size", "block_devices", 0)
	}
	d.IOPS = r.numOr("iops", "block_devices", 0)
	d.Throughput = r.numOr("throughput", "block_devices", 0)
	return d
}

// withExpr is " (expr)", or "" when the expression text is not known (a
// plan).
func withExpr(expr string) string {
	if expr == "" {
		return ""
	}
	return " (" + expr + ")"
}
