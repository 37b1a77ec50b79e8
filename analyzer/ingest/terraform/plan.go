package terraform

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/analyzer/ingest"
	"github.com/zclconf/go-cty/cty"
)

// DetectPlan reports whether data is `terraform show -json` output: a plan
// or a state.
func DetectPlan(data []byte) bool {
	var head struct {
		FormatVersion    string          `json:"format_version"`
		TerraformVersion string          `json:"terraform_version"`
		PlannedValues    json.RawMessage `json:"planned_values"`
		ResourceChanges  json.RawMessage `json:"resource_changes"`
		Values           json.RawMessage `json:"values"`
	}
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '{' {
		return false
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return false
	}
	return head.FormatVersion != "" && (head.PlannedValues != nil || head.ResourceChanges != nil || head.Values != nil || head.TerraformVersion != "")
}

// ReadPlan reads plan or state JSON (terraform show -json). Node ids are
// the AWS ids the JSON states (a state; resources a plan does not change),
// else the resource addresses as LoadModule gives them. Values a plan
// leaves unknown are resolved through the configuration's references
// (vpc_id = aws_vpc.main.id gives the VPC node's id) or stay unknown. When
// the configuration is beside the file, nodes and attributes get their
// ranges in the .tf files and inline suppressions apply.
func ReadPlan(ctx context.Context, path string, data []byte, opts Options) (g *graph.Graph) {
	g = graph.New()
	defer func() {
		if r := recover(); r != nil {
			g.Diagnostics = append(g.Diagnostics, graph.Diagnostic{Severity: graph.SeverityError, Summary: fmt.Sprintf("internal error while reading the Terraform JSON: %v", r), Range: graph.Range{File: path}})
		}
	}()
	pr := &planReader{ctx: ctx, path: path, opts: opts, unknown: map[string]any{}, exprs: map[string]map[string]*tfjson.Expression{}}
	if d := checkJSON(path, data, opts.Limits.MaxDepth); d != nil {
		g.Diagnostics = append(g.Diagnostics, *d)
		return g
	}
	if err := pr.decode(data); err != nil {
		g.Diagnostics = append(g.Diagnostics, graph.Diagnostic{Severity: graph.SeverityError, Summary: fmt.Sprintf("cannot read %s as Terraform plan or state JSON: %v", filepath.Base(path), err), Range: graph.Range{File: path}})
		return g
	}
	pr.loadConfig()
	bl := newBuilder()
	pr.build(bl)
	bl.link()
	ds := dedupe(append(pr.diags, bl.diags...))
	sortDiagnostics(ds)
	g.Diagnostics = append(g.Diagnostics, ds...)
	for _, n := range bl.order {
		sortUnknown(n.Meta())
		if d := g.Add(n); d != nil {
			g.Diagnostics = append(g.Diagnostics, *d)
		}
	}
	return g
}

// planReader holds one plan or state document.
type planReader struct {
	ctx       context.Context
	path      string
	opts      Options
	resources []*tfjson.StateResource
	// unknown is after_unknown by resource address (plans only).
	unknown map[string]any
	// exprs are the configuration's expressions by module path (without
	// instance keys) + resource address.
	exprs map[string]map[string]*tfjson.Expression
	// blocks are the .tf blocks beside the file, by the same key.
	blocks map[string]*resourceConfig
	diags  []graph.Diagnostic
	fake   *file
}

func (pr *planReader) decode(data []byte) error {
	var probe struct {
		PlannedValues json.RawMessage `json:"planned_values"`
		Changes       json.RawMessage `json:"resource_changes"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return fmt.Errorf("decode: %w", err)
	}
	if probe.PlannedValues == nil && probe.Changes == nil {
		var st tfjson.State
		st.UseJSONNumber(true)
		if err := st.UnmarshalJSON(data); err != nil {
			return fmt.Errorf("decode state: %w", err)
		}
		if st.Values != nil {
			pr.collect(st.Values.RootModule)
		}
		return nil
	}
	var p tfjson.Plan
	p.UseJSONNumber(true)
	if err := p.UnmarshalJSON(data); err != nil {
		return fmt.Errorf("decode plan: %w", err)
	}
	if p.PlannedValues != nil {
		pr.collect(p.PlannedValues.RootModule)
	}
	for _, rc := range p.ResourceChanges {
		if rc.Change != nil && rc.Change.AfterUnknown != nil {
			pr.unknown[rc.Address] = rc.Change.AfterUnknown
		}
	}
	if p.Config != nil && p.Config.RootModule != nil {
		pr.collectExprs("", p.Config.RootModule)
	}
	return nil
}

func (pr *planReader) collect(m *tfjson.StateModule) {
	if m == nil {
		return
	}
	for _, r := range m.Resources {
		if r != nil && r.Mode == tfjson.ManagedResourceMode {
			pr.resources = append(pr.resources, r)
		}
	}
	for _, c := range m.ChildModules {
		pr.collect(c)
	}
}

func (pr *planReader) collectExprs(prefix string, m *tfjson.ConfigModule) {
	for _, r := range m.Resources {
		if r != nil {
			pr.exprs[prefix+r.Address] = r.Expressions
		}
	}
	names := make([]string, 0, len(m.ModuleCalls))
	for n := range m.ModuleCalls {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if c := m.ModuleCalls[n]; c != nil && c.Module != nil {
			pr.collectExprs(prefix+"module."+n+".", c.Module)
		}
	}
}

// loadConfig parses the .tf files beside the JSON (and the modules they
// call) for positions.
func (pr *planReader) loadConfig() {
	dir := filepath.Dir(pr.path)
	pr.fake = &file{path: pr.path}
	pr.blocks = map[string]*resourceConfig{}
	names, _ := filepath.Glob(filepath.Join(dir, "*.tf"))
	if len(names) == 0 {
		return
	}
	ev := newEvaluator(pr.ctx, NewLoader(), dir, pr.opts)
	if d := ev.checkInside(dir, graph.Range{File: dir}); d != nil {
		pr.diags = append(pr.diags, *d)
		return
	}
	ev.manifest = ev.readManifest()
	var walk func(prefix, key, dir string, depth int)
	walk = func(prefix, key, dir string, depth int) {
		cfg := ev.loadModuleConfig(dir, graph.Range{File: dir})
		for _, r := range cfg.resources {
			if !r.data {
				pr.blocks[prefix+r.key()] = r
			}
		}
		if depth >= maxModuleDepth {
			return
		}
		m := newModInst(ev, cfg, "", key, nil, nil)
		for _, c := range cfg.calls {
			if d, ok := ev.moduleDir(m, c, c.file.rng(c.block.DefRange())); ok {
				walk(prefix+"module."+c.name+".", m.manifestKey(c.name), d, depth+1)
			}
		}
	}
	walk("", "", dir, 0)
	// Parse problems of the configuration matter less than the JSON's own:
	// keep them as warnings.
	for _, d := range ev.diags {
		if d.Severity == graph.SeverityError {
			d.Severity = graph.SeverityWarning
		}
		pr.diags = append(pr.diags, d)
	}
}

var instanceKeys = regexp.MustCompile(`\[[^\]]*\]`)

// configKey is the address of a resource instance without instance keys
// ("module.vpc[0].aws_subnet.a[1]" → "module.vpc.aws_subnet.a").
func configKey(addr string) string { return instanceKeys.ReplaceAllString(addr, "") }

// unknownMarker stands for a value a plan leaves unknown.
type unknownMarker struct{}

// build maps every resource.
func (pr *planReader) build(bl *builder) {
	type item struct {
		r     *tfjson.StateResource
		attrs map[string]any
	}
	items := make([]item, 0, len(pr.resources))
	ids := map[string]string{}
	for _, r := range pr.resources {
		attrs := map[string]any{}
		for k, v := range r.AttributeValues {
			attrs[k] = v
		}
		if u, ok := pr.unknown[r.Address].(map[string]any); ok {
			overlayUnknown(attrs, u)
		}
		items = append(items, item{r, attrs})
		ids[r.Address] = planNodeID(r, attrs)
	}
	budget := pr.opts.Budget
	if budget == nil {
		budget = ingest.NewBudget(pr.opts.Limits.WithDefaults().MaxNodes)
	}
	for _, it := range items {
		if pr.ctx.Err() != nil {
			pr.diags = append(pr.diags, graph.Diagnostic{Severity: graph.SeverityError, Summary: fmt.Sprintf("reading stopped: %v", pr.ctx.Err()), Range: graph.Range{File: pr.path}})
			return
		}
		r := it.r
		if ok, first := budget.Take(1); !ok {
			if first {
				pr.diags = append(pr.diags, graph.Diagnostic{Severity: graph.SeverityError, Summary: budget.CutSummary(r.Address), Range: graph.Range{File: pr.path}})
			}
			return
		}
		pr.resolveRefs(r, it.attrs, ids)
		o := pr.objOf(r, it.attrs)
		id := ids[r.Address]
		if r.Type == "aws_vpc" {
			var d [3]string
			for i, k := range []string{"main_route_table_id", "default_network_acl_id", "default_security_group_id"} {
				if s, ok := it.attrs[k].(string); ok {
					d[i] = s
				}
			}
			bl.vpcDefaults[id] = d
		}
		bl.mapResource(r.Type, id, r.Address, o)
	}
}

// overlayUnknown marks in attrs the leaves after_unknown says are unknown.
func overlayUnknown(attrs map[string]any, u map[string]any) {
	for k, uv := range u {
		switch x := uv.(type) {
		case bool:
			if x {
				attrs[k] = unknownMarker{}
			}
		case map[string]any:
			if m, ok := attrs[k].(map[string]any); ok {
				overlayUnknown(m, x)
			}
		case []any:
			l, ok := attrs[k].([]any)
			if !ok {
				if anyTrue(x) {
					attrs[k] = unknownMarker{}
				}
				continue
			}
			for i, e := range x {
				if i >= len(l) {
					break
				}
				switch ex := e.(type) {
				case bool:
					if ex {
						l[i] = unknownMarker{}
					}
				case map[string]any:
					if m, ok := l[i].(map[string]any); ok {
						overlayUnknown(m, ex)
					}
				}
			}
		}
	}
}

func anyTrue(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case []any:
		for _, e := range x {
			if anyTrue(e) {
				return true
			}
		}
	case map[string]any:
		for _, e := range x {
			if anyTrue(e) {
				return true
			}
		}
	}
	return false
}

// listAttrs are attributes whose value is a list of references.
var listAttrs = map[string]bool{
	"vpc_security_group_ids": true, "security_groups": true, "subnet_ids": true, "subnets": true,
	"vpc_zone_identifier": true, "target_group_arns": true, "security_group_ids": true, "route_table_ids": true,
	"load_balancers": true, "secondary_allocation_ids": true, "prefix_list_ids": true,
}

// refPattern splits a reference "aws_subnet.a[0].id" into its resource
// part and the rest.
var refPattern = regexp.MustCompile(`^(aws_[a-z0-9_]+\.[A-Za-z0-9_-]+)(\[[^\]]*\])?(?:\.(.+))?$`)

// resolveRefs replaces unknown top-level attributes (and unknown fields of
// nested blocks) by the node ids their configuration expression refers to.
func (pr *planReader) resolveRefs(r *tfjson.StateResource, attrs map[string]any, ids map[string]string) {
	exprs := pr.exprs[configKey(r.Address)]
	if exprs == nil {
		return
	}
	prefix := ""
	if i := strings.LastIndex(r.Address, "module."); i >= 0 {
		// The module instance part: everything before the resource's own
		// "type.name".
		rest := r.Address[i:]
		if j := strings.Index(rest, "."+r.Type+"."); j >= 0 {
			prefix = r.Address[:i+j+1]
		}
	}
	key := ""
	if r.Index != nil {
		switch k := r.Index.(type) {
		case string:
			key = "[" + strconv.Quote(k) + "]"
		case json.Number:
			key = "[" + k.String() + "]"
		case float64:
			key = "[" + strconv.Itoa(int(k)) + "]"
		}
	}
	resolve := func(name string, e *tfjson.Expression) (any, bool) {
		if e == nil || e.ExpressionData == nil {
			return nil, false
		}
		usesKey := false
		for _, ref := range e.References {
			if strings.HasPrefix(ref, "count.") || strings.HasPrefix(ref, "each.") {
				usesKey = true
			}
		}
		var out []any
		seen := map[string]bool{}
		for _, ref := range e.References {
			m := refPattern.FindStringSubmatch(ref)
			if m == nil {
				continue
			}
			addr := prefix + m[1] + m[2]
			if m[2] == "" {
				if _, ok := ids[addr]; !ok && usesKey && key != "" {
					addr += key
				}
			}
			id, ok := ids[addr]
			if !ok || seen[id] {
				continue
			}
			seen[id] = true
			out = append(out, id)
		}
		if len(out) == 0 {
			return nil, false
		}
		if listAttrs[name] {
			return out, true
		}
		if len(out) == 1 {
			return out[0], true
		}
		return nil, false
	}
	for name, v := range attrs {
		switch x := v.(type) {
		case unknownMarker:
			if exprs[name] == nil {
				// Computed by the provider, not set in the configuration:
				// the model derives it (a public IP from the subnet's
				// mapping, a default port from the engine).
				delete(attrs, name)
				continue
			}
			if nv, ok := resolve(name, exprs[name]); ok {
				attrs[name] = nv
			}
		case []any:
			e := exprs[name]
			if e == nil || e.ExpressionData == nil {
				continue
			}
			for i, el := range x {
				m, ok := el.(map[string]any)
				if !ok || i >= len(e.NestedBlocks) {
					continue
				}
				for f, fv := range m {
					if _, unk := fv.(unknownMarker); unk {
						if nv, ok := resolve(f, e.NestedBlocks[i][f]); ok {
							m[f] = nv
						}
					}
				}
			}
		}
	}
}

// planNodeID is the node id of a plan or state resource: the AWS id where
// the JSON states it, else the address (as LoadModule would give it).
func planNodeID(r *tfjson.StateResource, attrs map[string]any) string {
	str := func(k string) string {
		s, _ := attrs[k].(string)
		return s
	}
	var id string
	switch r.Type {
	case "aws_lb", "aws_alb", "aws_lb_listener", "aws_alb_listener", "aws_lb_target_group", "aws_alb_target_group":
		id = str("arn")
	case "aws_autoscaling_group", "aws_db_subnet_group":
		id = str("name")
	case "aws_db_instance", "aws_rds_cluster_instance":
		id = str("identifier")
	case "aws_rds_cluster":
		id = str("cluster_identifier")
	case "aws_default_security_group", "aws_default_route_table", "aws_default_network_acl":
		id = str("id")
	default:
		id = str("id")
	}
	if id != "" {
		return id
	}
	vals := map[string]*val{}
	for k, v := range attrs {
		vals[k] = &val{v: toCty(v)}
	}
	return nodeID(r.Type, r.Address, vals)
}

// objOf makes the evaluated-block form of a resource, with ranges from the
// configuration beside the JSON when there is one.
func (pr *planReader) objOf(r *tfjson.StateResource, attrs map[string]any) *obj {
	o := &obj{file: pr.fake, attrs: map[string]*val{}}
	var body *hclsyntax.Body
	if rc, ok := pr.blocks[configKey(r.Address)]; ok {
		o.file = rc.file
		o.rng = rc.block.Range()
		body = rc.block.Body
	}
	for k, v := range attrs {
		a := &val{v: toCty(v)}
		if body != nil {
			if ha, ok := body.Attributes[k]; ok {
				a.rng, a.expr = ha.SrcRange, ha.Expr
			}
		}
		o.attrs[k] = a
	}
	if body == nil {
		return o
	}
	// Nested blocks: the JSON renders them as lists of objects; when the
	// configuration writes the same number of static blocks, each element
	// takes the range of its block.
	byType := map[string][]*hclsyntax.Block{}
	for _, b := range body.Blocks {
		byType[b.Type] = append(byType[b.Type], b)
	}
	for name, bs := range byType {
		a, ok := o.attrs[name]
		if !ok || !a.v.IsKnown() || a.v.IsNull() || !a.v.CanIterateElements() || a.v.LengthInt() != len(bs) {
			continue
		}
		i := 0
		for it := a.v.ElementIterator(); it.Next(); i++ {
			_, e := it.Element()
			if !e.IsKnown() || e.IsNull() || !(e.Type().IsObjectType() || e.Type().IsMapType()) {
				continue
			}
			c := &obj{file: o.file, rng: bs[i].Range(), attrs: map[string]*val{}}
			for eit := e.ElementIterator(); eit.Next(); {
				k, ev := eit.Element()
				cv := &val{v: ev}
				if ha, ok := bs[i].Body.Attributes[k.AsString()]; ok {
					cv.rng, cv.expr = ha.SrcRange, ha.Expr
				}
				c.attrs[k.AsString()] = cv
			}
			o.addBlock(name, c)
		}
	}
	return o
}

// toCty converts a decoded JSON value (numbers as json.Number) to cty;
// unknownMarker becomes an unknown value.
func toCty(v any) cty.Value {
	switch x := v.(type) {
	case nil:
		return cty.NullVal(cty.DynamicPseudoType)
	case unknownMarker:
		return cty.DynamicVal
	case string:
		return cty.StringVal(x)
	case bool:
		return cty.BoolVal(x)
	case json.Number:
		if f, _, err := big.ParseFloat(x.String(), 10, 512, big.ToNearestEven); err == nil {
			return cty.NumberVal(f)
		}
		return cty.DynamicVal
	case float64:
		return cty.NumberFloatVal(x)
	case []any:
		if len(x) == 0 {
			return cty.EmptyTupleVal
		}
		vals := make([]cty.Value, len(x))
		for i, e := range x {
			vals[i] = toCty(e)
		}
		return cty.TupleVal(vals)
	case map[string]any:
		if len(x) == 0 {
			return cty.EmptyObjectVal
		}
		m := make(map[string]cty.Value, len(x))
		for k, e := range x {
			m[k] = toCty(e)
		}
		return cty.ObjectVal(m)
	}
	return cty.DynamicVal
}
