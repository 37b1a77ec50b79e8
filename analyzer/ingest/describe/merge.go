package describe

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpcgate/vpcgate/analyzer/aws"
	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// record is a node read from one element.
type record struct {
	node graph.Node
	// derived marks a node seen inside another resource's description.
	derived bool
	// lazy, when set, locates a derived network interface whose range is
	// worked out only if no describe-network-interfaces output describes
	// it (the usual case is that one does, and its range wins).
	lazy *lazyRange
	// scan is the file the lazy range is worked out from, set as the
	// record is assembled (a part kept between analyses holds no bytes).
	scan *fileScan
}

// lazyRange locates the idx-th of the n network interfaces of the instance
// at inst.
type lazyRange struct {
	inst   elem
	idx, n int
}

// resolve sets the range of b from the instance's text, when it can be
// told apart.
func (l *lazyRange) resolve(f *fileScan, b *graph.Base) {
	c := &chunk{f: f}
	if els := c.niElems(l.inst, l.n); l.idx < len(els) {
		b.Source.Range = f.rng(els[l.idx].start, els[l.idx].end)
	}
}

// result is what one decoding job produced, in document order.
type result struct {
	recs  []record
	diags []graph.Diagnostic
	// Parts of resources described by other commands' outputs, attached
	// once every file is read.
	sgRules    []sgRuleIn
	plEntries  []plEntryIn
	health     []healthIn
	policies   []policyIn
	versions   []ltVersionIn
	asgLTNames []asgLTName
	lbEIPs     []lbEIP
}

// sgRuleIn is one rule from describe-security-group-rules.
type sgRuleIn struct {
	groupID, ownerID string
	egress           bool
	rule             graph.SGRule
	src              graph.Source
}

// plEntryIn is one entry from get-managed-prefix-list-entries.
type plEntryIn struct {
	listID, cidr string
	src          graph.Source
}

// healthIn is one target from describe-target-health.
type healthIn struct {
	tgARN  string
	target graph.Target
	src    graph.Source
}

// policyIn is one policy from describe-policies.
type policyIn struct {
	asg    string
	policy graph.ScalingPolicy
	src    graph.Source
}

// ltVersionIn is one launch template version.
type ltVersionIn struct {
	ltID, ltName string
	version      int64
	isDefault    bool
	data         *ec2types.ResponseLaunchTemplateData
	src          graph.Source
}

// asgLTName is an Auto Scaling group naming its launch template by name.
type asgLTName struct{ asg, name string }

// lbEIP is an Elastic IP a network load balancer names in its
// LoadBalancerAddresses.
type lbEIP struct{ lb, alloc string }

// entry is a node being assembled.
type entry struct {
	node    graph.Node
	derived bool
	lazy    *lazyRange
	scan    *fileScan
}

// assembler merges the jobs' results, in file order, into one fragment.
type assembler struct {
	nodes map[string]*entry
	diags []graph.Diagnostic
	side  result
	// groupIDs maps the name of a DB subnet group that shares its name
	// with a node of another kind (an RDS instance called like its group)
	// to the id the group goes by instead.
	groupIDs map[string]string
	// groups are repeated diagnostics, one per cause and file.
	groups map[groupKey]*grouped
	// owned are the nodes this assembly may change: made here, or copies
	// of a part's nodes. A part's own nodes are never changed (parts are
	// joined again by later assemblies), so a node is copied before its
	// first change (own).
	owned map[graph.Node]bool
}

// own returns e's node, first replaced by a copy unless this assembly made
// it.
func (a *assembler) own(e *entry) graph.Node {
	if !a.owned[e.node] {
		e.node = graph.CloneNode(e.node)
		a.owned[e.node] = true
	}
	return e.node
}

// put adds a node made by this assembly.
func (a *assembler) put(id string, n graph.Node, derived bool) {
	a.nodes[id] = &entry{node: n, derived: derived}
	a.owned[n] = true
}

func newAssembler(size int) *assembler {
	return &assembler{nodes: make(map[string]*entry, size), owned: map[graph.Node]bool{}}
}

// addResult merges one job's nodes and keeps its other parts for later.
func (a *assembler) addResult(r *result, f *fileScan) {
	a.diags = append(a.diags, r.diags...)
	for _, rec := range r.recs {
		if rec.lazy != nil {
			rec.scan = f
		}
		a.add(rec)
	}
	a.side.sgRules = append(a.side.sgRules, r.sgRules...)
	a.side.plEntries = append(a.side.plEntries, r.plEntries...)
	a.side.health = append(a.side.health, r.health...)
	a.side.policies = append(a.side.policies, r.policies...)
	a.side.versions = append(a.side.versions, r.versions...)
	a.side.asgLTNames = append(a.side.asgLTNames, r.asgLTNames...)
	a.side.lbEIPs = append(a.side.lbEIPs, r.lbEIPs...)
}

// add merges one node into the fragment.
func (a *assembler) add(rec record) {
	b := rec.node.Meta()
	if b.ID == "" {
		a.group("no id "+string(b.Kind), graph.Diagnostic{
			Severity: graph.SeverityWarning,
			Summary:  fmt.Sprintf("%s without an id ignored", b.Kind),
			Range:    b.Source.Range,
		})
		return
	}
	e, ok := a.nodes[b.ID]
	if !ok {
		a.nodes[b.ID] = &entry{node: rec.node, derived: rec.derived, lazy: rec.lazy, scan: rec.scan}
		return
	}
	ob := e.node.Meta()
	if ob.Kind != b.Kind && (ob.Kind == graph.KindDBSubnetGroup || b.Kind == graph.KindDBSubnetGroup) {
		// RDS names are per kind: the group steps aside to "subgrp:<name>"
		// (the resource part of its ARN); references are fixed in finish.
		name := b.ID
		if a.groupIDs == nil {
			a.groupIDs = map[string]string{}
		}
		a.groupIDs[name] = "subgrp:" + name
		if ob.Kind == graph.KindDBSubnetGroup {
			delete(a.nodes, name)
			ob = a.own(e).Meta()
			ob.ID = a.groupIDs[name]
			ob.Aliases = append(ob.Aliases, name)
			a.add(record{node: e.node, derived: e.derived, lazy: e.lazy, scan: e.scan})
			a.add(rec)
			return
		}
		rec.node = graph.CloneNode(rec.node)
		a.owned[rec.node] = true
		b = rec.node.Meta()
		b.ID = a.groupIDs[name]
		b.Aliases = append(b.Aliases, name)
		a.add(rec)
		return
	}
	if ob.Kind != b.Kind {
		a.group("two kinds "+string(ob.Kind)+" "+string(b.Kind), graph.Diagnostic{
			Severity: graph.SeverityWarning,
			Summary:  fmt.Sprintf("id %s names both a %s and a %s; keeping the first", b.ID, ob.Kind, b.Kind),
			Detail:   fmt.Sprintf("first at %s, again at %s", ob.Source.Range, b.Source.Range),
			Range:    b.Source.Range,
		})
		return
	}
	second := rec.node
	if e.derived && !rec.derived {
		// The resource's own description wins over a view from elsewhere.
		second = e.node
		e.node, e.derived, e.lazy, e.scan = rec.node, false, nil, nil
	}
	// Most second descriptions (an instance's view of its interface, then
	// describe-network-interfaces) add nothing: the part's node is kept as
	// it is, without the copy that owning it costs.
	first := e.node
	diff, changes := fill(first, second, false)
	if changes {
		first = a.own(e)
		diff, _ = fill(first, second, true)
	}
	if len(diff) > 0 {
		fb, sb := first.Meta(), second.Meta()
		a.group("described differently "+string(b.Kind), graph.Diagnostic{
			Severity: graph.SeverityWarning,
			Summary:  fmt.Sprintf("%s %s is described differently in two places; keeping the first", b.Kind, b.ID),
			Detail:   fmt.Sprintf("differs in %s; first at %s, again at %s", strings.Join(diff, ", "), fb.Source.Range, sb.Source.Range),
			Range:    sb.Source.Range,
		})
	}
}

// fill sets the empty fields of dst from src and returns the names of the
// fields both set to different values (positions of rules and routes
// aside). With apply false nothing is changed: changes tells whether dst
// would be.
func fill(dst, src graph.Node, apply bool) (diff []string, changes bool) {
	db, sb := dst.Meta(), src.Meta()
	if db.Name == "" {
		changes = changes || sb.Name != ""
		if apply {
			db.Name = sb.Name
		}
	} else if sb.Name != "" && sb.Name != db.Name {
		diff = append(diff, "name")
	}
	for _, k := range sortedKeys(sb.Tags) {
		v := sb.Tags[k]
		if old, ok := db.Tags[k]; !ok {
			changes = true
			if !apply {
				continue
			}
			if db.Tags == nil {
				db.Tags = map[string]string{}
			}
			db.Tags[k] = v
		} else if old != v {
			diff = append(diff, "tags."+k)
		}
	}
	for _, al := range sb.Aliases {
		if !contains(db.Aliases, al) {
			changes = true
			if apply {
				db.Aliases = append(db.Aliases, al)
			}
		}
	}
	for k, r := range sb.Attrs {
		if _, ok := db.Attrs[k]; !ok && db.Source.Range.File == sb.Source.Range.File {
			changes = true
			if apply {
				db.SetAttr(k, r)
			}
		}
	}
	dv, sv := reflect.ValueOf(dst).Elem(), reflect.ValueOf(src).Elem()
	t := dv.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous || !f.IsExported() {
			continue
		}
		d, s := dv.Field(i), sv.Field(i)
		switch {
		case isEmpty(s):
		case isEmpty(d):
			changes = true
			if apply {
				d.Set(graph.CopyValue(s)) // dst is changed later; src is a part's
			}
		case !graph.EqualIgnoringRanges(d, s):
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" {
				name = f.Name
			}
			diff = append(diff, name)
		}
	}
	return diff, changes
}

// isEmpty reports whether v is the zero value or an empty slice or map.
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Slice, reflect.Map:
		return v.Len() == 0
	}
	return v.IsZero()
}

// renameGroupRefs points RDS instances and clusters at the new id of a DB
// subnet group that had to step aside (see add).
func (a *assembler) renameGroupRefs() {
	if len(a.groupIDs) == 0 {
		return
	}
	for _, e := range a.nodes {
		switch n := e.node.(type) {
		case *graph.DBInstance:
			if id, ok := a.groupIDs[n.DBSubnetGroup]; ok {
				a.own(e).(*graph.DBInstance).DBSubnetGroup = id
			}
		case *graph.DBCluster:
			if id, ok := a.groupIDs[n.DBSubnetGroup]; ok {
				a.own(e).(*graph.DBCluster).DBSubnetGroup = id
			}
		}
	}
}

// finish attaches the parts described by other commands and returns the
// fragment.
func (a *assembler) finish(ctx context.Context) *graph.Graph {
	for _, step := range []func(){
		a.renameGroupRefs, a.applyVersions, a.applySGRules, a.applyPrefixListEntries,
		a.applyTargetHealth, a.applyPolicies, a.resolveASGLaunchTemplates,
		a.markNATAddresses, a.markLBAddresses,
	} {
		if err := ctx.Err(); err != nil {
			return a.stopped(err)
		}
		step()
	}

	// Ids are unique here, so Add raises nothing and the order of
	// insertion does not show (the graph sorts by id).
	g := graph.New()
	i := 0
	for _, e := range a.nodes {
		if i++; i&1023 == 0 && ctx.Err() != nil {
			return a.stopped(ctx.Err())
		}
		if e.lazy != nil {
			e.lazy.resolve(e.scan, a.own(e).Meta())
		}
		if d := g.Add(e.node); d != nil {
			a.diags = append(a.diags, *d)
		}
	}
	a.diags = capDiags(append(a.diags, a.groupedDiags()...))
	sort.SliceStable(a.diags, func(i, j int) bool {
		x, y := a.diags[i], a.diags[j]
		if x.Range != y.Range {
			return x.Range.Less(y.Range)
		}
		return x.Summary < y.Summary
	})
	g.Diagnostics = a.diags
	return g
}

// get returns the node with id as T, owned by the assembly (callers change
// it).
func get[T graph.Node](a *assembler, id string) (T, bool) {
	var zero T
	e, ok := a.nodes[id]
	if !ok {
		return zero, false
	}
	if _, ok := e.node.(T); !ok {
		return zero, false
	}
	t, ok := a.own(e).(T)
	return t, ok
}

// applyVersions puts each launch template's default version onto it.
func (a *assembler) applyVersions() {
	byLT := map[string][]ltVersionIn{}
	var order []string
	for _, v := range a.side.versions {
		if v.ltID == "" {
			continue
		}
		if _, ok := byLT[v.ltID]; !ok {
			order = append(order, v.ltID)
		}
		byLT[v.ltID] = append(byLT[v.ltID], v)
	}
	for _, id := range order {
		vs := byLT[id]
		lt, ok := get[*graph.LaunchTemplate](a, id)
		if !ok {
			if _, taken := a.nodes[id]; taken {
				continue
			}
			first := vs[0]
			lt = &graph.LaunchTemplate{
				Base:         graph.Base{ID: id, Kind: graph.KindLaunchTemplate, Name: first.ltName, Source: first.src},
				TemplateName: first.ltName,
			}
			a.put(id, lt, false)
		}
		var pick *ltVersionIn
		var latest int64
		for i := range vs {
			v := &vs[i]
			latest = max(latest, v.version)
			switch {
			case lt.DefaultVersion != 0:
				if v.version == lt.DefaultVersion {
					pick = v
				}
			case v.isDefault:
				pick = v
			}
		}
		if pick == nil && lt.DefaultVersion == 0 {
			for i := range vs {
				if pick == nil || vs[i].version > pick.version {
					pick = &vs[i]
				}
			}
		}
		if lt.LatestVersion == 0 {
			lt.LatestVersion = latest
		}
		if pick == nil {
			continue
		}
		if lt.DefaultVersion == 0 && pick.isDefault {
			lt.DefaultVersion = pick.version
		}
		applyTemplateData(lt, pick.data)
	}
}

// applyTemplateData copies a launch template version's data onto lt.
func applyTemplateData(lt *graph.LaunchTemplate, d *ec2types.ResponseLaunchTemplateData) {
	if d == nil {
		return
	}
	lt.InstanceType = string(d.InstanceType)
	lt.ImageID = str(d.ImageId)
	lt.KeyName = str(d.KeyName)
	lt.SecurityGroups = append(append([]string(nil), d.SecurityGroupIds...), d.SecurityGroups...)
	lt.NetworkInterfaces = nil
	lt.AssociatePublicIP = nil
	lt.DetailedMonitoring = nil
	if d.Monitoring != nil {
		lt.DetailedMonitoring = boolp(d.Monitoring.Enabled)
	}
	lt.BlockDevices = nil
	for _, m := range d.BlockDeviceMappings {
		if e := m.Ebs; e != nil {
			lt.BlockDevices = append(lt.BlockDevices, graph.BlockDevice{DeviceName: str(m.DeviceName), VolumeType: string(e.VolumeType),
				SizeGB: intv(e.VolumeSize), IOPS: intv(e.Iops), Throughput: intv(e.Throughput)})
		}
	}
	lt.Tenancy = ""
	if d.Placement != nil {
		if t := string(d.Placement.Tenancy); t != "default" {
			lt.Tenancy = t
		}
	}
	lt.EBSOptimized = boolv(d.EbsOptimized)
	for _, ni := range d.NetworkInterfaces {
		n := graph.LaunchTemplateNetworkInterface{
			DeviceIndex:       intv(ni.DeviceIndex),
			SubnetID:          str(ni.SubnetId),
			SecurityGroups:    ni.Groups,
			AssociatePublicIP: boolp(ni.AssociatePublicIpAddress),
		}
		if n.DeviceIndex == 0 && n.AssociatePublicIP != nil {
			lt.AssociatePublicIP = n.AssociatePublicIP
		}
		lt.NetworkInterfaces = append(lt.NetworkInterfaces, n)
	}
}

// applySGRules merges describe-security-group-rules into the groups: a rule
// already present (the same rule id, or, in the group's IpPermissions, the
// same direction, protocol, ports and peer) is not added again, only its
// rule id is recorded.
func (a *assembler) applySGRules() {
	type key struct {
		sg       *graph.SecurityGroup
		egress   bool
		proto    string
		from, to int
		kind     graph.PeerKind
		peer     string
	}
	type idKey struct {
		sg *graph.SecurityGroup
		id string
	}
	byRule := map[key]int{} // index in the group's rules, of rules without an id
	byID := map[idKey]bool{}
	indexed := map[*graph.SecurityGroup]bool{}
	index := func(sg *graph.SecurityGroup, egress bool, rules []graph.SGRule) {
		for i, r := range rules {
			if r.ID != "" {
				byID[idKey{sg, r.ID}] = true
				continue
			}
			k := key{sg, egress, r.Protocol, r.FromPort, r.ToPort, r.PeerKind, r.Peer}
			if _, dup := byRule[k]; !dup {
				byRule[k] = i
			}
		}
	}
	for _, in := range a.side.sgRules {
		if in.groupID == "" {
			continue
		}
		sg, ok := get[*graph.SecurityGroup](a, in.groupID)
		if !ok {
			if _, taken := a.nodes[in.groupID]; taken {
				continue
			}
			sg = &graph.SecurityGroup{Base: graph.Base{ID: in.groupID, Kind: graph.KindSecurityGroup, Source: in.src}, OwnerID: in.ownerID}
			a.put(in.groupID, sg, true)
		}
		if !indexed[sg] {
			indexed[sg] = true
			index(sg, false, sg.Ingress)
			index(sg, true, sg.Egress)
		}
		r := in.rule
		if r.ID != "" && byID[idKey{sg, r.ID}] {
			continue
		}
		rules := &sg.Ingress
		if in.egress {
			rules = &sg.Egress
		}
		k := key{sg, in.egress, r.Protocol, r.FromPort, r.ToPort, r.PeerKind, r.Peer}
		if i, dup := byRule[k]; dup && (*rules)[i].ID == "" {
			// The same rule as written in the group's IpPermissions.
			(*rules)[i].ID = r.ID
			byID[idKey{sg, r.ID}] = true
			continue
		}
		if r.ID != "" {
			byID[idKey{sg, r.ID}] = true
		}
		*rules = append(*rules, r)
	}
}

// applyPrefixListEntries fills prefix lists with their entries, each CIDR
// once.
func (a *assembler) applyPrefixListEntries() {
	type key struct {
		pl   *graph.PrefixList
		cidr string
	}
	seen := map[key]bool{}
	for _, in := range a.side.plEntries {
		pl, ok := get[*graph.PrefixList](a, in.listID)
		if !ok {
			if _, taken := a.nodes[in.listID]; taken {
				continue
			}
			pl = &graph.PrefixList{Base: graph.Base{ID: in.listID, Kind: graph.KindPrefixList, Source: in.src}}
			a.put(in.listID, pl, true)
		}
		if !pl.EntriesKnown {
			pl.EntriesKnown = true
			for _, c := range pl.Entries {
				seen[key{pl, c}] = true
			}
		}
		if k := (key{pl, in.cidr}); in.cidr != "" && !seen[k] {
			seen[k] = true
			pl.Entries = append(pl.Entries, in.cidr)
		}
	}
}

// applyTargetHealth fills target groups with their registered targets,
// once per target id and port.
func (a *assembler) applyTargetHealth() {
	type key struct {
		tg   *graph.TargetGroup
		id   string
		port int
	}
	at := map[key]int{} // index in tg.Targets
	touched := map[*graph.TargetGroup]bool{}
	for _, in := range a.side.health {
		tg, ok := get[*graph.TargetGroup](a, in.tgARN)
		if !ok {
			if _, taken := a.nodes[in.tgARN]; taken {
				continue
			}
			name := targetGroupNameOfARN(in.tgARN)
			tg = &graph.TargetGroup{Base: graph.Base{ID: in.tgARN, Kind: graph.KindTargetGroup, Name: name, Source: in.src}, TargetGroupName: name}
			a.put(in.tgARN, tg, true)
		}
		if !touched[tg] {
			touched[tg] = true
			for i, t := range tg.Targets {
				at[key{tg, t.ID, t.Port}] = i
			}
		}
		k := key{tg, in.target.ID, in.target.Port}
		if i, dup := at[k]; dup {
			if tg.Targets[i].Health == "" {
				tg.Targets[i] = in.target
			}
			continue
		}
		at[k] = len(tg.Targets)
		tg.Targets = append(tg.Targets, in.target)
	}
	for tg := range touched {
		sort.SliceStable(tg.Targets, func(i, j int) bool {
			x, y := tg.Targets[i], tg.Targets[j]
			if x.ID != y.ID {
				return x.ID < y.ID
			}
			return x.Port < y.Port
		})
	}
}

// applyPolicies attaches scaling policies to their Auto Scaling groups.
func (a *assembler) applyPolicies() {
	touched := map[*graph.AutoScalingGroup]bool{}
	for _, in := range a.side.policies {
		asg, ok := get[*graph.AutoScalingGroup](a, in.asg)
		if !ok {
			a.diags = append(a.diags, graph.Diagnostic{
				Severity: graph.SeverityWarning,
				Summary:  fmt.Sprintf("scaling policy %s of Auto Scaling group %q ignored: no describe-auto-scaling-groups input describes the group", in.policy.Name, in.asg),
				Range:    in.src.Range,
			})
			continue
		}
		dup := false
		for _, p := range asg.Policies {
			if p.Name == in.policy.Name {
				dup = true
				break
			}
		}
		if !dup {
			asg.Policies = append(asg.Policies, in.policy)
			touched[asg] = true
		}
	}
	for asg := range touched {
		sort.SliceStable(asg.Policies, func(i, j int) bool { return asg.Policies[i].Name < asg.Policies[j].Name })
	}
}

// resolveASGLaunchTemplates turns launch template names into ids.
func (a *assembler) resolveASGLaunchTemplates() {
	if len(a.side.asgLTNames) == 0 {
		return
	}
	byName := map[string]string{}
	for _, e := range a.nodes {
		if lt, ok := e.node.(*graph.LaunchTemplate); ok && lt.TemplateName != "" {
			if old, dup := byName[lt.TemplateName]; !dup || lt.ID < old {
				byName[lt.TemplateName] = lt.ID
			}
		}
	}
	for _, n := range a.side.asgLTNames {
		asg, ok := get[*graph.AutoScalingGroup](a, n.asg)
		if !ok || asg.LaunchTemplateID != n.name {
			continue
		}
		if id, ok := byName[n.name]; ok {
			asg.LaunchTemplateID = id
		}
	}
}

// markNATAddresses records on each Elastic IP the NAT gateway using it.
func (a *assembler) markNATAddresses() {
	var byIP map[string]string // public IP → Elastic IP id
	for _, e := range a.nodes {
		nat, ok := e.node.(*graph.NATGateway)
		if !ok {
			continue
		}
		for _, ad := range nat.Addresses {
			eip, ok := get[*graph.EIP](a, ad.AllocationID)
			if !ok && ad.PublicIP != "" {
				if byIP == nil {
					byIP = map[string]string{}
					for id, e := range a.nodes {
						if x, ok := e.node.(*graph.EIP); ok {
							byIP[x.PublicIP] = id
						}
					}
				}
				if id, found := byIP[ad.PublicIP]; found {
					eip, ok = get[*graph.EIP](a, id)
				}
			}
			// The smallest NAT id wins should two claim one address, so
			// that the map's order does not show.
			if ok && (eip.NATGatewayID == "" || nat.ID < eip.NATGatewayID) {
				eip.NATGatewayID = nat.ID
			}
		}
	}
}

// markLBAddresses records that the Elastic IPs a network load balancer
// names in its LoadBalancerAddresses are in use by it.
func (a *assembler) markLBAddresses() {
	for _, u := range a.side.lbEIPs {
		if eip, ok := get[*graph.EIP](a, u.alloc); ok {
			aws.UsedByLoadBalancer(eip, u.lb)
		}
	}
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// contains reports whether s holds v.
func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// itoa formats an index.
func itoa(i int) string { return strconv.Itoa(i) }

// sprint formats a recovered panic value.
func sprint(v any) string { return fmt.Sprint(v) }
