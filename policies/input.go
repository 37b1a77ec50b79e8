package policies

import (
	"context"
	"fmt"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// InputVersion is the version of the input document handed to every rule
// (input.version). It changes when a field is renamed or removed; new fields
// do not change it.
const InputVersion = "1"

// InputDocument builds the document every rule sees as input, as plain Go
// values (maps, slices, strings, numbers, booleans): what `vpcgate graph
// --format input` prints and what users write their policies against. It is
// described in README.md.
func InputDocument(g *graph.Graph) (map[string]any, error) {
	v := inputValue(g)
	j, err := ast.JSON(v)
	if err != nil {
		return nil, fmt.Errorf("policy input: %w", err)
	}
	m, ok := j.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("policy input: built %T, not an object", j)
	}
	return m, nil
}

// inputValue builds the input document as an OPA value, directly from the
// graph's typed nodes (no JSON round trip). Lookups every rule needs (a
// node's tier, subnets, VPC and zones, the tiers using a security group)
// are computed here once, so rules never scan the graph to find them.
func inputValue(g *graph.Graph) ast.Value {
	v, _ := inputValueCtx(context.Background(), g) // never cancelled
	return v
}

// inputHook is set by tests only: it runs before each kind is converted,
// so that a test can make a worker panic.
var inputHook func(graph.Kind)

// inputValueCtx is inputValue that stops once ctx is done: it then returns
// nil and ctx.Err(), never a partial document. Every loop over the nodes
// checks ctx every checkEvery iterations, so a cancel is seen within a
// few milliseconds even on the largest input.
func inputValueCtx(ctx context.Context, g *graph.Graph) (ast.Value, error) {
	ix, err := newIndex(ctx, g)
	if err != nil {
		return nil, err
	}
	// Each kind is converted in chunks of up to kindChunk nodes (the
	// 10,000 instances of an estate on every core), and input.kinds,
	// input.tiers, sg_links and lb_targets on their own; the graph and the
	// index are only read. The chunk that finishes last builds its kind's
	// object.
	nodes := make([][]graph.Node, len(graph.Kinds))
	for i, k := range graph.Kinds {
		nodes[i] = g.Of(k)
	}
	parts := make([]*ast.Term, len(graph.Kinds))
	var kinds, tiers, sgLinks, lbTargets *ast.Term
	type task struct {
		size int
		kind graph.Kind // of a kind's task, for inputHook
		run  func(c *converter)
	}
	tasks := make([]task, 0, len(graph.Kinds)+4)
	chunks := make([]kindChunks, len(graph.Kinds))
	for i, k := range graph.Kinds {
		n := len(nodes[i])
		kc := &chunks[i]
		kc.pairs = make([][][2]*ast.Term, max(1, (n+kindChunk-1)/kindChunk))
		kc.left.Store(int32(len(kc.pairs)))
		for j := range kc.pairs {
			from, to := j*kindChunk, min(n, (j+1)*kindChunk)
			tasks = append(tasks, task{to - from, k, func(c *converter) {
				kc.pairs[j] = c.kind(g, ix, i, from, nodes[i][from:to])
				if kc.left.Add(-1) == 0 {
					parts[i] = kc.object()
				}
			}})
		}
	}
	tasks = append(tasks,
		task{g.Len(), "", func(c *converter) { kinds = c.kindsObject(nodes) }},
		task{g.Len(), "", func(c *converter) { tiers = c.tiersObject(ix, nodes) }},
		task{len(g.Facts.SGLinks), "", func(c *converter) { sgLinks = c.list(reflect.ValueOf(g.Facts.SGLinks)) }},
		task{len(g.Facts.LBTargets), "", func(c *converter) { lbTargets = c.list(reflect.ValueOf(g.Facts.LBTargets)) }},
	)
	// Biggest first, so the last to finish is a small one.
	sort.SliceStable(tasks, func(a, b int) bool { return tasks[a].size > tasks[b].size })
	work := make(chan task)
	var wg sync.WaitGroup
	var panicked atomic.Value
	for range min(runtime.GOMAXPROCS(0), len(tasks)) {
		wg.Go(func() {
			// A panic on a worker would end the process: it is recovered
			// here and raised again on the caller's goroutine, where the
			// analyzer turns it into a diagnostic. The worker keeps
			// draining work so that the sender is never left blocked.
			defer func() {
				if r := recover(); r != nil {
					panicked.CompareAndSwap(nil, fmt.Sprint(r))
					for range work {
					}
				}
			}()
			// Ids, named by their node and by others, are most of the
			// strings: sizing the table up front saves growing it.
			c := newConverter(g.Len())
			c.ctx = ctx
			c.pls = ix.pls
			for t := range work {
				if inputHook != nil && t.kind != "" {
					inputHook(t.kind)
				}
				t.run(c)
			}
		})
	}
	for _, t := range tasks {
		work <- t
	}
	close(work)
	wg.Wait()
	if r := panicked.Load(); r != nil {
		panic(fmt.Sprintf("building the policy input: %v", r))
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	resources := make([][2]*ast.Term, len(graph.Kinds))
	for i, k := range graph.Kinds {
		resources[i] = ast.Item(ast.StringTerm(string(k)), parts[i])
	}
	return ast.NewObject(
		ast.Item(ast.StringTerm("version"), ast.StringTerm(InputVersion)),
		ast.Item(ast.StringTerm("resources"), ast.ObjectTerm(resources...)),
		ast.Item(ast.StringTerm("kinds"), kinds),
		ast.Item(ast.StringTerm("tiers"), tiers),
		ast.Item(ast.StringTerm("sg_links"), sgLinks),
		ast.Item(ast.StringTerm("lb_targets"), lbTargets),
	), nil
}

// kindChunk is the most nodes of one kind a task converts.
const kindChunk = 2500

// kindChunks holds the converted chunks of one kind until the last one is
// done.
type kindChunks struct {
	pairs [][][2]*ast.Term
	left  atomic.Int32
}

// object is the kind's object of every chunk's pairs.
func (kc *kindChunks) object() *ast.Term {
	if len(kc.pairs) == 1 {
		return ast.ObjectTerm(kc.pairs[0]...)
	}
	n := 0
	for _, p := range kc.pairs {
		n += len(p)
	}
	all := make([][2]*ast.Term, 0, n)
	for _, p := range kc.pairs {
		all = append(all, p...)
	}
	return ast.ObjectTerm(all...)
}

// checkEvery is how many iterations of a loop over the nodes run between
// two checks of the context (a check costs an atomic load; 256 nodes take
// well under a millisecond to convert).
const checkEvery = 256

// cancelled reports whether ctx is done, checking it every checkEvery
// calls with i counting the iterations.
func cancelled(ctx context.Context, i int) bool {
	return i%checkEvery == 0 && ctx.Err() != nil
}

// list converts slice v (thousands of load balancer targets), stopping
// once c.ctx is done.
func (c *converter) list(v reflect.Value) *ast.Term {
	if v.Len() == 0 {
		return ast.InternedEmptyArray
	}
	terms := make([]*ast.Term, v.Len())
	for i := range terms {
		if cancelled(c.ctx, i) {
			return nil
		}
		terms[i] = c.term(v.Index(i))
	}
	return ast.ArrayTerm(terms...)
}

// kindsObject is input.kinds: every node's id → its kind.
func (c *converter) kindsObject(nodes [][]graph.Node) *ast.Term {
	var pairs [][2]*ast.Term
	for i, ns := range nodes {
		kind := c.str(string(graph.Kinds[i]))
		for j, n := range ns {
			if cancelled(c.ctx, j) {
				return nil
			}
			pairs = append(pairs, [2]*ast.Term{c.str(n.Meta().ID), kind})
		}
	}
	return ast.ObjectTerm(pairs...)
}

// tiersObject is input.tiers: the id of every node with a tier → its tier.
func (c *converter) tiersObject(ix *index, nodes [][]graph.Node) *ast.Term {
	var pairs [][2]*ast.Term
	for _, ns := range nodes {
		for j, n := range ns {
			if cancelled(c.ctx, j) {
				return nil
			}
			id := n.Meta().ID
			if t := ix.tier(id); t != "" {
				pairs = append(pairs, [2]*ast.Term{c.str(id), c.str(t)})
			}
		}
	}
	return ast.ObjectTerm(pairs...)
}

// kind converts nodes, those of the ki-th kind from position from on,
// into the pairs of its object (nil once c.ctx is done).
func (c *converter) kind(g *graph.Graph, ix *index, ki, from int, nodes []graph.Node) [][2]*ast.Term {
	k := graph.Kinds[ki]
	byID := make([][2]*ast.Term, 0, len(nodes))
	for i, n := range nodes {
		if cancelled(c.ctx, i) {
			return nil
		}
		b := n.Meta()
		id := c.str(b.ID)
		subnets := ix.subnets[ki][from+i]
		// derived is built on the scratch stack (see converter.stack).
		start := len(c.stack)
		switch k {
		case graph.KindSubnet:
			if f := g.Facts.Subnets[b.ID]; f != nil {
				c.pushFields(reflect.ValueOf(f).Elem(), nil)
			}
			c.push(c.keys.hosts, c.strArray(ix.hosts[b.ID]))
		case graph.KindSecurityGroup:
			tiers, byTier := ix.sgTiers(c, b.ID)
			c.push(c.keys.usedBy, c.strArray(ix.usedBy[b.ID]))
			c.push(c.keys.tiers, c.strArray(tiers))
			c.push(c.keys.usedByTier, byTier)
			if g, ok := n.(*graph.SecurityGroup); ok {
				c.push(c.str("shadowed"), c.sgShadowed(g))
			}
		case graph.KindNetworkACL:
			if a, ok := n.(*graph.NetworkACL); ok {
				c.push(c.str("shadowed"), c.aclShadowed(a))
			}
		}
		f := g.Facts.Nodes[b.ID]
		if f != nil {
			// tier and subnets are replaced below (an interface's tier;
			// subnet groups).
			c.pushFields(reflect.ValueOf(inputFacts(g, n, f)).Elem(), func(key *ast.Term) bool {
				return key == c.keys.factTier || key == c.keys.factSubnets
			})
		}
		if k != graph.KindSubnet {
			c.push(c.keys.subnets, c.strArray(subnets))
			c.push(c.keys.azs, c.strArray(ix.azs(c, n, subnets)))
		}
		c.push(c.keys.vpc, c.str(ix.vpc(c, n, subnets)))
		if t := ix.tier(b.ID); t != "" {
			c.push(c.keys.tier, c.str(t))
		} else if f != nil {
			c.push(c.keys.tier, ast.InternedEmptyString)
		}
		var derived *ast.Term
		if f == nil {
			// Nodes without facts (security groups, subnets, VPCs…) often
			// have equal derived objects: 200,000 unused groups share one.
			derived = c.popShared(start)
		} else {
			derived = ast.NewTerm(c.popObject(start))
		}
		byID = append(byID, [2]*ast.Term{id, ast.NewTerm(c.node(n, derived))})
	}
	return byID
}

// inputFacts trims what the input repeats: an exposure through a load
// balancer keeps its via and drops its path (the load balancer's own
// exposure has it, and `vpcgate explain` prints the whole path), and an
// interface attached to an instance leaves its exposures (and the hop that
// blocks them) to the instance.
// On a 10,000-instance estate these are nine in ten of the hops.
func inputFacts(g *graph.Graph, n graph.Node, f *graph.NodeFacts) *graph.NodeFacts {
	if eni, ok := n.(*graph.NetworkInterface); ok && eni.InstanceID != "" && g.Facts.Nodes[eni.InstanceID] != nil {
		c := *f
		c.InternetReachable, c.InternetBlocked = nil, nil
		return &c
	}
	trimmed := false
	for _, e := range f.InternetReachable {
		if e.Via != "direct" && len(e.Path) > 0 {
			trimmed = true
			break
		}
	}
	if !trimmed {
		return f
	}
	c := *f
	c.InternetReachable = make([]graph.Exposure, len(f.InternetReachable))
	for i, e := range f.InternetReachable {
		if e.Via != "direct" {
			e.Path = nil
		}
		c.InternetReachable[i] = e
	}
	return &c
}

// index holds the lookups computed once per input.
type index struct {
	g      *graph.Graph
	usedBy map[string][]string // security group → nodes using it
	hosts  map[string][]string // subnet → nodes placed in it
	// subnets[k][i] are the subnets node g.Of(graph.Kinds[k])[i] sits in.
	subnets [][][]string
	pls     map[string]*graph.PrefixList
}

// newIndex computes the lookups, or returns ctx.Err() once ctx is done.
func newIndex(ctx context.Context, g *graph.Graph) (*index, error) {
	ix := &index{g: g, pls: map[string]*graph.PrefixList{}}
	for _, p := range g.PrefixLists() {
		ix.pls[p.ID] = p
	}
	var err error
	if ix.hosts, ix.usedBy, ix.subnets, err = placement(ctx, g); err != nil {
		return nil, err
	}
	return ix, nil
}

// tier returns node id's derived tier; an interface without one has its
// instance's.
func (ix *index) tier(id string) string {
	if f := ix.g.Facts.Nodes[id]; f != nil && f.Tier != graph.TierNone {
		return string(f.Tier)
	}
	if eni, ok := graph.Get[*graph.NetworkInterface](ix.g, id); ok && eni.InstanceID != "" {
		if f := ix.g.Facts.Nodes[eni.InstanceID]; f != nil && f.Tier != graph.TierNone {
			return string(f.Tier)
		}
	}
	return ""
}

// sgTiers lists the tiers of the nodes using a group, sorted ("" stands
// for users without a tier), and the users by tier.
func (ix *index) sgTiers(c *converter, sg string) ([]string, *ast.Term) {
	users := ix.usedBy[sg]
	if len(users) == 0 {
		return nil, ast.InternedEmptyObject
	}
	by := map[string][]string{}
	for _, u := range users {
		t := ix.tier(u)
		by[t] = append(by[t], u)
	}
	tiers := make([]string, 0, len(by))
	for t := range by {
		tiers = append(tiers, t)
	}
	sort.Strings(tiers)
	start := len(c.stack)
	for _, t := range tiers {
		c.push(c.str(t), c.strArray(by[t]))
	}
	return tiers, ast.NewTerm(c.popObject(start))
}

// vpc returns the node's VPC: its own VPCID field, else its first subnet's.
func (ix *index) vpc(c *converter, n graph.Node, subnets []string) string {
	if v := c.placeFields(n).string(n, c.placeFields(n).vpc); v != "" {
		return v
	}
	for _, sn := range subnets {
		if s, ok := graph.Get[*graph.Subnet](ix.g, sn); ok && s.VPCID != "" {
			return s.VPCID
		}
	}
	return ""
}

// azs returns the availability zones a node spans: its own zone fields and
// its subnets' zones, sorted.
func (ix *index) azs(c *converter, n graph.Node, subnets []string) []string {
	pf := c.placeFields(n)
	var out []string
	if z := pf.string(n, pf.az); z != "" {
		out = append(out, z)
	}
	if pf.azs != nil {
		f := reflect.ValueOf(n).Elem().FieldByIndex(pf.azs)
		for i := 0; i < f.Len(); i++ {
			if z := f.Index(i).String(); z != "" {
				out = append(out, z)
			}
		}
	}
	for _, sn := range subnets {
		if s, ok := graph.Get[*graph.Subnet](ix.g, sn); ok && s.AvailabilityZone != "" {
			out = append(out, s.AvailabilityZone)
		}
	}
	return sortedUnique(out)
}

// placeFieldsOf are the index paths of a node type's VPCID,
// AvailabilityZone (strings) and AvailabilityZones (a string slice) fields,
// nil when absent.
type placeFieldsOf struct{ vpc, az, azs []int }

// placeFields looks up (once per type) the placement fields of n's type.
func (c *converter) placeFields(n graph.Node) placeFieldsOf {
	t := reflect.TypeOf(n).Elem()
	if pf, ok := c.place[t]; ok {
		return pf
	}
	index := func(name string, kind reflect.Kind) []int {
		f, ok := t.FieldByName(name)
		if !ok || f.Type.Kind() != kind || (kind == reflect.Slice && f.Type.Elem().Kind() != reflect.String) {
			return nil
		}
		return f.Index
	}
	pf := placeFieldsOf{
		vpc: index("VPCID", reflect.String),
		az:  index("AvailabilityZone", reflect.String),
		azs: index("AvailabilityZones", reflect.Slice),
	}
	c.place[t] = pf
	return pf
}

// string reads the string field at index path i of n ("" when i is nil).
func (pf placeFieldsOf) string(n graph.Node, i []int) string {
	if i == nil {
		return ""
	}
	return reflect.ValueOf(n).Elem().FieldByIndex(i).String()
}

// node converts one node: the common fields, the typed ones and derived.
func (c *converter) node(n graph.Node, derived *ast.Term) ast.Object {
	b := n.Meta()
	start := len(c.stack)
	for k, v := range b.Tags {
		c.push(c.str(k), c.str(v))
	}
	tags := c.popObject(start)
	unknown := b.Unknown
	if !sort.StringsAreSorted(unknown) {
		unknown = append([]string(nil), unknown...)
		sort.Strings(unknown)
	}
	c.pushFields(reflect.ValueOf(n).Elem(), nil)
	c.push(c.keys.id, c.str(b.ID))
	c.push(c.keys.kind, c.str(string(b.Kind)))
	c.push(c.keys.name, c.str(b.Name))
	c.push(c.keys.label, c.label(b))
	c.push(c.keys.tags, ast.NewTerm(tags))
	c.push(c.keys.unknown, c.strArray(unknown))
	c.push(c.keys.form, c.str(string(b.Source.Form)))
	c.push(c.keys.address, c.str(b.Source.Address))
	c.push(c.keys.derived, derived)
	return c.popObject(start)
}

// label names a node for messages: its id, with its name in parentheses
// when it has one other than its id (lib.label).
func (c *converter) label(b *graph.Base) *ast.Term {
	if b.Name == "" || b.Name == b.ID {
		return c.str(b.ID)
	}
	return ast.StringTerm(b.ID + " (" + b.Name + ")")
}

// placement maps a subnet id to the sorted ids of the nodes placed in it,
// each node to its subnets (directly, through derived facts, or through a
// DB subnet group; by kind and position, as g.Of lists them), and a
// security group id to the sorted ids of the nodes that use it (from the
// nodes' own references and the derived facts). One pass over the nodes'
// references serves all three.
func placement(ctx context.Context, g *graph.Graph) (hosts, usedBy map[string][]string, subnets [][][]string, err error) {
	hosts = make(map[string][]string, len(g.Of(graph.KindSubnet)))
	usedBy = map[string][]string{}
	subnets = make([][][]string, len(graph.Kinds))
	groups := map[string][]string{}
	for _, sg := range g.DBSubnetGroups() {
		groups[sg.ID] = sg.SubnetIDs
	}
	n := 0
	for ki, k := range graph.Kinds {
		nodes := g.Of(k)
		subnets[ki] = make([][]string, len(nodes))
		placed := k != graph.KindDBSubnetGroup && k != graph.KindTransitGatewayAttachment
		for i, nd := range nodes {
			if cancelled(ctx, n) {
				return nil, nil, nil, ctx.Err()
			}
			n++
			id := nd.Meta().ID
			var in []string
			for _, r := range nd.Refs() {
				switch {
				case r.Kind == graph.EdgeUsesSG:
					usedBy[r.To] = append(usedBy[r.To], id)
				case !placed:
				case r.Kind == graph.EdgeInSubnet:
					in = append(in, r.To)
				case r.Kind == graph.EdgeSubnetGroup:
					in = append(in, groups[r.To]...)
				}
			}
			f := g.Facts.Nodes[id]
			if f != nil && placed {
				in = append(in, f.Subnets...)
			}
			if f != nil {
				for _, sg := range f.SecurityGroups {
					usedBy[sg] = append(usedBy[sg], id)
				}
			}
			in = sortedUnique(in)
			subnets[ki][i] = in
			for _, sn := range in {
				hosts[sn] = append(hosts[sn], id)
			}
		}
	}
	for _, m := range []map[string][]string{hosts, usedBy} {
		for k, ids := range m {
			if cancelled(ctx, n) {
				return nil, nil, nil, ctx.Err()
			}
			n++
			m[k] = sortedUnique(ids)
		}
	}
	return hosts, usedBy, subnets, nil
}

// sortedUnique sorts ids and drops duplicates, in place.
func sortedUnique(ids []string) []string {
	sort.Strings(ids)
	w := 0
	for i, id := range ids {
		if i > 0 && id == ids[w-1] {
			continue
		}
		ids[w] = id
		w++
	}
	return ids[:w]
}

// field is a converted struct field: its index and its key term.
type field struct {
	index int
	key   *ast.Term
}

// converter turns graph values into OPA terms, caching each struct type's
// fields and key terms for the duration of one input build.
type converter struct {
	// ctx, when set, stops the conversion early once done.
	ctx    context.Context
	fields map[reflect.Type][]field
	// strs shares the terms of repeated short strings (kinds, zones, ids
	// named by many nodes); OPA treats terms as immutable.
	strs map[string]*ast.Term
	// place caches placeFields by node type.
	place map[reflect.Type]placeFieldsOf
	// keys are the key terms of the fields every node has.
	keys struct {
		id, kind, name, label, tags, unknown, form, address, derived, subnets, azs, vpc, tier *ast.Term
		hosts, usedBy, tiers, usedByTier                                                      *ast.Term
		// factTier and factSubnets are the keys of graph.NodeFacts' fields
		// replaced in derived.
		factTier, factSubnets *ast.Term
	}
	// pls are the prefix lists of the graph, by id; sets caches the
	// converted address sets by peer kind and peer.
	pls  map[string]*graph.PrefixList
	sets map[[2]string]*ast.Term
	// portSets caches ports terms; sourceSets caches exposures' source
	// sets by their Sources slice (exposures of one rule share it).
	portSets   map[portsKey]*ast.Term
	sourceSets map[sourcesKey]*ast.Term
	// hops shares the terms of equal path hops (the internet, an internet
	// gateway, a security group on many paths).
	hops map[graph.Hop]*ast.Term
	// arrays shares the terms of equal short lists of strings (a node's
	// zones, subnets, security groups), by their elements joined with NUL.
	arrays map[string]*ast.Term
	// objects holds the objects popShared shares.
	objects map[sharedKey]*ast.Term
	// ints shares the terms of numbers OPA does not intern (ports,
	// rule numbers).
	ints map[int]*ast.Term
	// strBuf is scratch space for a []string read by reflection.
	strBuf []string
	// stack holds the key/value pairs of the objects being built, nested
	// ones above their parents: ast.NewObject copies the pairs, so one
	// buffer serves every object instead of a slice each.
	stack [][2]*ast.Term
}

// newConverter returns a converter expecting about size distinct strings.
func newConverter(size int) *converter {
	c := &converter{
		fields: map[reflect.Type][]field{},
		strs:   make(map[string]*ast.Term, size),
		place:  map[reflect.Type]placeFieldsOf{},
		sets:   map[[2]string]*ast.Term{},

		portSets:   map[portsKey]*ast.Term{},
		sourceSets: map[sourcesKey]*ast.Term{},
		hops:       map[graph.Hop]*ast.Term{},
		arrays:     map[string]*ast.Term{},
		ints:       map[int]*ast.Term{},
		objects:    map[sharedKey]*ast.Term{},
	}
	k := &c.keys
	for _, x := range []struct {
		t    **ast.Term
		name string
	}{
		{&k.id, "id"}, {&k.kind, "kind"}, {&k.name, "name"}, {&k.label, "label"}, {&k.tags, "tags"}, {&k.unknown, "unknown"},
		{&k.form, "form"}, {&k.address, "address"}, {&k.derived, "derived"}, {&k.subnets, "subnets"},
		{&k.azs, "azs"}, {&k.vpc, "vpc"}, {&k.tier, "tier"}, {&k.hosts, "hosts"}, {&k.usedBy, "used_by"},
		{&k.tiers, "tiers"}, {&k.usedByTier, "used_by_tier"},
	} {
		*x.t = ast.StringTerm(x.name)
	}
	for _, f := range c.fieldsOf(reflect.TypeFor[graph.NodeFacts]()) {
		switch f.key.Value.(ast.String) {
		case "tier":
			k.factTier = f.key
		case "subnets":
			k.factSubnets = f.key
		}
	}
	return c
}

// str returns the term of s, shared when s is short.
func (c *converter) str(s string) *ast.Term {
	if s == "" {
		return ast.InternedEmptyString
	}
	if t, ok := c.strs[s]; ok {
		return t
	}
	t := ast.StringTerm(s)
	if len(s) <= 96 {
		c.strs[s] = t
	}
	return t
}

// int returns the term of i, shared.
func (c *converter) int(i int) *ast.Term {
	if i >= -1 && i <= 512 {
		return ast.InternedTerm(i) // interned by OPA
	}
	if t, ok := c.ints[i]; ok {
		return t
	}
	t := ast.IntNumberTerm(i)
	c.ints[i] = t
	return t
}

// strArray converts a list of strings; lists of up to maxSharedArray
// elements are shared.
func (c *converter) strArray(ss []string) *ast.Term {
	switch len(ss) {
	case 0:
		return ast.InternedEmptyArray
	case 1:
		return c.sharedArray(ss[0], ss)
	}
	if len(ss) > maxSharedArray {
		return c.newStrArray(ss)
	}
	return c.sharedArray(strings.Join(ss, "\x00"), ss)
}

// maxSharedArray bounds the lists of strings strArray shares.
const maxSharedArray = 4

func (c *converter) sharedArray(key string, ss []string) *ast.Term {
	if t, ok := c.arrays[key]; ok {
		return t
	}
	t := c.newStrArray(ss)
	c.arrays[key] = t
	return t
}

func (c *converter) newStrArray(ss []string) *ast.Term {
	terms := make([]*ast.Term, len(ss))
	for i, s := range ss {
		terms[i] = c.str(s)
	}
	return ast.ArrayTerm(terms...)
}

// fieldsOf lists the fields of struct type t following their json tags.
// Every field is present (omitempty is ignored) so rules can rely on it;
// fields tagged "-" (ranges, the embedded Base) are left out.
func (c *converter) fieldsOf(t reflect.Type) []field {
	if fs, ok := c.fields[t]; ok {
		return fs
	}
	var fs []field
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if name == "-" || (tag == "" && f.Anonymous) {
			continue
		}
		if name == "" {
			name = f.Name
		}
		fs = append(fs, field{index: i, key: ast.StringTerm(name)})
	}
	c.fields[t] = fs
	return fs
}

// push adds a key/value pair to the object on top of the stack. The value
// is converted before push is called, so nested objects are complete (and
// popped) by then.
func (c *converter) push(k, v *ast.Term) { c.stack = append(c.stack, [2]*ast.Term{k, v}) }

var stringType = reflect.TypeFor[string]()

// emptyObject is the one empty object every empty tags, map and derived
// shares (OPA's own, which OPA never mutates).
var emptyObject = ast.InternedEmptyObjectValue.(ast.Object)

// popObject builds the object of the pairs pushed since start and pops them.
func (c *converter) popObject(start int) ast.Object {
	if start == len(c.stack) {
		return emptyObject
	}
	obj := ast.NewObject(c.stack[start:]...)
	clear(c.stack[start:]) // no stale terms kept alive
	c.stack = c.stack[:start]
	return obj
}

// sharedKey names an object by the terms of its pairs; terms are shared
// (str, strArray, the cached sets), so equal pointers mean equal objects.
type sharedKey struct {
	n     int
	pairs [maxSharedPairs][2]*ast.Term
}

// maxSharedPairs bounds the objects popShared shares.
const maxSharedPairs = 12

// popShared is popObject returning, for an object of up to
// maxSharedPairs pairs, the term of an earlier object with the very same
// key and value terms.
func (c *converter) popShared(start int) *ast.Term {
	pairs := c.stack[start:]
	if len(pairs) > maxSharedPairs {
		return ast.NewTerm(c.popObject(start))
	}
	k := sharedKey{n: len(pairs)}
	copy(k.pairs[:], pairs)
	if t, ok := c.objects[k]; ok {
		clear(c.stack[start:])
		c.stack = c.stack[:start]
		return t
	}
	t := ast.NewTerm(c.popObject(start))
	c.objects[k] = t
	return t
}

// pushFields pushes the fields of struct v, but those whose key skip
// reports.
func (c *converter) pushFields(v reflect.Value, skip func(key *ast.Term) bool) {
	for _, f := range c.fieldsOf(v.Type()) {
		if skip != nil && skip(f.key) {
			continue
		}
		t := c.term(v.Field(f.index))
		c.push(f.key, t)
	}
}

// object converts struct v into an object.
func (c *converter) object(v reflect.Value) ast.Object {
	start := len(c.stack)
	c.pushFields(v, nil)
	return c.popObject(start)
}

// term converts a Go value of the graph model to an OPA term. Nil slices
// become empty arrays and nil pointers null.
func (c *converter) term(v reflect.Value) *ast.Term {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return ast.InternedNullTerm
		}
		return c.term(v.Elem())
	case reflect.String:
		return c.str(v.String())
	case reflect.Bool:
		return ast.InternedTerm(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return c.int(int(v.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return ast.UIntNumberTerm(v.Uint())
	case reflect.Float32, reflect.Float64:
		return ast.FloatNumberTerm(v.Float())
	case reflect.Slice, reflect.Array:
		if v.Len() == 0 {
			return ast.InternedEmptyArray
		}
		if v.Kind() == reflect.Slice && v.Type().Elem() == stringType {
			buf := c.strBuf[:0]
			for i := range v.Len() {
				buf = append(buf, v.Index(i).String())
			}
			c.strBuf = buf
			return c.strArray(buf)
		}
		terms := make([]*ast.Term, v.Len())
		for i := range terms {
			terms[i] = c.term(v.Index(i))
		}
		return ast.ArrayTerm(terms...)
	case reflect.Map:
		start := len(c.stack)
		iter := v.MapRange()
		for iter.Next() {
			key := iter.Key()
			var k *ast.Term
			if key.Kind() == reflect.String {
				k = c.str(key.String())
			} else {
				k = c.str(fmt.Sprint(key.Interface()))
			}
			t := c.term(iter.Value())
			c.push(k, t)
		}
		return ast.NewTerm(c.popObject(start))
	case reflect.Struct:
		if v.CanAddr() {
			switch x := v.Addr().Interface().(type) {
			case *graph.SGRule:
				return ast.NewTerm(c.sgRule(x))
			case *graph.ACLEntry:
				return ast.NewTerm(c.aclEntry(x))
			case *graph.Route:
				return ast.NewTerm(c.route(x))
			case *graph.Exposure:
				return ast.NewTerm(c.exposure(x))
			case *graph.Hop:
				return shared(c, c.hops, *x, v)
			}
		}
		return ast.NewTerm(c.object(v))
	}
	return ast.InternedNullTerm
}

// shared returns the term of struct v from cache under k, converting and
// caching it the first time.
func shared[K comparable](c *converter, cache map[K]*ast.Term, k K, v reflect.Value) *ast.Term {
	if t, ok := cache[k]; ok {
		return t
	}
	t := ast.NewTerm(c.object(v))
	cache[k] = t
	return t
}

// Parsed facts of rules, entries and routes (see README.md, "Parsed
// facts"): what a protocol, a port range and an address range mean is
// decided once, in Go (graph.NormProtocol, graph.RulePorts,
// graph.AddrSet), and handed to Rego, so that no rule compares spellings.

// sgRule converts a security group rule, adding ip_protocol, ports and
// peer_set.
func (c *converter) sgRule(r *graph.SGRule) ast.Object {
	start := len(c.stack)
	c.pushFields(reflect.ValueOf(r).Elem(), nil)
	proto := graph.NormProtocol(r.Protocol)
	c.push(c.str("ip_protocol"), c.str(proto))
	c.push(c.str("ports"), c.ports(proto, r.FromPort, r.ToPort, r.PortsUnknown))
	c.push(c.str("peer_set"), c.peerSet(r))
	return c.popObject(start)
}

// aclEntry converts a network ACL entry, adding ip_protocol, ports and
// cidr_set (of whichever of cidr and ipv6_cidr it has).
func (c *converter) aclEntry(e *graph.ACLEntry) ast.Object {
	start := len(c.stack)
	c.pushFields(reflect.ValueOf(e).Elem(), nil)
	proto := graph.NormProtocol(e.Protocol)
	c.push(c.str("ip_protocol"), c.str(proto))
	c.push(c.str("ports"), c.ports(proto, e.FromPort, e.ToPort, false))
	cidr := e.CIDR
	if cidr == "" {
		cidr = e.IPv6CIDR
	}
	c.push(c.str("cidr_set"), c.cidrSet(cidr))
	return c.popObject(start)
}

// route converts a route, adding destination_set (of its CIDR, IPv6 CIDR
// or prefix list).
func (c *converter) route(r *graph.Route) ast.Object {
	start := len(c.stack)
	c.pushFields(reflect.ValueOf(r).Elem(), nil)
	var set *ast.Term
	switch {
	case r.DestinationCIDR != "":
		set = c.cidrSet(r.DestinationCIDR)
	case r.DestinationIPv6CIDR != "":
		set = c.cidrSet(r.DestinationIPv6CIDR)
	case r.DestinationPrefixList != "":
		set = c.listSet(r.DestinationPrefixList)
	default:
		set = setTerm(graph.AddrSet{}, "no destination", c.str)
	}
	c.push(c.str("destination_set"), set)
	return c.popObject(start)
}

// exposure converts an internet exposure, adding ip_protocol, ports and
// source_set: what of the internet its sources (the peers of the rules
// admitting the traffic) hold, with text naming that part ("0.0.0.0/0",
// "8.8.8.0/24 (256 public addresses)"; "" when no source is known).
func (c *converter) exposure(e *graph.Exposure) ast.Object {
	start := len(c.stack)
	c.pushFields(reflect.ValueOf(e).Elem(), nil)
	proto := graph.NormProtocol(e.Protocol)
	c.push(c.str("ip_protocol"), c.str(proto))
	c.push(c.str("ports"), c.ports(proto, e.FromPort, e.ToPort, false))
	c.push(c.str("source_set"), c.sourceSet(e.Sources))
	return c.popObject(start)
}

// sourceSet is the address set of an exposure's sources (CIDRs and prefix
// list ids). Its text names the world when a source is the world (the rest
// lies inside it), else every source.
func (c *converter) sourceSet(sources []string) *ast.Term {
	if len(sources) == 0 {
		return setTerm(graph.AddrSet{}, "", c.str)
	}
	sk := sourcesKey{&sources[0], len(sources)}
	if t, ok := c.sourceSets[sk]; ok {
		return t
	}
	k := [2]string{"sources", strings.Join(sources, "\x00")}
	if t, ok := c.sets[k]; ok {
		c.sourceSets[sk] = t
		return t
	}
	defer func() { c.sourceSets[sk] = c.sets[k] }()
	var all, world, texts []string
	known := true
	for _, src := range sources {
		label, entries, ok := src, []string{src}, true
		if pl := c.pls[src]; pl != nil {
			entries, ok = pl.Entries, pl.EntriesKnown || len(pl.Entries) > 0
		} else if strings.HasPrefix(src, "pl-") {
			entries, ok = nil, false
		}
		one := graph.NewAddrSet(entries, ok)
		known = known && one.Known
		all = append(all, entries...)
		text := one.Describe(label)
		if len(entries) != 1 || entries[0] != label {
			if !one.World || !one.Known {
				text = "prefix list " + text
			}
		}
		if one.World {
			world = append(world, text)
		}
		texts = append(texts, text)
	}
	if len(world) > 0 {
		texts = world
	}
	s := graph.NewAddrSet(all, known && len(sources) > 0)
	return c.cache(k, setTerm(s, strings.Join(texts, ", "), c.str))
}

// sgShadowed lists the rules of a security group whose traffic other rules
// of its group and direction already admit (graph.ShadowedRules):
// [{"direction", "rule", "by"}], rule and by indexing ingress or egress.
func (c *converter) sgShadowed(g *graph.SecurityGroup) *ast.Term {
	var out []*ast.Term
	for _, dir := range []struct {
		name  string
		rules []graph.SGRule
	}{{"ingress", g.Ingress}, {"egress", g.Egress}} {
		if len(dir.rules) < 2 {
			continue
		}
		lines := make([]graph.FlowLine, len(dir.rules))
		for i, r := range dir.rules {
			lines[i] = graph.SGRuleFlow(r, c.pls)
		}
		for _, sh := range graph.ShadowedRules(lines) {
			out = append(out, ast.ObjectTerm(
				ast.Item(c.str("direction"), c.str(dir.name)),
				ast.Item(c.str("rule"), ast.InternedTerm(sh.Line)),
				ast.Item(c.str("by"), intArray(sh.By, nil)),
			))
		}
	}
	if len(out) == 0 {
		return ast.InternedEmptyArray
	}
	return ast.ArrayTerm(out...)
}

// aclShadowed lists the entries of a network ACL that never match because
// lower-numbered entries of their direction match all their traffic first
// (graph.ShadowedEntries): [{"entry", "by"}], indexing entries. The
// default entry (32767) is AWS's and never listed.
func (c *converter) aclShadowed(a *graph.NetworkACL) *ast.Term {
	var out []*ast.Term
	for _, egress := range []bool{false, true} {
		var idx []int
		var lines []graph.FlowLine
		for i, e := range a.Entries {
			if e.Egress == egress {
				idx = append(idx, i)
				lines = append(lines, graph.ACLEntryFlow(e))
			}
		}
		if len(lines) < 2 {
			continue
		}
		for _, sh := range graph.ShadowedEntries(lines) {
			if a.Entries[idx[sh.Line]].RuleNumber >= 32767 {
				continue
			}
			out = append(out, ast.ObjectTerm(
				ast.Item(c.str("entry"), ast.InternedTerm(idx[sh.Line])),
				ast.Item(c.str("by"), intArray(sh.By, idx)),
			))
		}
	}
	if len(out) == 0 {
		return ast.InternedEmptyArray
	}
	return ast.ArrayTerm(out...)
}

// intArray is the array of xs, each mapped through idx when given.
func intArray(xs []int, idx []int) *ast.Term {
	terms := make([]*ast.Term, len(xs))
	for i, x := range xs {
		if idx != nil {
			x = idx[x]
		}
		terms[i] = ast.InternedTerm(x)
	}
	return ast.ArrayTerm(terms...)
}

// ports is {"from", "to", "all", "known"}: the ports the rule covers as AWS
// reads them (every port for protocol -1 or -1/-1: 0-65535; ICMP type and
// code as written).
func (c *converter) ports(proto string, from, to int, unknown bool) *ast.Term {
	k := portsKey{proto, from, to, unknown}
	if t, ok := c.portSets[k]; ok {
		return t
	}
	t := portsTerm(proto, from, to, unknown, c.str)
	c.portSets[k] = t
	return t
}

type portsKey struct {
	proto    string
	from, to int
	unknown  bool
}

// sourcesKey names a Sources slice by its first element's address and
// length: the same backing array holds the same sources.
type sourcesKey struct {
	first *string
	n     int
}

// peerSet is the address set of an SG rule's peer. A group reference is
// never an address range, known id or not.
func (c *converter) peerSet(r *graph.SGRule) *ast.Term {
	switch {
	case r.PeerKind == graph.PeerSG:
		k := [2]string{"sg", r.Peer}
		if t, ok := c.sets[k]; ok {
			return t
		}
		what := "security group " + r.Peer
		if r.Peer == "" {
			what = "a security group not known statically"
		}
		return c.cache(k, setTerm(graph.AddrSet{Known: true}, what, c.str))
	case r.Unknown && !r.PortsUnknown, r.Unknown && r.Peer == "":
		k := [2]string{"unknown", ""}
		if t, ok := c.sets[k]; ok {
			return t
		}
		return c.cache(k, setTerm(graph.AddrSet{}, "a source not known statically", c.str))
	case r.PeerKind == graph.PeerPrefixList:
		return c.listSet(r.Peer)
	}
	return c.cidrSet(r.Peer)
}

func (c *converter) cidrSet(cidr string) *ast.Term {
	k := [2]string{"cidr", cidr}
	if t, ok := c.sets[k]; ok {
		return t
	}
	return c.cache(k, addrSetTerm(cidr, []string{cidr}, true, c.str))
}

func (c *converter) listSet(id string) *ast.Term {
	k := [2]string{"prefix_list", id}
	if t, ok := c.sets[k]; ok {
		return t
	}
	var entries []string
	known := false
	if pl := c.pls[id]; pl != nil {
		entries, known = pl.Entries, pl.EntriesKnown || len(pl.Entries) > 0
	}
	return c.cache(k, addrSetTerm(id, entries, known, c.str))
}

func (c *converter) cache(k [2]string, t *ast.Term) *ast.Term {
	c.sets[k] = t
	return t
}
