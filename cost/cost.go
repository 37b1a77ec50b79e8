// Package cost prices an architecture graph: a monthly cost per node with
// its components (hours, GB, LCUs, addresses), usage that configuration
// cannot know marked "depends on usage" rather than counted as zero, and a
// comparison of two estimates for pull requests. Prices come from package
// prices; the peak-load simulation lives in package simulate.
package cost

import (
	"fmt"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/cost/prices"
)

// HoursPerMonth is the month the estimates use (365 × 24 / 12).
const HoursPerMonth = 730

// Component names.
const (
	CompCompute          = "compute"
	CompPublicIPv4       = "public_ipv4"
	CompIdlePublicIPv4   = "public_ipv4_idle"
	CompNATHours         = "nat_gateway_hours"
	CompNATData          = "nat_data_processed"
	CompCrossAZ          = "cross_az_transfer"
	CompInternetEgress   = "internet_egress"
	CompLBHours          = "load_balancer_hours"
	CompLCU              = "load_balancer_capacity_units"
	CompELBData          = "load_balancer_data_processed"
	CompDBInstance       = "db_instance"
	CompDBStorage        = "db_storage"
	CompEBS              = "ebs_storage"
	CompFargateVCPU      = "fargate_vcpu"
	CompFargateMemory    = "fargate_memory"
	DependsOnUsage       = "depends on usage"
	defaultDBStorageType = "gp2"
)

// Component is one priced part of a resource.
type Component struct {
	Name string
	// Detail qualifies the name ("t3.micro × 2", "subnet-1 us-east-1b →
	// us-east-1a").
	Detail string
	// Unit of Quantity and UnitPrice: hour, GB, GB-month, LCU-hour…
	Unit string
	// Quantity a month; nil when it depends on usage not given.
	Quantity *decimal.Decimal
	// UnitPrice in the report's currency per Unit.
	UnitPrice decimal.Decimal
	// Monthly is Quantity × UnitPrice rounded to cents; nil when Quantity
	// is.
	Monthly *decimal.Decimal
	// UsageDependent is set when the quantity comes (or would come) from
	// usage rather than configuration.
	UsageDependent bool
	// Estimate is set when the unit price is an estimate (the catalog
	// entry says so, or the price was taken from us-east-1 for a region
	// the catalog lacks): outputs show it with "~" and a footnote.
	Estimate bool
}

// Resource is the monthly cost of one node.
type Resource struct {
	ID   string
	Kind graph.Kind
	Name string
	// Region the resource is priced in.
	Region string
	// Monthly is the sum of the known components.
	Monthly decimal.Decimal
	// MonthlyMin and MonthlyMax bound a scalable resource (an Auto Scaling
	// group at min and max size); nil otherwise.
	MonthlyMin, MonthlyMax *decimal.Decimal
	Components             []Component
}

// Estimate reports whether any component of the resource is an estimate.
func (r *Resource) Estimate() bool {
	for _, c := range r.Components {
		if c.Estimate {
			return true
		}
	}
	return false
}

// Where a resource's region comes from (RegionUse.From).
const (
	RegionFromInput   = "input"    // provider block, stack environment, ARN, zone or file path
	RegionFromOption  = "--region" // Options.Region, for resources the input does not place
	RegionFromOthers  = "majority" // the region most other resources state
	RegionFromDefault = "default"  // nothing says: us-east-1
)

// RegionUse is one region a report prices resources in.
type RegionUse struct {
	Region string
	// From says how the region was chosen for these resources (one of
	// the RegionFrom constants).
	From      string
	Resources int
}

// PriceSource is one source of the prices a report uses.
type PriceSource struct {
	Source   string
	AsOf     string
	Estimate bool
}

// EstimateNote is the footnote every output prints under "~" figures.
const EstimateNote = "~ estimate: the unit price is not a list price from a dated, published table (entered from memory, derived, or taken from us-east-1 for a region the catalog lacks); refresh it with vpcgate prices import"

// Unpriced is a resource the catalog cannot price, with the reason.
type Unpriced struct {
	ID     string
	Kind   graph.Kind
	Reason string
}

// Report is the monthly estimate of a graph.
type Report struct {
	// Region is the region most resources are priced in (every
	// resource's own is in Resource.Region; Regions lists them all).
	Region     string
	Regions    []RegionUse
	Currency   string
	PricesAsOf string
	// Sources lists the catalog sources of the prices used, sorted.
	Sources []PriceSource
	// Warnings say where a price had to be taken from another region.
	Warnings  []string
	Resources []Resource
	// TotalMonthly is the sum of every known component.
	TotalMonthly decimal.Decimal
	// TotalMin and TotalMax sum the resources at their minimum and maximum
	// (the Monthly of fixed resources in both).
	TotalMin, TotalMax decimal.Decimal
	// UsageDependent lists "id component [detail]" of every component
	// whose quantity depends on usage not given.
	UsageDependent []string
	Unpriced       []Unpriced
}

// HasEstimates reports whether any component is an estimate.
func (r *Report) HasEstimates() bool {
	for i := range r.Resources {
		if r.Resources[i].Estimate() {
			return true
		}
	}
	return false
}

// Options configure an estimate.
type Options struct {
	// Catalog of prices; required.
	Catalog *prices.Catalog
	// Region prices the nodes the input does not place in a region
	// (provider blocks, stack environments, ARNs, zones and describe file
	// paths do); empty: the region most nodes state, else us-east-1.
	Region string
	// ForceRegion prices every node in Region whatever the input says (a
	// what-if: this architecture in another region).
	ForceRegion bool
	// Usage gives what configuration cannot know; nil leaves every such
	// component "depends on usage".
	Usage *Usage
	// SkipUnknownUsage ignores usage entries that name no resource (the
	// base of a comparison lacks what the change adds) instead of failing.
	SkipUnknownUsage bool
}

var hours = decimal.NewFromInt(HoursPerMonth)

// Estimate prices the graph. It fails only on options that make pricing
// impossible (no catalog, a usage entry naming no resource).
func Estimate(g *graph.Graph, opts Options) (*Report, error) {
	if opts.Catalog == nil {
		return nil, fmt.Errorf("estimate: no price catalog")
	}
	e := &estimator{g: g, cat: opts.Catalog, optRegion: opts.Region, force: opts.ForceRegion && opts.Region != "", usage: map[string]ResourceUsage{}, defaults: map[string]ResourceUsage{},
		fallback: map[string]map[string]bool{}, sources: map[PriceSource]bool{}, regionUse: map[RegionUse]int{}}
	e.detected, e.hasStated = detectRegion(g)
	if opts.Usage != nil {
		if err := e.resolveUsage(opts.Usage, opts.SkipUnknownUsage); err != nil {
			return nil, err
		}
	}
	e.rep = &Report{Currency: e.cat.Currency, PricesAsOf: e.cat.AsOf}
	e.indexAddresses()
	e.natSubnets = map[string][]string{}
	for _, s := range g.Subnets() {
		if f := g.Facts.Subnets[s.ID]; f != nil && f.Egress == graph.EgressNAT && f.NATGateway != "" {
			e.natSubnets[f.NATGateway] = append(e.natSubnets[f.NATGateway], s.ID)
		}
	}
	for _, n := range g.Nodes() {
		e.cur, e.curFrom = e.regionOf(n)
		e.price(n)
	}
	e.finish()
	rep := e.rep
	for i := range rep.Resources {
		r := &rep.Resources[i]
		for _, c := range r.Components {
			if c.Monthly != nil {
				r.Monthly = r.Monthly.Add(*c.Monthly)
			} else {
				u := r.ID + " " + c.Name
				if c.Detail != "" {
					u += " [" + c.Detail + "]"
				}
				rep.UsageDependent = append(rep.UsageDependent, u)
			}
		}
		rep.TotalMonthly = rep.TotalMonthly.Add(r.Monthly)
		lo, hi := r.Monthly, r.Monthly
		if r.MonthlyMin != nil {
			lo = *r.MonthlyMin
		}
		if r.MonthlyMax != nil {
			hi = *r.MonthlyMax
		}
		rep.TotalMin = rep.TotalMin.Add(lo)
		rep.TotalMax = rep.TotalMax.Add(hi)
	}
	sort.Strings(rep.UsageDependent)
	return rep, nil
}

// DetectRegion returns the region of g: the one most availability zones
// of subnets, instances, databases and groups name, else the one most
// nodes' provenance names (a provider block, a stack environment, a
// describe file path), else us-east-1. Ties go to the region that sorts first.
func DetectRegion(g *graph.Graph) string {
	r, _ := detectRegion(g)
	return r
}

func detectRegion(g *graph.Graph) (string, bool) {
	azs := map[string]int{}
	addAZ := func(az string) {
		if r := azRegion(az); r != "" {
			azs[r]++
		}
	}
	for _, s := range g.Subnets() {
		addAZ(s.AvailabilityZone)
	}
	for _, i := range g.Instances() {
		addAZ(i.AvailabilityZone)
	}
	for _, d := range g.DBInstances() {
		addAZ(d.AvailabilityZone)
	}
	for _, a := range g.AutoScalingGroups() {
		for _, z := range a.AvailabilityZones {
			addAZ(z)
		}
	}
	if r := majority(azs); r != "" {
		return r, true
	}
	src := map[string]int{}
	for _, n := range g.Nodes() {
		if r := n.Meta().Source.Region; r != "" {
			src[r]++
		}
	}
	if r := majority(src); r != "" {
		return r, true
	}
	return prices.DefaultRegion, false
}

func majority(counts map[string]int) string {
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	best, n := "", 0
	for _, k := range keys {
		if counts[k] > n {
			best, n = k, counts[k]
		}
	}
	return best
}

type estimator struct {
	g   *graph.Graph
	cat *prices.Catalog
	// optRegion is Options.Region; detected the region most nodes state.
	optRegion, detected string
	// cur is the region of the node being priced, curFrom how it was
	// chosen.
	cur, curFrom string
	// hasStated is set when some node states its region.
	hasStated bool
	// force prices every node in optRegion.
	force bool
	// fallback records, by region, the keys priced from us-east-1.
	fallback  map[string]map[string]bool
	sources   map[PriceSource]bool
	regionUse map[RegionUse]int
	usage     map[string]ResourceUsage // by node id
	defaults  map[string]ResourceUsage // by kind
	rep       *Report
	// eipByInstance and eipByIP say which public addresses are EIP nodes
	// (priced on the EIP itself).
	eipByInstance map[string]bool
	eipByIP       map[string]bool
	eipByAlloc    map[string]bool
	natSubnets    map[string][]string // NAT id → subnets routed to it
}

// usageKinds are the kinds of node a usage entry can be about: what is
// priced, and subnets (their NAT data).
var usageKinds = map[graph.Kind]bool{
	graph.KindInstance: true, graph.KindEIP: true, graph.KindNATGateway: true, graph.KindLoadBalancer: true,
	graph.KindAutoScalingGroup: true, graph.KindDBInstance: true, graph.KindDBCluster: true, graph.KindECSService: true,
	graph.KindVPCEndpoint: true, graph.KindTransitGatewayAttachment: true, graph.KindVolume: true, graph.KindSubnet: true,
}

// usageTargets narrows the nodes a usage key names: a node whose id is
// the key wins, then only nodes a usage entry can be about count (a
// classic load balancer's listeners share its address, and are priced
// with it).
func usageTargets(k string, ns []graph.Node) []graph.Node {
	if len(ns) < 2 {
		return ns
	}
	for _, n := range ns {
		if n.Meta().ID == k {
			return []graph.Node{n}
		}
	}
	var out []graph.Node
	for _, n := range ns {
		if usageKinds[n.Meta().Kind] {
			out = append(out, n)
		}
	}
	if len(out) == 0 {
		return ns
	}
	return out
}

func (e *estimator) resolveUsage(u *Usage, skipUnknown bool) error {
	for _, k := range u.keys() {
		ns := usageTargets(k, e.g.Resolve(k))
		switch len(ns) {
		case 0:
			if skipUnknown {
				continue
			}
			return fmt.Errorf("%s:%d: usage for %q: no such resource", u.Name, u.Resources[k].Line, k)
		case 1:
			e.usage[ns[0].Meta().ID] = u.Resources[k]
		default:
			ids := make([]string, len(ns))
			for i, n := range ns {
				ids[i] = n.Meta().ID
			}
			return fmt.Errorf("%s:%d: usage for %q is ambiguous: %s", u.Name, u.Resources[k].Line, k, strings.Join(ids, ", "))
		}
	}
	for k, v := range u.Defaults {
		e.defaults[k] = v
	}
	return nil
}

// usageOf returns the usage of a node, falling back to the kind's default
// field by field.
func (e *estimator) usageOf(id string, kind graph.Kind) ResourceUsage {
	u := e.usage[id]
	d, ok := e.defaults[string(kind)]
	if !ok {
		return u
	}
	fill := func(dst **Quantity, src *Quantity) {
		if *dst == nil {
			*dst = src
		}
	}
	fill(&u.GBProcessed, d.GBProcessed)
	fill(&u.InternetEgressGB, d.InternetEgressGB)
	fill(&u.NATGB, d.NATGB)
	fill(&u.LCU, d.LCU)
	fill(&u.NewConnectionsPerSecond, d.NewConnectionsPerSecond)
	fill(&u.ActiveConnections, d.ActiveConnections)
	fill(&u.ProcessedGBPerHour, d.ProcessedGBPerHour)
	fill(&u.RuleEvaluationsPerSecond, d.RuleEvaluationsPerSecond)
	fill(&u.StorageGB, d.StorageGB)
	if u.StorageType == "" {
		u.StorageType = d.StorageType
	}
	fill(&u.MonthlyHours, d.MonthlyHours)
	fill(&u.IORequestsMillions, d.IORequestsMillions)
	fill(&u.SpotPrice, d.SpotPrice)
	if u.Discount == nil {
		u.Discount = d.Discount
	}
	if u.OS == "" {
		u.OS = d.OS
	}
	return u
}

func (e *estimator) indexAddresses() {
	e.eipByInstance, e.eipByIP, e.eipByAlloc = map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, a := range e.g.EIPs() {
		if a.InstanceID != "" {
			e.eipByInstance[a.InstanceID] = true
		}
		if a.PublicIP != "" {
			e.eipByIP[a.PublicIP] = true
		}
		e.eipByAlloc[a.ID] = true
	}
}

// lookup returns the price of key in the region of the node being priced.
// A key the catalog lacks there is taken from us-east-1, marked an
// estimate and recorded for a warning.
func (e *estimator) lookup(key string) (prices.Entry, bool) {
	p, ok := e.cat.Lookup(e.cur, key)
	if !ok && e.cur != prices.DefaultRegion {
		if p, ok = e.cat.Lookup(prices.DefaultRegion, key); ok {
			if e.fallback[e.cur] == nil {
				e.fallback[e.cur] = map[string]bool{}
			}
			e.fallback[e.cur][key] = true
			p.Estimate = true
		}
	}
	if ok {
		e.sources[PriceSource{Source: p.Source, AsOf: p.AsOf, Estimate: p.Estimate && !strings.HasPrefix(p.Source, "estimate")}] = true
	}
	return p, ok
}

// finish fills the report's regions, sources and warnings.
func (e *estimator) finish() {
	rep := e.rep
	// One entry a region; From is the strongest reason any of its
	// resources has (the input over --region over the majority).
	strength := map[string]int{RegionFromInput: 3, RegionFromOption: 2, RegionFromOthers: 1, RegionFromDefault: 0}
	byRegion := map[string]*RegionUse{}
	for u, n := range e.regionUse {
		r := byRegion[u.Region]
		if r == nil {
			r = &RegionUse{Region: u.Region, From: u.From}
			byRegion[u.Region] = r
		}
		r.Resources += n
		if strength[u.From] > strength[r.From] {
			r.From = u.From
		}
	}
	for _, r := range byRegion {
		rep.Regions = append(rep.Regions, *r)
	}
	sort.Slice(rep.Regions, func(i, j int) bool {
		a, b := rep.Regions[i], rep.Regions[j]
		if a.Resources != b.Resources {
			return a.Resources > b.Resources
		}
		if a.Region != b.Region {
			return a.Region < b.Region
		}
		return a.From < b.From
	})
	switch {
	case len(rep.Regions) > 0:
		rep.Region = rep.Regions[0].Region
	case e.optRegion != "":
		rep.Region = e.optRegion
	default:
		rep.Region = e.detected
	}
	for s := range e.sources {
		if s.Estimate {
			// A price borrowed from us-east-1: named in Warnings.
			continue
		}
		rep.Sources = append(rep.Sources, s)
	}
	sort.Slice(rep.Sources, func(i, j int) bool {
		if rep.Sources[i].Source != rep.Sources[j].Source {
			return rep.Sources[i].Source < rep.Sources[j].Source
		}
		return rep.Sources[i].AsOf < rep.Sources[j].AsOf
	})
	regions := make([]string, 0, len(e.fallback))
	for r := range e.fallback {
		regions = append(regions, r)
	}
	sort.Strings(regions)
	for _, r := range regions {
		keys := make([]string, 0, len(e.fallback[r]))
		for k := range e.fallback[r] {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if !e.cat.HasRegion(r) {
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("the catalog has no prices for %s: priced from %s (%s), marked ~; import that region's prices with vpcgate prices import", r, prices.DefaultRegion, strings.Join(keys, ", ")))
		} else {
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("the catalog has no %s price for %s: the %s price is used, marked ~", r, strings.Join(keys, ", "), prices.DefaultRegion))
		}
	}
}

// regionOf returns the region a node is priced in and how it was chosen:
// what the input states (the reader's provenance, else a zone or an ARN),
// else Options.Region, else the region most nodes state, else us-east-1.
func (e *estimator) regionOf(n graph.Node) (string, string) {
	b := n.Meta()
	if e.force {
		return e.optRegion, RegionFromOption
	}
	// A zone or an ARN is the input's own word; the provenance region may
	// be a reader's default (the engine reads with us-east-1 when --region
	// is not given), so it comes after them.
	if r := azRegion(e.nodeAZ(n)); r != "" {
		return r, RegionFromInput
	}
	if r := arnRegion(b.ID); r != "" {
		return r, RegionFromInput
	}
	if r := b.Source.Region; r != "" {
		if r == e.optRegion {
			// Readers fill what the input leaves open with --region too.
			return r, RegionFromOption
		}
		return r, RegionFromInput
	}
	if e.optRegion != "" {
		return e.optRegion, RegionFromOption
	}
	if e.detected != "" && e.hasStated {
		return e.detected, RegionFromOthers
	}
	return prices.DefaultRegion, RegionFromDefault
}

// nodeAZ returns an availability zone the node states or sits in.
func (e *estimator) nodeAZ(n graph.Node) string {
	first := func(s []string) string {
		if len(s) > 0 {
			return s[0]
		}
		return ""
	}
	switch v := n.(type) {
	case *graph.Instance:
		return firstNonEmpty(v.AvailabilityZone, e.subnetAZ(v.SubnetID))
	case *graph.DBInstance:
		return v.AvailabilityZone
	case *graph.DBCluster:
		return first(v.AvailabilityZones)
	case *graph.Subnet:
		return v.AvailabilityZone
	case *graph.NATGateway:
		return e.subnetAZ(v.SubnetID)
	case *graph.LoadBalancer:
		return firstNonEmpty(first(v.AvailabilityZones), e.subnetAZ(first(v.SubnetIDs)))
	case *graph.AutoScalingGroup:
		return firstNonEmpty(first(v.AvailabilityZones), e.subnetAZ(first(v.SubnetIDs)))
	case *graph.ECSService:
		return e.subnetAZ(first(v.SubnetIDs))
	case *graph.VPCEndpoint:
		return e.subnetAZ(first(v.SubnetIDs))
	case *graph.TransitGatewayAttachment:
		return e.subnetAZ(first(v.SubnetIDs))
	case *graph.Volume:
		return v.AvailabilityZone
	}
	return ""
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// azRegion returns the region of an availability zone name (us-east-1a →
// us-east-1; a Local Zone us-west-2-lax-1a → us-west-2).
func azRegion(az string) string {
	r := strings.TrimRight(az, "abcdefghijklmnopqrstuvwxyz")
	if r == "" || r == az || !isRegion(r) {
		if i := strings.Index(az, "-"); i > 0 {
			parts := strings.Split(az, "-")
			if len(parts) >= 3 && isRegion(strings.Join(parts[:3], "-")) {
				return strings.Join(parts[:3], "-")
			}
		}
		return ""
	}
	return r
}

// arnRegion returns the region field of an ARN.
func arnRegion(s string) string {
	if !strings.HasPrefix(s, "arn:") {
		return ""
	}
	parts := strings.SplitN(s, ":", 5)
	if len(parts) < 5 || !isRegion(parts[3]) {
		return ""
	}
	return parts[3]
}

// isRegion reports whether s looks like a region name: letters, a dash,
// letters (with more dash-separated words), a dash and a number.
func isRegion(s string) bool {
	parts := strings.Split(s, "-")
	if len(parts) < 3 {
		return false
	}
	for _, p := range parts[:len(parts)-1] {
		if p == "" || strings.Trim(p, "abcdefghijklmnopqrstuvwxyz") != "" {
			return false
		}
	}
	last := parts[len(parts)-1]
	return last != "" && strings.Trim(last, "0123456789") == ""
}

func (e *estimator) unpriced(b *graph.Base, format string, args ...any) {
	e.rep.Unpriced = append(e.rep.Unpriced, Unpriced{ID: b.ID, Kind: b.Kind, Reason: fmt.Sprintf(format, args...)})
}

// fixed returns a component of a known quantity.
func fixed(name, detail string, qty decimal.Decimal, p prices.Entry) Component {
	m := qty.Mul(p.Price).Round(2)
	return Component{Name: name, Detail: detail, Unit: p.Unit, Quantity: &qty, UnitPrice: p.Price, Monthly: &m, Estimate: p.Estimate}
}

// usageComponent returns a component whose quantity comes from usage; a
// nil quantity leaves it "depends on usage".
func usageComponent(name, detail string, qty *decimal.Decimal, p prices.Entry) Component {
	if qty == nil {
		return Component{Name: name, Detail: detail, Unit: p.Unit, UnitPrice: p.Price, UsageDependent: true, Estimate: p.Estimate}
	}
	c := fixed(name, detail, *qty, p)
	c.UsageDependent = true
	return c
}

func (e *estimator) add(b *graph.Base, comps []Component, lo, hi *decimal.Decimal) {
	if len(comps) == 0 {
		return
	}
	comps = e.adjust(e.usageOf(b.ID, b.Kind), comps)
	e.rep.Resources = append(e.rep.Resources, Resource{ID: b.ID, Kind: b.Kind, Name: b.Name, Region: e.cur, Components: comps, MonthlyMin: lo, MonthlyMax: hi})
	e.regionUse[RegionUse{Region: e.cur, From: e.curFrom}]++
}

func (e *estimator) price(n graph.Node) {
	switch v := n.(type) {
	case *graph.Instance:
		e.instance(v)
	case *graph.EIP:
		e.eip(v)
	case *graph.NATGateway:
		e.nat(v)
	case *graph.LoadBalancer:
		e.loadBalancer(v)
	case *graph.AutoScalingGroup:
		e.asg(v)
	case *graph.DBInstance:
		e.db(v)
	case *graph.ECSService:
		e.ecs(v)
	case *graph.VPCEndpoint:
		e.endpoint(v)
	case *graph.TransitGatewayAttachment:
		e.tgwAttachment(v)
	case *graph.Volume:
		e.volume(v)
	case *graph.DBCluster:
		e.auroraCluster(v)
	}
}

func count(n int) int {
	if n <= 0 {
		return 1
	}
	return n
}

func (e *estimator) instance(v *graph.Instance) {
	if v.AutoScalingGroup != "" && e.g.Node(v.AutoScalingGroup) != nil {
		return // priced with its group
	}
	switch v.State {
	case "terminated", "shutting-down":
		return
	}
	n := decimal.NewFromInt(int64(count(v.Count)))
	u := e.usageOf(v.ID, v.Kind)
	os := u.OS
	if os == "" && strings.EqualFold(v.Platform, "windows") {
		os = prices.OSWindows
	}
	it, tenancy, monitoring, ebsOpt := v.InstanceType, v.Tenancy, v.DetailedMonitoring, v.EBSOptimized
	devs := v.BlockDevices
	if lt, ok := graph.Get[*graph.LaunchTemplate](e.g, v.LaunchTemplateID); ok {
		// What the instance does not say comes from its launch template.
		it = firstNonEmpty(it, lt.InstanceType)
		tenancy = firstNonEmpty(tenancy, lt.Tenancy)
		monitoring = monitoring || (lt.DetailedMonitoring != nil && *lt.DetailedMonitoring)
		ebsOpt = ebsOpt || lt.EBSOptimized
		if len(devs) == 0 {
			devs = lt.BlockDevices
		}
	}
	var comps []Component
	running := v.State != "stopped" && v.State != "stopping"
	if running {
		// A stopped instance has no compute charge; its addresses and
		// volumes are still billed.
		if p, ok := e.computeHour(&v.Base, it, os, tenancy); ok {
			detail := fmt.Sprintf("%s × %s", it, n)
			if os != "" && os != prices.OSLinux {
				detail += " " + os
			}
			if strings.EqualFold(tenancy, prices.TenancyDedicated) {
				detail += " dedicated"
			}
			comps = append(comps, fixed(CompCompute, detail, n.Mul(hours), p))
			comps = append(comps, e.surcharges(it, monitoring, ebsOpt, tenancy, n)...)
		}
	}
	if e.instancePublic(v) {
		if p, ok := e.lookup(prices.KeyIPv4Hour); ok {
			comps = append(comps, fixed(CompPublicIPv4, "", n.Mul(hours), p))
		}
	}
	if len(devs) > 0 {
		comps = append(comps, e.blockDevices(&v.Base, devs, u, n)...)
	} else {
		comps = append(comps, e.storage(u, n)...)
	}
	comps = append(comps, e.egress(u)...)
	e.add(&v.Base, comps, nil, nil)
}

// instancePublic reports whether the instance holds a public IPv4 address
// of its own (an EIP is priced on the EIP node).
func (e *estimator) instancePublic(v *graph.Instance) bool {
	if e.eipByInstance[v.ID] || (v.PublicIP != "" && e.eipByIP[v.PublicIP]) {
		return false
	}
	if v.PublicIP != "" {
		return true
	}
	if v.AssociatePublicIP != nil {
		return *v.AssociatePublicIP
	}
	if s, ok := graph.Get[*graph.Subnet](e.g, v.SubnetID); ok && s.MapPublicIPOnLaunch && v.Meta().Source.Form != graph.FormDescribe && v.Meta().Source.Form != graph.FormLive {
		return true
	}
	return false
}

func (e *estimator) storage(u ResourceUsage, n decimal.Decimal) []Component {
	if u.StorageGB == nil {
		return nil
	}
	t := u.StorageType
	if t == "" {
		t = "gp3"
	}
	p, ok := e.lookup(prices.EBSKey(t))
	if !ok {
		return nil
	}
	q := u.StorageGB.Mul(n)
	return []Component{usageComponent(CompEBS, t, &q, p)}
}

func (e *estimator) egress(u ResourceUsage) []Component {
	if u.InternetEgressGB == nil {
		return nil
	}
	p, ok := e.lookup(prices.KeyTransferInternet)
	if !ok {
		return nil
	}
	return []Component{usageComponent(CompInternetEgress, "", &u.InternetEgressGB.Decimal, p)}
}

func (e *estimator) eip(v *graph.EIP) {
	p, ok := e.lookup(prices.KeyIPv4Hour)
	if !ok {
		return
	}
	name, detail := CompPublicIPv4, v.PublicIP
	if !v.Associated() {
		name = CompIdlePublicIPv4
	}
	e.add(&v.Base, []Component{fixed(name, detail, hours, p)}, nil, nil)
}

func (e *estimator) nat(v *graph.NATGateway) {
	switch v.State {
	case "deleted", "deleting", "failed":
		return
	}
	ph, ok := e.lookup(prices.KeyNATHour)
	if !ok {
		e.unpriced(&v.Base, "NAT gateways have no price in %s", e.cur)
		return
	}
	comps := []Component{fixed(CompNATHours, "", hours, ph)}
	if v.ConnectivityType != "private" {
		extra := 0
		for _, a := range v.Addresses {
			if (a.AllocationID != "" && e.eipByAlloc[a.AllocationID]) || (a.PublicIP != "" && e.eipByIP[a.PublicIP]) {
				continue
			}
			extra++
		}
		if len(v.Addresses) == 0 {
			extra = 1 // a public NAT gateway always holds an address
		}
		if p, ok := e.lookup(prices.KeyIPv4Hour); ok && extra > 0 {
			comps = append(comps, fixed(CompPublicIPv4, "", hours.Mul(decimal.NewFromInt(int64(extra))), p))
		}
	}
	u := e.usageOf(v.ID, v.Kind)
	natAZ := e.subnetAZ(v.SubnetID)
	var processed *decimal.Decimal
	if u.GBProcessed != nil {
		processed = &u.GBProcessed.Decimal
	}
	var fromSubnets decimal.Decimal
	allKnown := len(e.natSubnets[v.ID]) > 0
	var cross []Component
	var pz prices.Entry
	okAZ, looked := false, false
	for _, sid := range e.natSubnets[v.ID] {
		su := e.usageOf(sid, graph.KindSubnet)
		if su.NATGB != nil {
			fromSubnets = fromSubnets.Add(su.NATGB.Decimal)
		} else {
			allKnown = false
		}
		saz := e.subnetAZ(sid)
		if saz != "" && natAZ != "" && saz != natAZ && !looked {
			pz, okAZ = e.lookup(prices.KeyTransferInterAZ)
			looked = true
		}
		if okAZ && saz != "" && natAZ != "" && saz != natAZ {
			detail := fmt.Sprintf("%s %s → %s (each direction)", sid, saz, natAZ)
			var q *decimal.Decimal
			if su.NATGB != nil {
				d := su.NATGB.Mul(decimal.NewFromInt(2))
				q = &d
			}
			cross = append(cross, usageComponent(CompCrossAZ, detail, q, pz))
		}
	}
	if processed == nil && allKnown {
		processed = &fromSubnets
	}
	if p, ok := e.lookup(prices.KeyNATGB); ok {
		comps = append(comps, usageComponent(CompNATData, "", processed, p))
	}
	comps = append(comps, cross...)
	comps = append(comps, e.egress(u)...)
	e.add(&v.Base, comps, nil, nil)
}

func (e *estimator) subnetAZ(id string) string {
	if s, ok := graph.Get[*graph.Subnet](e.g, id); ok {
		return s.AvailabilityZone
	}
	return ""
}

// lbAZs counts the availability zones of a load balancer.
func (e *estimator) lbAZs(v *graph.LoadBalancer) int {
	if len(v.AvailabilityZones) > 0 {
		return len(v.AvailabilityZones)
	}
	azs := map[string]bool{}
	for _, s := range v.SubnetIDs {
		az := e.subnetAZ(s)
		if az == "" {
			az = s
		}
		azs[az] = true
	}
	return len(azs)
}

// LCUs returns the load balancer capacity units of the LCU drivers given:
// the largest of new connections (per second), active connections (per
// minute), processed bytes (GB per hour) and rule evaluations (per
// second). lbType is "application" or "network" (TCP). Nil when no driver
// is given.
func LCUs(lbType string, u ResourceUsage) *decimal.Decimal {
	if u.LCU != nil {
		return &u.LCU.Decimal
	}
	per := map[string][4]int64{
		"application": {25, 3000, 1, 1000},
		"network":     {800, 100000, 1, 0},
	}[lbType]
	if per[0] == 0 {
		return nil
	}
	var best *decimal.Decimal
	for i, q := range []*Quantity{u.NewConnectionsPerSecond, u.ActiveConnections, u.ProcessedGBPerHour, u.RuleEvaluationsPerSecond} {
		if q == nil || per[i] == 0 {
			continue
		}
		l := q.Div(decimal.NewFromInt(per[i]))
		if best == nil || l.GreaterThan(*best) {
			best = &l
		}
	}
	return best
}

func (e *estimator) loadBalancer(v *graph.LoadBalancer) {
	u := e.usageOf(v.ID, v.Kind)
	var comps []Component
	switch v.Type {
	case "application", "network":
		hk, lk := prices.KeyALBHour, prices.KeyALBLCUHour
		if v.Type == "network" {
			hk, lk = prices.KeyNLBHour, prices.KeyNLBLCUHour
		}
		ph, ok1 := e.lookup(hk)
		pl, ok2 := e.lookup(lk)
		if !ok1 || !ok2 {
			e.unpriced(&v.Base, "%s load balancers have no price in %s", v.Type, e.cur)
			return
		}
		comps = append(comps, fixed(CompLBHours, v.Type, hours, ph))
		var q *decimal.Decimal
		if l := LCUs(v.Type, u); l != nil {
			d := l.Mul(hours)
			q = &d
		}
		comps = append(comps, usageComponent(CompLCU, "", q, pl))
	case "classic":
		ph, ok1 := e.lookup(prices.KeyELBHour)
		pg, ok2 := e.lookup(prices.KeyELBGB)
		if !ok1 || !ok2 {
			e.unpriced(&v.Base, "classic load balancers have no price in %s", e.cur)
			return
		}
		comps = append(comps, fixed(CompLBHours, "classic", hours, ph))
		var q *decimal.Decimal
		if u.GBProcessed != nil {
			q = &u.GBProcessed.Decimal
		}
		comps = append(comps, usageComponent(CompELBData, "", q, pg))
	default:
		e.unpriced(&v.Base, "%s load balancers are not in the price catalog", v.Type)
		return
	}
	if v.InternetFacing() {
		if p, ok := e.lookup(prices.KeyIPv4Hour); ok {
			n := e.lbAZs(v)
			comps = append(comps, fixed(CompPublicIPv4, fmt.Sprintf("%d AZ", n), hours.Mul(decimal.NewFromInt(int64(n))), p))
		}
	}
	comps = append(comps, e.egress(u)...)
	e.add(&v.Base, comps, nil, nil)
}

// ASGInstanceType returns the instance type an Auto Scaling group
// launches, from the first place the input states it: its launch template
// (the version the describe reader picked) or launch configuration, the
// mixed-instances overrides, the instances the group reports
// (describe-auto-scaling-groups, the most common type), the instances of
// the graph that belong to it. "" when none says.
func ASGInstanceType(g *graph.Graph, a *graph.AutoScalingGroup) string {
	t, _ := ASGInstanceTypeFrom(g, a)
	return t
}

// ASGInstanceTypeFrom is ASGInstanceType with where the type was found.
func ASGInstanceTypeFrom(g *graph.Graph, a *graph.AutoScalingGroup) (instanceType, from string) {
	if lt, ok := graph.Get[*graph.LaunchTemplate](g, a.LaunchTemplateID); ok && lt.InstanceType != "" {
		if lt.IsLaunchConfiguration {
			return lt.InstanceType, "launch configuration " + lt.ID
		}
		return lt.InstanceType, "launch template " + lt.ID
	}
	if len(a.InstanceTypes) > 0 {
		return a.InstanceTypes[0], "mixed-instances override"
	}
	counts := map[string]int{}
	for _, t := range a.ReportedInstanceTypes {
		if t != "" {
			counts[t]++
		}
	}
	if t := majority(counts); t != "" {
		return t, "the instances the group reports"
	}
	for _, i := range g.Instances() {
		if i.AutoScalingGroup == a.ID && i.InstanceType != "" {
			counts[i.InstanceType]++
		}
	}
	if t := majority(counts); t != "" {
		return t, "the group's instances"
	}
	return "", ""
}

// NodeRegion returns the region cost prices node n in (what the input
// states for it, else fill, else the region most of g states, else
// us-east-1), as Estimate does.
func NodeRegion(g *graph.Graph, n graph.Node, fill string) string {
	e := &estimator{g: g, optRegion: fill}
	e.detected, e.hasStated = detectRegion(g)
	r, _ := e.regionOf(n)
	return r
}

func (e *estimator) asgPublic(a *graph.AutoScalingGroup) bool {
	if lt, ok := graph.Get[*graph.LaunchTemplate](e.g, a.LaunchTemplateID); ok && lt.AssociatePublicIP != nil {
		return *lt.AssociatePublicIP
	}
	for _, s := range a.SubnetIDs {
		if sub, ok := graph.Get[*graph.Subnet](e.g, s); ok && sub.MapPublicIPOnLaunch {
			return true
		}
	}
	return false
}

func (e *estimator) asg(a *graph.AutoScalingGroup) {
	u := e.usageOf(a.ID, a.Kind)
	lt, _ := graph.Get[*graph.LaunchTemplate](e.g, a.LaunchTemplateID)
	it, weight := ASGInstanceType(e.g, a), 1
	if a.MixedInstances != nil && len(a.MixedInstances.Overrides) > 0 {
		// On-Demand capacity launches the first override (prioritized).
		it, weight = a.MixedInstances.Overrides[0].InstanceType, max(a.MixedInstances.Overrides[0].Weight, 1)
	}
	tenancy, monitoring, ebsOpt := "", false, false
	var devs []graph.BlockDevice
	if lt != nil {
		tenancy, ebsOpt, devs = lt.Tenancy, lt.EBSOptimized, lt.BlockDevices
		monitoring = lt.DetailedMonitoring != nil && *lt.DetailedMonitoring
	}
	if it == "" {
		e.unpriced(&a.Base, "instance type unknown (no launch template, launch configuration or mixed-instances override with one)")
		return
	}
	p, ok := e.computeHour(&a.Base, it, u.OS, tenancy)
	if !ok {
		return
	}
	ip, ipOK := e.lookup(prices.KeyIPv4Hour)
	public := ipOK && e.asgPublic(a)
	// build prices the group at a capacity (in capacity units).
	build := func(capacity int) []Component {
		var comps []Component
		instances := (capacity + weight - 1) / weight
		if a.MixedInstances != nil {
			comps = e.mixedCompute(a, it, weight, p, capacity, u)
		} else {
			detail := fmt.Sprintf("%s × %d", it, instances)
			if u.OS != "" && u.OS != prices.OSLinux {
				detail += " " + u.OS
			}
			comps = []Component{fixed(CompCompute, detail, decimal.NewFromInt(int64(instances)).Mul(hours), p)}
		}
		nd := decimal.NewFromInt(int64(instances))
		comps = append(comps, e.surcharges(it, monitoring, ebsOpt, tenancy, nd)...)
		if public {
			comps = append(comps, fixed(CompPublicIPv4, "", nd.Mul(hours), ip))
		}
		if len(devs) > 0 {
			comps = append(comps, e.blockDevices(&a.Base, devs, u, nd)...)
		} else {
			comps = append(comps, e.storage(u, nd)...)
		}
		return comps
	}
	sum := func(cs []Component) *decimal.Decimal {
		var s decimal.Decimal
		for _, c := range cs {
			if c.Monthly != nil {
				s = s.Add(*c.Monthly)
			} else if c.Name == CompSpot && c.Quantity != nil {
				// The range bounds Spot by the On-Demand price.
				s = s.Add(c.Quantity.Mul(c.UnitPrice).Round(2))
			}
		}
		return &s
	}
	// Unpriced reasons (a volume type without a price) are recorded once.
	comps := append(build(a.DesiredCapacity), e.egress(u)...)
	n := len(e.rep.Unpriced)
	lo, hi := sum(e.adjust(u, build(a.MinSize))), sum(e.adjust(u, build(a.MaxSize)))
	e.rep.Unpriced = e.rep.Unpriced[:n]
	e.add(&a.Base, comps, lo, hi)
}

// rdsEngine maps an RDS engine name to the catalog's.
func rdsEngine(engine string) string {
	switch strings.ToLower(engine) {
	case "mysql", "mariadb":
		return "mysql"
	case "postgres", "postgresql":
		return "postgres"
	}
	return ""
}

func (e *estimator) db(v *graph.DBInstance) {
	switch v.Status {
	case "stopped", "deleting":
		return
	}
	if a := auroraEngine(v.Engine); a != "" {
		e.auroraInstance(v, a)
		return
	}
	eng := rdsEngine(v.Engine)
	if eng == "" {
		e.unpriced(&v.Base, "engine %q is not in the price catalog", v.Engine)
		return
	}
	n := decimal.NewFromInt(int64(count(v.Count)))
	var comps []Component
	detail := v.InstanceClass + " Single-AZ"
	if v.MultiAZ {
		detail = v.InstanceClass + " Multi-AZ"
	}
	if p, ok := e.lookup(prices.RDSKey(eng, v.InstanceClass, v.MultiAZ)); ok {
		comps = append(comps, fixed(CompDBInstance, detail, n.Mul(hours), p))
	} else if p, ok := e.lookup(prices.RDSKey(eng, v.InstanceClass, false)); ok && v.MultiAZ {
		p.Price = p.Price.Mul(decimal.NewFromInt(2))
		comps = append(comps, fixed(CompDBInstance, detail+" (2 × Single-AZ)", n.Mul(hours), p))
	} else {
		e.unpriced(&v.Base, "instance class %q (%s) has no price in %s", v.InstanceClass, v.Engine, e.cur)
		return
	}
	st := strings.ToLower(v.StorageType)
	if st == "" {
		st = defaultDBStorageType
	}
	if v.AllocatedStorage > 0 {
		if p, ok := e.lookup(prices.RDSStorageKey(st, v.MultiAZ)); ok {
			comps = append(comps, fixed(CompDBStorage, st, n.Mul(decimal.NewFromInt(int64(v.AllocatedStorage))), p))
		} else {
			e.unpriced(&v.Base, "storage type %q has no price in %s", st, e.cur)
		}
	}
	comps = append(comps, e.egress(e.usageOf(v.ID, v.Kind))...)
	e.add(&v.Base, comps, nil, nil)
}

func (e *estimator) ecs(s *graph.ECSService) {
	if !strings.EqualFold(s.LaunchType, "FARGATE") {
		return // EC2 launch type: priced with the instances
	}
	if s.CPU <= 0 || s.Memory <= 0 {
		e.unpriced(&s.Base, "task CPU and memory unknown")
		return
	}
	pv, ok1 := e.lookup(prices.KeyFargateVCPUHour)
	pm, ok2 := e.lookup(prices.KeyFargateGBHour)
	if !ok1 || !ok2 {
		e.unpriced(&s.Base, "Fargate has no price in %s", e.cur)
		return
	}
	ip, ipOK := e.lookup(prices.KeyIPv4Hour)
	vcpu := decimal.NewFromInt(int64(s.CPU)).Div(decimal.NewFromInt(1024))
	gb := decimal.NewFromInt(int64(s.Memory)).Div(decimal.NewFromInt(1024))
	build := func(n int) []Component {
		nd := decimal.NewFromInt(int64(n))
		comps := []Component{
			fixed(CompFargateVCPU, fmt.Sprintf("%d tasks × %s vCPU", n, vcpu), nd.Mul(vcpu).Mul(hours), pv),
			fixed(CompFargateMemory, fmt.Sprintf("%d tasks × %s GB", n, gb), nd.Mul(gb).Mul(hours), pm),
		}
		if s.AssignPublicIP && ipOK {
			comps = append(comps, fixed(CompPublicIPv4, "", nd.Mul(hours), ip))
		}
		return comps
	}
	sum := func(cs []Component) *decimal.Decimal {
		var t decimal.Decimal
		for _, c := range cs {
			t = t.Add(*c.Monthly)
		}
		return &t
	}
	var lo, hi *decimal.Decimal
	if s.MaxCount > 0 {
		lo, hi = sum(build(s.MinCount)), sum(build(s.MaxCount))
	}
	e.add(&s.Base, build(s.DesiredCount), lo, hi)
}
