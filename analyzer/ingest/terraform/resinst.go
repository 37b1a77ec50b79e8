package terraform

import (
	"fmt"
	"slices"
	"strings"

	"github.com/zclconf/go-cty/cty"
)

// resInst is a resource (or data source) block evaluated in one module
// instance: its instances and the value references to it see.
type resInst struct {
	cfg          *resourceConfig
	m            *modInst
	state        int
	value        cty.Value
	instances    []*instance
	unknownCount bool
	// reused: the value is the one the last load gave (memo.go).
	reused bool
}

// instance is one instance of a resource.
type instance struct {
	res   *resInst
	addr  string // module.vpc.aws_subnet.private[0]
	key   instKey
	attrs map[string]*val
	id    string // the node id
}

// resource returns the evaluated resource key ("aws_vpc.main",
// "data.aws_ami.x") of the module instance, evaluating it on first use.
func (m *modInst) resource(key string) *resInst {
	r, ok := m.resources[key]
	if ok {
		if r.state == stateBusy {
			m.ev.sawBusy = true
			c := r.cfg
			m.ev.warn(c.file, c.block.DefRange(), fmt.Sprintf("%s%s refers to itself through other resources", m.addr, key), "Terraform rejects such cycles; the reference is unknown here")
			return &resInst{cfg: c, m: m, value: cty.DynamicVal}
		}
		return r
	}
	c := m.cfg.resByKey[key]
	r = &resInst{cfg: c, m: m, state: stateBusy}
	m.resources[key] = r
	addr := m.addr + key
	prev := m.ev.prevResource(addr)
	same := false // every instance reused: the value is the last one
	var suffixes []string
	defer func() {
		r.state = stateDone
		r.reused = same || (prev != nil && prev.value.RawEquals(r.value))
		if m.ev.next != nil {
			m.ev.next.res[addr] = &resMemo{value: r.value, suffixes: suffixes, refAttrs: m.cfg.refAttrs}
		}
	}()
	if c.data {
		r.value = m.dataValue(c)
		return r
	}
	keys, known := m.expand(c.count, c.forEach, c.file, c.block)
	if !known {
		keys = []instKey{{}}
	}
	if keys = m.claim(keys, c.count != nil || c.forEach != nil, m.addr+key, c.file.rng(c.block.DefRange())); len(keys) == 0 && (!known || c.count == nil && c.forEach == nil) {
		r.value = cty.DynamicVal
		return r
	}
	if !known {
		r.unknownCount = true
		inst := &instance{res: r, addr: m.addr + key}
		inst.attrs = m.evalAttrs(c.block.Body, &scope{key: &instKey{count: cty.UnknownVal(cty.Number), key: cty.UnknownVal(cty.String), value: cty.DynamicVal}}, c.file)
		inst.id = inst.addr
		r.instances = []*instance{inst}
		r.value = cty.DynamicVal
		return r
	}
	single := c.count == nil && c.forEach == nil
	same = prev != nil && len(prev.suffixes) == len(keys) && slices.Equal(prev.refAttrs, m.cfg.refAttrs)
	suffixes = make([]string, len(keys))
	for i := range keys {
		k := keys[i]
		suffixes[i] = k.suffix
		inst := &instance{res: r, addr: m.addr + key + k.suffix, key: k}
		var reused bool
		inst.attrs, reused = m.instanceAttrs(inst, &scope{key: &inst.key})
		inst.id = nodeID(c.typ, inst.addr, inst.attrs)
		r.instances = append(r.instances, inst)
		same = same && reused && prev.suffixes[i] == k.suffix
	}
	if same {
		// The same instances with the attributes they had, read by the
		// same attribute names: the value they had.
		r.value = prev.value
		return r
	}
	vals := make([]cty.Value, 0, len(keys))
	byKey := map[string]cty.Value{}
	for _, inst := range r.instances {
		v := m.instanceValue(c.typ, inst)
		vals = append(vals, v)
		if inst.key.key != cty.NilVal {
			byKey[inst.key.key.AsString()] = v
		}
	}
	switch {
	case single:
		r.value = vals[0]
	case c.count != nil:
		r.value = cty.TupleVal(vals)
	default:
		r.value = cty.ObjectVal(byKey)
	}
	return r
}

// instanceValue is what a reference to the instance sees: its configured
// attributes, the attributes the provider computes that the model needs
// (id and arn are the node id), and every other attribute the module reads
// as unknown.
func (m *modInst) instanceValue(typ string, inst *instance) cty.Value {
	obj := make(map[string]cty.Value, len(inst.attrs)+len(m.cfg.refAttrs))
	for n, a := range inst.attrs {
		if a.v.IsNull() {
			// Most provider attributes are optional and computed: left
			// null in the configuration they are known only after apply.
			obj[n] = cty.DynamicVal
			continue
		}
		obj[n] = a.v
	}
	id := cty.StringVal(inst.id)
	obj["id"] = id
	obj["arn"] = id
	setDefault := func(name string, v cty.Value) {
		if cur, ok := obj[name]; !ok || cur.IsNull() {
			obj[name] = v
		}
	}
	switch typ {
	case "aws_vpc", "aws_default_vpc":
		obj["main_route_table_id"] = cty.StringVal(inst.id + mainRouteTableSuffix)
		obj["default_route_table_id"] = cty.StringVal(inst.id + mainRouteTableSuffix)
		obj["default_network_acl_id"] = cty.StringVal(inst.id + defaultACLSuffix)
		obj["default_security_group_id"] = cty.StringVal(inst.id + defaultSGSuffix)
	case "aws_db_subnet_group", "aws_launch_template", "aws_autoscaling_group", "aws_lb", "aws_alb", "aws_elb",
		"aws_lb_target_group", "aws_alb_target_group", "aws_security_group", "aws_launch_configuration", "aws_ecs_service":
		setDefault("name", id)
	case "aws_db_instance", "aws_rds_cluster_instance":
		setDefault("identifier", id)
	case "aws_rds_cluster":
		setDefault("cluster_identifier", id)
	case "aws_eip":
		obj["allocation_id"] = id
	}
	for _, n := range m.cfg.refAttrs {
		if _, ok := obj[n]; !ok {
			obj[n] = cty.DynamicVal
		}
	}
	return cty.ObjectVal(obj)
}

// Suffixes of the ids of the resources AWS creates with every VPC; the
// config's aws_default_* resources adopt these ids.
const (
	mainRouteTableSuffix = ".main_route_table"
	defaultACLSuffix     = ".default_network_acl"
	defaultSGSuffix      = ".default_security_group"
)

// nodeID is the graph id of an instance: the AWS id when the configuration
// states one (the adopted defaults of a VPC; the name of an Auto Scaling
// group, DB subnet group or the identifier of an RDS instance or cluster of
// resource instance, as AWS ids them), else the address.
func nodeID(typ, addr string, attrs map[string]*val) string {
	str := func(name string) string {
		if a, ok := attrs[name]; ok && a.v.IsKnown() && !a.v.IsNull() && a.v.Type() == cty.String {
			return a.v.AsString()
		}
		return ""
	}
	switch typ {
	case "aws_default_route_table":
		if s := str("default_route_table_id"); s != "" {
			return s
		}
	case "aws_default_network_acl":
		if s := str("default_network_acl_id"); s != "" {
			return s
		}
	case "aws_default_security_group":
		if s := str("vpc_id"); s != "" {
			return s + defaultSGSuffix
		}
	}
	// Names are unique in AWS: a name that differs per instance (a counted
	// identifier = "db-${count.index}") is the id of each; the same name
	// on several instances is reported as a duplicate.
	var s string
	switch typ {
	case "aws_autoscaling_group", "aws_db_subnet_group":
		s = str("name")
	case "aws_db_instance", "aws_rds_cluster_instance":
		s = str("identifier")
	case "aws_rds_cluster":
		s = str("cluster_identifier")
	}
	if s != "" {
		return s
	}
	return addr
}

// dataValue is the value of a data source: aws_availability_zones and
// aws_region from the options, anything else unknown.
func (m *modInst) dataValue(c *resourceConfig) cty.Value {
	var v cty.Value
	switch c.typ {
	case "aws_availability_zones":
		zones, region := m.ev.opts.AvailabilityZones, m.region()
		if pr := m.dataProviderRegion(c); pr != "" {
			region = pr
			if !strings.HasPrefix(zones[0], pr) {
				// The provider's region, not the option's default.
				zones = []string{pr + "a", pr + "b", pr + "c"}
			}
		}
		azs := make([]cty.Value, len(zones))
		for i, z := range zones {
			azs[i] = cty.StringVal(z)
		}
		obj := map[string]cty.Value{"names": cty.ListVal(azs), "zone_ids": cty.UnknownVal(cty.List(cty.String)), "id": cty.StringVal(region)}
		for _, n := range m.cfg.refAttrs {
			if _, ok := obj[n]; !ok {
				obj[n] = cty.DynamicVal
			}
		}
		v = cty.ObjectVal(obj)
	case "aws_region":
		r := cty.UnknownVal(cty.String)
		if pr := m.dataProviderRegion(c); pr != "" {
			r = cty.StringVal(pr)
		} else if m.ev.opts.Region != "" {
			r = cty.StringVal(m.ev.opts.Region)
		}
		obj := map[string]cty.Value{"name": r, "region": r, "id": r}
		for _, n := range m.cfg.refAttrs {
			if _, ok := obj[n]; !ok {
				obj[n] = cty.DynamicVal
			}
		}
		v = cty.ObjectVal(obj)
	default:
		return cty.DynamicVal
	}
	if c.count != nil || c.forEach != nil {
		// Instances of these are all alike.
		return cty.DynamicVal
	}
	return v
}

// region is the region of the module's default aws provider, else the
// --region option, else us-east-1.
func (m *modInst) region() string {
	if r := m.providerRegion(""); r != "" {
		return r
	}
	if m.ev.opts.Region != "" {
		return m.ev.opts.Region
	}
	return "us-east-1"
}

// bodyOf evaluates the nested blocks of an instance (its attributes are
// already evaluated).
func (m *modInst) bodyOf(inst *instance) *obj {
	c := inst.res.cfg
	o := &obj{file: c.file, rng: c.block.Range(), attrs: inst.attrs}
	sc := &scope{key: &inst.key}
	if inst.res.unknownCount {
		sc = &scope{key: &instKey{count: cty.UnknownVal(cty.Number), key: cty.UnknownVal(cty.String), value: cty.DynamicVal}}
	}
	m.instanceBlocks(inst, o, sc)
	return o
}

// dataProviderRegion is the region of a data source's aws provider
// configuration, "" when the configuration does not set one.
func (m *modInst) dataProviderRegion(c *resourceConfig) string {
	alias, ok := providerRef(c.block)
	if !ok {
		return ""
	}
	return m.providerRegion(alias)
}
