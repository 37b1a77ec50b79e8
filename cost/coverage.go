package cost

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/cost/prices"
)

// More component names.
const (
	CompEBSIOPS          = "ebs_iops"
	CompEBSThroughput    = "ebs_throughput"
	CompDetailedMonitor  = "detailed_monitoring"
	CompEBSOptimized     = "ebs_optimized"
	CompDedicatedFee     = "dedicated_region_fee"
	CompSpot             = "compute_spot"
	CompAuroraInstance   = "aurora_instance"
	CompAuroraStorage    = "aurora_storage"
	CompAuroraIO         = "aurora_io"
	CompEndpointHours    = "endpoint_hours"
	CompEndpointData     = "endpoint_data_processed"
	CompTGWAttachment    = "tgw_attachment_hours"
	CompTGWData          = "tgw_data_processed"
	CompDiscount         = "discount"
	defaultEBSVolumeType = "gp2" // AWS's default when a volume names no type
)

// Free baselines of gp3 and the IOPS tiers of io2.
const (
	gp3FreeIOPS       = 3000
	gp3FreeThroughput = 125 // MiB/s
	io2Tier1          = 32000
	io2Tier2          = 64000
)

// ebs prices one volume type of size GB (nil: unknown, left "depends on
// usage") times n, with provisioned IOPS and throughput above what the
// type includes. what names the volume in the details.
func (e *estimator) ebs(b *graph.Base, what, volType string, size *decimal.Decimal, iops, throughput int, n decimal.Decimal) []Component {
	t := strings.ToLower(volType)
	if t == "" {
		t = defaultEBSVolumeType
	}
	p, ok := e.lookup(prices.EBSKey(t))
	if !ok {
		e.unpriced(b, "EBS volume type %q has no price in %s", t, e.cur)
		return nil
	}
	detail := t
	if what != "" {
		detail = what + " " + t
	}
	var comps []Component
	if size == nil {
		comps = append(comps, usageComponent(CompEBS, detail+" (size from the image: give storage_gb)", nil, p))
	} else {
		comps = append(comps, fixed(CompEBS, detail, size.Mul(n), p))
	}
	extra := func(key string, qty int, label string) {
		if qty <= 0 {
			return
		}
		if pp, ok := e.lookup(key); ok {
			comps = append(comps, fixed(label, fmt.Sprintf("%s %s %d", detail, pp.Unit, qty), decimal.NewFromInt(int64(qty)).Mul(n), pp))
		} else {
			e.unpriced(b, "%s has no price in %s", key, e.cur)
		}
	}
	switch t {
	case "gp3":
		extra(prices.EBSKey("gp3_iops"), iops-gp3FreeIOPS, CompEBSIOPS)
		extra(prices.EBSKey("gp3_throughput"), throughput-gp3FreeThroughput, CompEBSThroughput)
	case "io1":
		extra(prices.EBSKey("io1_iops"), iops, CompEBSIOPS)
	case "io2":
		extra(prices.EBSKey("io2_iops"), min(iops, io2Tier1), CompEBSIOPS)
		extra(prices.EBSKey("io2_iops_tier2"), min(iops, io2Tier2)-io2Tier1, CompEBSIOPS)
		extra(prices.EBSKey("io2_iops_tier3"), iops-io2Tier2, CompEBSIOPS)
	}
	return comps
}

// blockDevices prices the EBS volumes an instance or launch template
// defines, n instances of them. A usage storage_gb stands in for a root
// volume of unknown size.
func (e *estimator) blockDevices(b *graph.Base, devs []graph.BlockDevice, u ResourceUsage, n decimal.Decimal) []Component {
	var comps []Component
	for _, d := range devs {
		if d.VolumeID != "" && e.g.Node(d.VolumeID) != nil {
			continue // priced on its volume node
		}
		what := d.DeviceName
		if d.Root {
			what = "root"
		}
		var size *decimal.Decimal
		if d.SizeGB > 0 {
			s := decimal.NewFromInt(int64(d.SizeGB))
			size = &s
		} else if u.StorageGB != nil && d.Root {
			size = &u.StorageGB.Decimal
		}
		comps = append(comps, e.ebs(b, what, d.VolumeType, size, d.IOPS, d.Throughput, n)...)
	}
	return comps
}

func (e *estimator) volume(v *graph.Volume) {
	switch v.State {
	case "deleted", "deleting", "error":
		return
	}
	var size *decimal.Decimal
	if v.SizeGB > 0 {
		s := decimal.NewFromInt(int64(v.SizeGB))
		size = &s
	} else if u := e.usageOf(v.ID, v.Kind); u.StorageGB != nil {
		size = &u.StorageGB.Decimal
	}
	e.add(&v.Base, e.ebs(&v.Base, "", v.VolumeType, size, v.IOPS, v.Throughput, decimal.NewFromInt(1)), nil, nil)
}

// computeHour returns the on-demand hour of an instance type for an
// operating system and tenancy, or false after recording why not.
func (e *estimator) computeHour(b *graph.Base, instanceType, os, tenancy string) (prices.Entry, bool) {
	os = strings.ToLower(os)
	if os == "" {
		os = prices.OSLinux
	}
	tenancy = strings.ToLower(tenancy)
	switch tenancy {
	case "", prices.TenancyDefault:
		tenancy = prices.TenancyDefault
	case prices.TenancyDedicated:
	case "host":
		e.unpriced(b, "tenancy host: billed per Dedicated Host, not per instance (not in the catalog)")
		return prices.Entry{}, false
	default:
		e.unpriced(b, "tenancy %q is not one AWS sells (default, dedicated, host)", tenancy)
		return prices.Entry{}, false
	}
	if instanceType == "" {
		e.unpriced(b, "instance type unknown (the input states none)")
		return prices.Entry{}, false
	}
	key := prices.EC2OSKey(instanceType, os, tenancy)
	p, ok := e.lookup(key)
	if !ok {
		if os != prices.OSLinux || tenancy != prices.TenancyDefault {
			e.unpriced(b, "no %s price for %s (%s, %s tenancy) in %s: import it with vpcgate prices import (an AmazonEC2 offer file)", key, instanceType, os, tenancy, e.cur)
		} else {
			e.unpriced(b, "instance type %q has no price in %s", instanceType, e.cur)
		}
	}
	return p, ok
}

// surcharges are what an instance costs beyond its hour: detailed
// monitoring, the EBS-optimized fee of types not optimized by default and
// the dedicated region fee (per region, counted once on each dedicated
// resource: a lower bound when several share a region).
func (e *estimator) surcharges(instanceType string, monitoring, ebsOptimized bool, tenancy string, n decimal.Decimal) []Component {
	var comps []Component
	if monitoring {
		if p, ok := e.lookup("ec2_monitoring/instance_month"); ok {
			comps = append(comps, fixed(CompDetailedMonitor, "", n, p))
		}
	}
	if ebsOptimized {
		// Types EBS-optimized by default have no entry: no surcharge.
		if p, ok := e.lookup("ec2_ebs_optimized/" + instanceType); ok {
			comps = append(comps, fixed(CompEBSOptimized, instanceType, n.Mul(hours), p))
		}
	}
	if strings.EqualFold(tenancy, prices.TenancyDedicated) {
		if p, ok := e.lookup("ec2_dedicated/region_fee_hour"); ok {
			comps = append(comps, fixed(CompDedicatedFee, e.cur+", once a region", hours, p))
		}
	}
	return comps
}

// adjust applies a resource's usage to its components: monthly_hours
// scales every hourly quantity, and a discount takes its share off the
// compute.
func (e *estimator) adjust(u ResourceUsage, comps []Component) []Component {
	if u.MonthlyHours != nil && !u.MonthlyHours.Equal(hours) {
		for i := range comps {
			c := &comps[i]
			if c.Quantity == nil || !strings.HasSuffix(c.Unit, "hour") {
				continue
			}
			q := c.Quantity.Mul(u.MonthlyHours.Decimal).Div(hours)
			m := q.Mul(c.UnitPrice).Round(2)
			c.Quantity, c.Monthly = &q, &m
			c.Detail = strings.TrimSpace(c.Detail + fmt.Sprintf(" (%s h a month)", u.MonthlyHours.String()))
		}
	}
	if d := u.Discount; d != nil && d.Percent.IsPositive() {
		var base decimal.Decimal
		est := false
		for _, c := range comps {
			switch c.Name {
			case CompCompute, CompDBInstance, CompAuroraInstance, CompFargateVCPU, CompFargateMemory:
				if c.Monthly != nil {
					base = base.Add(*c.Monthly)
					est = est || c.Estimate
				}
			}
		}
		if base.IsPositive() {
			rate := d.Percent.Div(decimal.NewFromInt(100)).Neg()
			m := base.Mul(rate).Round(2)
			label := map[string]string{"reserved": "reserved instance", "savings_plan": "savings plan"}[d.Type]
			comps = append(comps, Component{Name: CompDiscount, Detail: fmt.Sprintf("%s %s%% off compute", label, d.Percent.String()),
				Unit: "USD of compute", Quantity: &base, UnitPrice: rate, Monthly: &m, Estimate: est})
		}
	}
	return comps
}

// mixedCompute prices an Auto Scaling group's capacity under a
// mixed-instances policy: the On-Demand base, then the On-Demand share of
// the capacity above it, each instance counting for its override's
// weight; the first override (On-Demand "prioritized") launches the
// On-Demand capacity. The Spot share is priced at the usage file's
// spot_price, else it depends on usage (Spot prices are not in the
// catalog). capacity is in the group's capacity units.
func (e *estimator) mixedCompute(a *graph.AutoScalingGroup, it string, weight int, p prices.Entry, capacity int, u ResourceUsage) []Component {
	pol := a.MixedInstances
	if weight <= 0 {
		weight = 1
	}
	base := min(pol.OnDemandBase, capacity)
	pct := 100
	if pol.OnDemandPercentAboveBase != nil {
		pct = *pol.OnDemandPercentAboveBase
	}
	above := capacity - base
	odAbove := (above*pct + 99) / 100 // On-Demand rounds up
	odUnits := base + odAbove
	spotUnits := capacity - odUnits
	odN := (odUnits + weight - 1) / weight
	spotN := (spotUnits + weight - 1) / weight
	wtxt := ""
	if weight > 1 {
		wtxt = fmt.Sprintf(", weight %d", weight)
	}
	nd := decimal.NewFromInt(int64(odN))
	comps := []Component{fixed(CompCompute, fmt.Sprintf("%s × %d on-demand (base %d + %d%% above%s)", it, odN, pol.OnDemandBase, pct, wtxt), nd.Mul(hours), p)}
	if spotN > 0 {
		sq := decimal.NewFromInt(int64(spotN)).Mul(hours)
		sp := prices.Entry{Unit: "hour", Price: p.Price, Estimate: p.Estimate}
		var q *decimal.Decimal
		detail := fmt.Sprintf("%s × %d spot%s (on-demand price shown; give spot_price)", it, spotN, wtxt)
		if u.SpotPrice != nil {
			sp.Price = u.SpotPrice.Decimal
			q = &sq
			detail = fmt.Sprintf("%s × %d spot%s", it, spotN, wtxt)
		}
		c := usageComponent(CompSpot, detail, q, sp)
		if q == nil {
			c.Quantity = &sq // the hours are known; the price is not
		}
		comps = append(comps, c)
	}
	return comps
}

// auroraEngine maps an Aurora engine name to the catalog's.
func auroraEngine(engine string) string {
	switch strings.ToLower(engine) {
	case "aurora", "aurora-mysql":
		return "mysql"
	case "aurora-postgresql":
		return "postgres"
	}
	return ""
}

func (e *estimator) auroraInstance(v *graph.DBInstance, eng string) {
	n := decimal.NewFromInt(int64(count(v.Count)))
	p, ok := e.lookup("aurora/" + eng + "/" + v.InstanceClass)
	if !ok {
		e.unpriced(&v.Base, "Aurora instance class %q (%s) has no price in %s", v.InstanceClass, v.Engine, e.cur)
		return
	}
	comps := []Component{fixed(CompAuroraInstance, v.InstanceClass+" "+v.Engine, n.Mul(hours), p)}
	u := e.usageOf(v.ID, v.Kind)
	comps = append(comps, e.egress(u)...)
	e.add(&v.Base, comps, nil, nil)
}

// auroraCluster prices an Aurora cluster's storage and I/O, which depend
// on usage (storage_gb, io_requests_millions); its instances are priced
// on their own nodes.
func (e *estimator) auroraCluster(c *graph.DBCluster) {
	if auroraEngine(c.Engine) == "" {
		if c.InstanceClass != "" {
			e.unpriced(&c.Base, "Multi-AZ DB clusters (%s) are not in the price catalog", c.Engine)
		}
		return
	}
	u := e.usageOf(c.ID, c.Kind)
	var comps []Component
	if p, ok := e.lookup("aurora_storage/gb"); ok {
		var q *decimal.Decimal
		if u.StorageGB != nil {
			q = &u.StorageGB.Decimal
		}
		comps = append(comps, usageComponent(CompAuroraStorage, "", q, p))
	}
	if p, ok := e.lookup("aurora_io/million"); ok {
		var q *decimal.Decimal
		if u.IORequestsMillions != nil {
			q = &u.IORequestsMillions.Decimal
		}
		comps = append(comps, usageComponent(CompAuroraIO, "", q, p))
	}
	e.add(&c.Base, comps, nil, nil)
}

func (e *estimator) endpoint(v *graph.VPCEndpoint) {
	switch {
	case strings.EqualFold(v.EndpointType, "Interface"):
	case strings.EqualFold(v.EndpointType, "GatewayLoadBalancer"):
		e.unpriced(&v.Base, "Gateway Load Balancer endpoints are not in the price catalog")
		return
	default:
		return // gateway endpoints (S3, DynamoDB) are free
	}
	ph, ok := e.lookup("vpce/interface_hour")
	if !ok {
		e.unpriced(&v.Base, "interface endpoints have no price in %s", e.cur)
		return
	}
	azs := map[string]bool{}
	for _, s := range v.SubnetIDs {
		az := e.subnetAZ(s)
		if az == "" {
			az = s
		}
		azs[az] = true
	}
	nAZ := max(len(azs), 1)
	detail := fmt.Sprintf("%d AZ", nAZ)
	if v.ServiceName != "" {
		detail = v.ServiceName + ", " + detail
	}
	comps := []Component{fixed(CompEndpointHours, detail, hours.Mul(decimal.NewFromInt(int64(nAZ))), ph)}
	u := e.usageOf(v.ID, v.Kind)
	if p, ok := e.lookup("vpce/gb"); ok {
		var q *decimal.Decimal
		if u.GBProcessed != nil {
			q = &u.GBProcessed.Decimal
		}
		comps = append(comps, usageComponent(CompEndpointData, "", q, p))
	}
	e.add(&v.Base, comps, nil, nil)
}

func (e *estimator) tgwAttachment(v *graph.TransitGatewayAttachment) {
	switch v.State {
	case "deleted", "deleting", "failed", "rejected":
		return
	}
	ph, ok := e.lookup("tgw/attachment_hour")
	if !ok {
		e.unpriced(&v.Base, "transit gateway attachments have no price in %s", e.cur)
		return
	}
	comps := []Component{fixed(CompTGWAttachment, v.ResourceType, hours, ph)}
	u := e.usageOf(v.ID, v.Kind)
	if p, ok := e.lookup("tgw/gb"); ok {
		var q *decimal.Decimal
		if u.GBProcessed != nil {
			q = &u.GBProcessed.Decimal
		}
		comps = append(comps, usageComponent(CompTGWData, "", q, p))
	}
	e.add(&v.Base, comps, nil, nil)
}
