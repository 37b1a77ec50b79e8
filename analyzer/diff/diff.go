// Package diff compares two analyses of one architecture — the base of a
// pull request and its head — and says what the change does: which ports
// the internet newly reaches (or no longer reaches) on which resource and
// by which path, which tiers and subnets changed, which findings are new,
// fixed or unchanged (by fingerprint, so moving lines changes nothing),
// and what it does to the monthly cost. It also reads the base revision
// as an overlay of the head's paths (from git or from a folder), so that
// one engine analyses both sides with the same options and unchanged
// inputs are read once.
package diff

import (
	"fmt"
	"sort"

	"github.com/shopspring/decimal"

	"github.com/vpcgate/vpcgate/analyzer"
	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/cost"
	"github.com/vpcgate/vpcgate/policies"
)

// Exposure change kinds.
const (
	// Opened: the internet reaches the port range on head and not on base.
	Opened = "opened"
	// Closed: the internet reached the port range on base and no longer does.
	Closed = "closed"
	// SourcesChanged: the range stays reachable but from other sources
	// (203.0.113.10/32 widened to 0.0.0.0/0).
	SourcesChanged = "sources_changed"
)

// Finding statuses.
const (
	New          = "new"          // active on head, absent on base
	Fixed        = "fixed"        // active on base, absent on head
	Suppressed   = "suppressed"   // active on base, suppressed on head
	Unsuppressed = "unsuppressed" // suppressed on base, active on head
	Unchanged    = "unchanged"    // the same on both sides
)

// ExposureChange is one port range of one resource whose reachability
// from the internet changed.
type ExposureChange struct {
	Change   string
	Resource string
	Kind     graph.Kind
	Name     string
	Protocol string
	FromPort int
	ToPort   int
	IPv6     bool
	// Via is "direct" or the load balancer that forwards the traffic.
	Via string
	// Sources admit the traffic (head's; base's for a closed range).
	Sources []string
	// BaseSources are base's sources of a SourcesChanged range.
	BaseSources []string
	// Path runs from the internet to the resource (head's path; base's
	// for a closed range).
	Path []graph.Hop
	// Location is the resource's (head's; base's when head lacks it).
	Location graph.Range
}

// TierChange is a resource whose architectural tier changed.
type TierChange struct {
	Resource string
	Kind     graph.Kind
	Name     string
	Base     graph.Tier
	Head     graph.Tier
	// HeadReason says how head's tier was decided.
	HeadReason string
	Location   graph.Range
}

// SubnetChange is a subnet whose routing class changed (or a new subnet
// that is public).
type SubnetChange struct {
	Subnet string
	Name   string
	// Added is set for a subnet only head has; Removed for one only base has.
	Added, Removed bool
	BasePublic     bool
	HeadPublic     bool
	BaseClass      graph.SubnetClass
	HeadClass      graph.SubnetClass
	BaseEgress     string
	HeadEgress     string
	// HeadNATGateway is head's NAT gateway when HeadEgress is "nat".
	HeadNATGateway string
	// RouteTable is the effective route table on head (base's when head
	// lacks the subnet).
	RouteTable string
	Location   graph.Range
}

// BecamePublic reports whether the subnet is public on head and was not
// on base (or did not exist).
func (s SubnetChange) BecamePublic() bool { return s.HeadPublic && !s.BasePublic }

// FindingChange is a finding with its status in the comparison.
type FindingChange struct {
	Status string
	// Finding is head's (base's for a fixed finding).
	Finding policies.Finding
}

// ResourceCost is one resource's monthly cost on both sides.
type ResourceCost struct {
	cost.ResourceDiff
	Name string
	// Ranges of a scalable resource (an Auto Scaling group between its
	// minimum and maximum size); nil on a side where it is fixed or absent.
	BaseMin, BaseMax, HeadMin, HeadMax *decimal.Decimal
}

// Cost is the change of the monthly cost.
type Cost struct {
	*cost.Diff
	// Resources replaces Diff.Resources with the ranges.
	Resources []ResourceCost
	// Totals at minimum and maximum size on both sides.
	BaseMin, BaseMax, HeadMin, HeadMax decimal.Decimal
}

// DeltaMin and DeltaMax bound the change of the total.
func (c *Cost) DeltaMin() decimal.Decimal { return c.HeadMin.Sub(c.BaseMin) }

// DeltaMax is the change of the total at maximum size.
func (c *Cost) DeltaMax() decimal.Decimal { return c.HeadMax.Sub(c.BaseMax) }

// Diff is what a change does.
type Diff struct {
	// Base and Head name the two sides ("main", "working tree").
	Base, Head string
	Exposure   []ExposureChange
	Tiers      []TierChange
	Subnets    []SubnetChange
	// Findings are the new, fixed, suppressed and unsuppressed findings
	// (head's order, then base's for fixed ones); Unchanged holds the rest.
	Findings  []FindingChange
	Unchanged []policies.Finding
	// Rules are head's rules (SARIF metadata).
	Rules []policies.Rule
	// Cost is nil when either side was not priced; CostErr says why.
	Cost    *Cost
	CostErr error
}

// Empty reports whether the change does nothing this comparison sees.
func (d *Diff) Empty() bool {
	return len(d.Exposure) == 0 && len(d.Tiers) == 0 && len(d.Subnets) == 0 && len(d.Findings) == 0 &&
		(d.Cost == nil || (len(d.Cost.Resources) == 0 && d.Cost.Delta.IsZero()))
}

// FindingsWith returns the findings of one status.
func (d *Diff) FindingsWith(status string) []policies.Finding {
	if status == Unchanged {
		return d.Unchanged
	}
	var out []policies.Finding
	for _, f := range d.Findings {
		if f.Status == status {
			out = append(out, f.Finding)
		}
	}
	return out
}

// Options name the sides.
type Options struct {
	BaseLabel, HeadLabel string
}

// Compare returns what changes from base to head. Both snapshots should
// come from one engine (the same options); Compare reads only their
// facts, findings and costs.
func Compare(base, head *analyzer.Snapshot, o Options) (*Diff, error) {
	if base == nil || head == nil || base.Graph == nil || head.Graph == nil {
		return nil, fmt.Errorf("diff: both sides need an analysis")
	}
	d := &Diff{Base: o.BaseLabel, Head: o.HeadLabel, Rules: head.Rules}
	d.Exposure = compareExposure(base.Graph, head.Graph)
	d.Tiers = compareTiers(base.Graph, head.Graph)
	d.Subnets = compareSubnets(base.Graph, head.Graph)
	d.Findings, d.Unchanged = compareFindings(base.Findings, head.Findings)
	switch {
	case base.CostErr != nil:
		d.CostErr = fmt.Errorf("base: %w", base.CostErr)
	case head.CostErr != nil:
		d.CostErr = fmt.Errorf("head: %w", head.CostErr)
	case base.Costs != nil && head.Costs != nil:
		c, err := compareCost(base.Costs, head.Costs)
		if err != nil {
			d.CostErr = err
		}
		d.Cost = c
	}
	return d, nil
}

// reported reports whether a node's exposures are its own: an interface
// attached to an instance, or managed by a load balancer, a database or a
// NAT gateway, shares the exposures of what it belongs to.
func reported(n graph.Node) bool {
	e, ok := n.(*graph.NetworkInterface)
	if !ok {
		return true
	}
	return e.InstanceID == "" && !e.RequesterManaged && (e.InterfaceType == "" || e.InterfaceType == "interface")
}

// exposureKey groups exposures whose port ranges are compared.
type exposureKey struct {
	protocol string
	ipv6     bool
	via      string
}

func keyOf(e graph.Exposure) exposureKey { return exposureKey{e.Protocol, e.IPv6, e.Via} }

func compareExposure(base, head *graph.Graph) []ExposureChange {
	ids := map[string]bool{}
	for id := range base.Facts.Nodes {
		ids[id] = true
	}
	for id := range head.Facts.Nodes {
		ids[id] = true
	}
	var out []ExposureChange
	for id := range ids {
		bn, hn := base.Node(id), head.Node(id)
		if (bn != nil && !reported(bn)) || (hn != nil && !reported(hn)) {
			continue
		}
		var bx, hx []graph.Exposure
		if f := base.Facts.Nodes[id]; f != nil {
			bx = f.InternetReachable
		}
		if f := head.Facts.Nodes[id]; f != nil {
			hx = f.InternetReachable
		}
		if len(bx) == 0 && len(hx) == 0 {
			continue
		}
		meta := nodeMeta(hn, bn)
		mk := func(change string, e graph.Exposure, from, to int) ExposureChange {
			return ExposureChange{Change: change, Resource: id, Kind: meta.Kind, Name: meta.Name, Protocol: e.Protocol,
				FromPort: from, ToPort: to, IPv6: e.IPv6, Via: e.Via, Sources: e.Sources, Path: e.Path, Location: meta.Source.Range}
		}
		seen := map[string]bool{}
		add := func(c ExposureChange) {
			k := fmt.Sprintf("%s|%s|%t|%s|%d|%d", c.Change, c.Protocol, c.IPv6, c.Via, c.FromPort, c.ToPort)
			if !seen[k] {
				seen[k] = true
				out = append(out, c)
			}
		}
		baseSet, headSet := rangesByKey(bx), rangesByKey(hx)
		for _, e := range hx {
			for _, r := range subtract(portRange{e.FromPort, e.ToPort}, baseSet[keyOf(e)]) {
				add(mk(Opened, e, r.from, r.to))
			}
		}
		for _, e := range bx {
			for _, r := range subtract(portRange{e.FromPort, e.ToPort}, headSet[keyOf(e)]) {
				add(mk(Closed, e, r.from, r.to))
			}
		}
		for _, e := range hx {
			for _, b := range bx {
				if keyOf(b) == keyOf(e) && b.FromPort == e.FromPort && b.ToPort == e.ToPort && !sameStrings(b.Sources, e.Sources) {
					c := mk(SourcesChanged, e, e.FromPort, e.ToPort)
					c.BaseSources = b.Sources
					add(c)
				}
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Resource != b.Resource {
			return a.Resource < b.Resource
		}
		if a.Protocol != b.Protocol {
			return a.Protocol < b.Protocol
		}
		if a.FromPort != b.FromPort {
			return a.FromPort < b.FromPort
		}
		if a.ToPort != b.ToPort {
			return a.ToPort < b.ToPort
		}
		if a.IPv6 != b.IPv6 {
			return !a.IPv6
		}
		if a.Via != b.Via {
			return a.Via < b.Via
		}
		return changeOrder(a.Change) < changeOrder(b.Change)
	})
	return out
}

func changeOrder(c string) int {
	switch c {
	case Opened:
		return 0
	case SourcesChanged:
		return 1
	}
	return 2
}

// nodeMeta returns head's node metadata, else base's.
func nodeMeta(head, base graph.Node) *graph.Base {
	if head != nil {
		return head.Meta()
	}
	if base != nil {
		return base.Meta()
	}
	return &graph.Base{}
}

func rangesByKey(xs []graph.Exposure) map[exposureKey][]portRange {
	out := map[exposureKey][]portRange{}
	for _, e := range xs {
		out[keyOf(e)] = append(out[keyOf(e)], portRange{e.FromPort, e.ToPort})
	}
	return out
}

func sameStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func compareTiers(base, head *graph.Graph) []TierChange {
	var out []TierChange
	for id, hf := range head.Facts.Nodes {
		bf := base.Facts.Nodes[id]
		if bf == nil || bf.Tier == hf.Tier {
			continue
		}
		hn := head.Node(id)
		if hn != nil && !reported(hn) {
			continue
		}
		m := nodeMeta(hn, base.Node(id))
		out = append(out, TierChange{Resource: id, Kind: m.Kind, Name: m.Name, Base: bf.Tier, Head: hf.Tier, HeadReason: hf.TierReason, Location: m.Source.Range})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Resource < out[j].Resource })
	return out
}

func compareSubnets(base, head *graph.Graph) []SubnetChange {
	ids := map[string]bool{}
	for id := range base.Facts.Subnets {
		ids[id] = true
	}
	for id := range head.Facts.Subnets {
		ids[id] = true
	}
	var out []SubnetChange
	for id := range ids {
		bf, hf := base.Facts.Subnets[id], head.Facts.Subnets[id]
		m := nodeMeta(head.Node(id), base.Node(id))
		c := SubnetChange{Subnet: id, Name: m.Name, Location: m.Source.Range}
		switch {
		case bf == nil:
			if !hf.Public && !hf.PublicIPv6 {
				continue // a new private subnet changes no exposure
			}
			c.Added = true
		case hf == nil:
			if !bf.Public && !bf.PublicIPv6 {
				continue
			}
			c.Removed = true
		case bf.Public == hf.Public && bf.Class == hf.Class && bf.Egress == hf.Egress && bf.NATGateway == hf.NATGateway:
			continue
		}
		if bf != nil {
			c.BasePublic, c.BaseClass, c.BaseEgress, c.RouteTable = bf.Public, bf.Class, bf.Egress, bf.RouteTable
		}
		if hf != nil {
			c.HeadPublic, c.HeadClass, c.HeadEgress, c.HeadNATGateway, c.RouteTable = hf.Public, hf.Class, hf.Egress, hf.NATGateway, hf.RouteTable
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Subnet < out[j].Subnet })
	return out
}

// compareFindings matches findings by fingerprint (as many times as a
// fingerprint occurs on each side, a base finding in the same suppression
// state first).
func compareFindings(base, head []policies.Finding) (changed []FindingChange, unchanged []policies.Finding) {
	pool := map[string][]int{} // fingerprint → unmatched base indexes
	for i, f := range base {
		pool[f.Fingerprint] = append(pool[f.Fingerprint], i)
	}
	matched := make([]bool, len(base))
	for _, h := range head {
		idx := pool[h.Fingerprint]
		if len(idx) == 0 {
			if !h.Suppressed {
				changed = append(changed, FindingChange{Status: New, Finding: h})
			}
			continue
		}
		k := 0
		for i, bi := range idx {
			if base[bi].Suppressed == h.Suppressed {
				k = i
				break
			}
		}
		b := base[idx[k]]
		matched[idx[k]] = true
		pool[h.Fingerprint] = append(idx[:k:k], idx[k+1:]...)
		switch {
		case b.Suppressed == h.Suppressed:
			unchanged = append(unchanged, h)
		case h.Suppressed:
			changed = append(changed, FindingChange{Status: Suppressed, Finding: h})
		default:
			changed = append(changed, FindingChange{Status: Unsuppressed, Finding: h})
		}
	}
	for i, b := range base {
		if !matched[i] && !b.Suppressed {
			changed = append(changed, FindingChange{Status: Fixed, Finding: b})
		}
	}
	return changed, unchanged
}

func compareCost(base, head *cost.Report) (*Cost, error) {
	cd, err := cost.Compare(base, head)
	if err != nil {
		return nil, err
	}
	c := &Cost{Diff: cd, BaseMin: base.TotalMin, BaseMax: base.TotalMax, HeadMin: head.TotalMin, HeadMax: head.TotalMax}
	bres, hres := resourcesByID(base), resourcesByID(head)
	for _, r := range cd.Resources {
		rc := ResourceCost{ResourceDiff: r}
		if b := bres[r.ID]; b != nil {
			rc.Name, rc.BaseMin, rc.BaseMax = b.Name, b.MonthlyMin, b.MonthlyMax
		}
		if h := hres[r.ID]; h != nil {
			rc.Name, rc.HeadMin, rc.HeadMax = h.Name, h.MonthlyMin, h.MonthlyMax
		}
		c.Resources = append(c.Resources, rc)
	}
	// A scalable resource whose range changed while its nominal cost did
	// not (max size 4 → 10) is a change too.
	listed := map[string]bool{}
	for _, r := range cd.Resources {
		listed[r.ID] = true
	}
	for id, h := range hres {
		b := bres[id]
		if b == nil || listed[id] || (eqDec(b.MonthlyMin, h.MonthlyMin) && eqDec(b.MonthlyMax, h.MonthlyMax)) {
			continue
		}
		c.Resources = append(c.Resources, ResourceCost{
			ResourceDiff: cost.ResourceDiff{ID: id, Kind: h.Kind, Status: cost.Changed, Base: b.Monthly, Head: h.Monthly, Delta: h.Monthly.Sub(b.Monthly)},
			Name:         h.Name, BaseMin: b.MonthlyMin, BaseMax: b.MonthlyMax, HeadMin: h.MonthlyMin, HeadMax: h.MonthlyMax,
		})
	}
	order := map[graph.Kind]int{}
	for i, k := range graph.Kinds {
		order[k] = i
	}
	sort.SliceStable(c.Resources, func(i, j int) bool {
		a, b := c.Resources[i], c.Resources[j]
		if order[a.Kind] != order[b.Kind] {
			return order[a.Kind] < order[b.Kind]
		}
		return a.ID < b.ID
	})
	return c, nil
}

func resourcesByID(r *cost.Report) map[string]*cost.Resource {
	out := make(map[string]*cost.Resource, len(r.Resources))
	for i := range r.Resources {
		out[r.Resources[i].ID] = &r.Resources[i]
	}
	return out
}

func eqDec(a, b *decimal.Decimal) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}
