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
}

// Resource is the monthly cost of one node.
type Resource struct {
	ID   string
	Kind graph.Kind
	Name string
	// Monthly is the sum of the known components.
	Monthly decimal.Decimal
	// MonthlyMin and MonthlyMax bound a scalable resource (an Auto Scaling
	// group at min and max size); nil otherwise.
	MonthlyMin, MonthlyMax *decimal.Decimal
	Components             []Component
}

// Unpriced is a resource the catalog cannot price, with the reason.
type Unpriced struct {
	ID     string
	Kind   graph.Kind
	Reason string
}

// Report is the monthly estimate of a graph.
type Report struct {
	Region     string
	Currency   string
	PricesAsOf string
	Resources  []Resource
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

// Options configure an estimate.
type Options struct {
	// Catalog of prices; required.
	Catalog *prices.Catalog
	// Region prices every node; empty: the region the input names (the
	// most frequent), else us-east-1.
	Region string
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
	e := &estimator{g: g, cat: opts.Catalog, region: opts.Region, usage: map[string]ResourceUsage{}, defaults: map[string]ResourceUsage{}}
	if e.region == "" {
		e.region = DetectRegion(g)
	}
	if opts.Usage != nil {
		if err := e.resolveUsage(opts.Usage, opts.SkipUnknownUsage); err != nil {
			return nil, err
		}
	}
	e.rep = &Report{Region: e.region, Currency: e.cat.Currency, PricesAsOf: e.cat.AsOf}
	e.indexAddresses()
	e.natSubnets = map[string][]string{}
	for _, s := range g.Subnets() {
		if f := g.Facts.Subnets[s.ID]; f != nil && f.Egress == graph.EgressNAT && f.NATGateway != "" {
			e.natSubnets[f.NATGateway] = append(e.natSubnets[f.NATGateway], s.ID)
		}
	}
	for _, n := range g.Nodes() {
		e.price(n)
	}
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
// of subnets, instances and databases name (real data), else the one most
// nodes' provenance names (which may be a default), else us-east-1. Ties
// go to the region that sorts first.
func DetectRegion(g *graph.Graph) string {
	azs := map[string]int{}
	addAZ := func(az string) {
		if r := strings.TrimRight(az, "abcdefghijklmnopqrstuvwxyz"); r != "" && r != az {
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
	if r := majority(azs); r != "" {
		return r
	}
	src := map[string]int{}
	for _, n := range g.Nodes() {
		if r := n.Meta().Source.Region; r != "" {
			src[r]++
		}
	}
	if r := majority(src); r != "" {
		return r
	}
	return "us-east-1"
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
	g        *graph.Graph
	cat      *prices.Catalog
	region   string
	usage    map[string]ResourceUsage // by node id
	defaults map[string]ResourceUsage // by kind
	rep      *Report
	// eipByInstance and eipByIP say which public addresses are EIP nodes
	// (priced on the EIP itself).
	eipByInstance map[string]bool
	eipByIP       map[string]bool
	eipByAlloc    map[string]bool
	natSubnets    map[string][]string // NAT id → subnets routed to it
}

func (e *estimator) resolveUsage(u *Usage, skipUnknown bool) error {
	for _, k := range u.keys() {
		ns := e.g.Resolve(k)
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

// lookup returns the price of key, or false after recording why.
func (e *estimator) lookup(key string) (prices.Entry, bool) {
	return e.cat.Lookup(e.region, key)
}

func (e *estimator) unpriced(b *graph.Base, format string, args ...any) {
	e.rep.Unpriced = append(e.rep.Unpriced, Unpriced{ID: b.ID, Kind: b.Kind, Reason: fmt.Sprintf(format, args...)})
}

// fixed returns a component of a known quantity.
func fixed(name, detail string, qty decimal.Decimal, p prices.Entry) Component {
	m := qty.Mul(p.Price).Round(2)
	return Component{Name: name, Detail: detail, Unit: p.Unit, Quantity: &qty, UnitPrice: p.Price, Monthly: &m}
}

// usageComponent returns a component whose quantity comes from usage; a
// nil quantity leaves it "depends on usage".
func usageComponent(name, detail string, qty *decimal.Decimal, p prices.Entry) Component {
	if qty == nil {
		return Component{Name: name, Detail: detail, Unit: p.Unit, UnitPrice: p.Price, UsageDependent: true}
	}
	c := fixed(name, detail, *qty, p)
	c.UsageDependent = true
	return c
}

func (e *estimator) add(b *graph.Base, comps []Component, lo, hi *decimal.Decimal) {
	if len(comps) == 0 {
		return
	}
	e.rep.Resources = append(e.rep.Resources, Resource{ID: b.ID, Kind: b.Kind, Name: b.Name, Components: comps, MonthlyMin: lo, MonthlyMax: hi})
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
		if strings.EqualFold(v.EndpointType, "Interface") || strings.EqualFold(v.EndpointType, "GatewayLoadBalancer") {
			e.unpriced(&v.Base, "%s endpoints are not in the price catalog", v.EndpointType)
		}
	case *graph.TransitGatewayAttachment:
		e.unpriced(&v.Base, "transit gateway attachments are not in the price catalog")
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
	var comps []Component
	if v.State == "stopped" || v.State == "stopping" {
		// No compute charge; addresses and volumes are still billed.
	} else if p, ok := e.lookup(prices.EC2Key(v.InstanceType)); ok {
		comps = append(comps, fixed(CompCompute, fmt.Sprintf("%s × %s", v.InstanceType, n), n.Mul(hours), p))
	} else {
		e.unpriced(&v.Base, "instance type %q has no price in %s", v.InstanceType, e.region)
	}
	if e.instancePublic(v) {
		if p, ok := e.lookup(prices.KeyIPv4Hour); ok {
			comps = append(comps, fixed(CompPublicIPv4, "", n.Mul(hours), p))
		}
	}
	u := e.usageOf(v.ID, v.Kind)
	comps = append(comps, e.storage(u, n)...)
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
		e.unpriced(&v.Base, "NAT gateways have no price in %s", e.region)
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
	pz, okAZ := e.lookup(prices.KeyTransferInterAZ)
	for _, sid := range e.natSubnets[v.ID] {
		su := e.usageOf(sid, graph.KindSubnet)
		if su.NATGB != nil {
			fromSubnets = fromSubnets.Add(su.NATGB.Decimal)
		} else {
			allKnown = false
		}
		saz := e.subnetAZ(sid)
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
			e.unpriced(&v.Base, "%s load balancers have no price in %s", v.Type, e.region)
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
			e.unpriced(&v.Base, "classic load balancers have no price in %s", e.region)
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
// launches: its launch template's, else the first mixed-instances
// override.
func ASGInstanceType(g *graph.Graph, a *graph.AutoScalingGroup) string {
	if lt, ok := graph.Get[*graph.LaunchTemplate](g, a.LaunchTemplateID); ok && lt.InstanceType != "" {
		return lt.InstanceType
	}
	if len(a.InstanceTypes) > 0 {
		return a.InstanceTypes[0]
	}
	return ""
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
	it := ASGInstanceType(e.g, a)
	p, ok := e.lookup(prices.EC2Key(it))
	if !ok {
		if it == "" {
			e.unpriced(&a.Base, "instance type unknown (no launch template with one)")
		} else {
			e.unpriced(&a.Base, "instance type %q has no price in %s", it, e.region)
		}
		return
	}
	ip, ipOK := e.lookup(prices.KeyIPv4Hour)
	public := ipOK && e.asgPublic(a)
	u := e.usageOf(a.ID, a.Kind)
	build := func(n int) []Component {
		nd := decimal.NewFromInt(int64(n))
		comps := []Component{fixed(CompCompute, fmt.Sprintf("%s × %d", it, n), nd.Mul(hours), p)}
		if public {
			comps = append(comps, fixed(CompPublicIPv4, "", nd.Mul(hours), ip))
		}
		return append(comps, e.storage(u, nd)...)
	}
	sum := func(cs []Component) *decimal.Decimal {
		var s decimal.Decimal
		for _, c := range cs {
			if c.Monthly != nil {
				s = s.Add(*c.Monthly)
			}
		}
		return &s
	}
	comps := append(build(a.DesiredCapacity), e.egress(u)...)
	lo, hi := sum(build(a.MinSize)), sum(build(a.MaxSize))
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
		e.unpriced(&v.Base, "instance class %q (%s) has no price in %s", v.InstanceClass, v.Engine, e.region)
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
			e.unpriced(&v.Base, "storage type %q has no price in %s", st, e.region)
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
		e.unpriced(&s.Base, "Fargate has no price in %s", e.region)
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
