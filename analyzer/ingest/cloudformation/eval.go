package cloudformation

import (
	"encoding/base64"
	"fmt"
	"math/big"
	"net/netip"
	"sort"
	"strconv"
	"strings"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// resource is one entry of a template's Resources section.
type resource struct {
	logical string
	typ     string
	def     *node  // the resource's mapping
	ent     *entry // its entry in Resources (logical id to end)
	props   *val   // evaluated Properties (nil until needed)
	id      string // node id (memo)
	idBusy  bool
	loading bool // its nested stack is being loaded
	skipped bool // its Condition is false
	condUnk bool // its Condition is unknown
	child   *stack
}

// stack is one template being evaluated: a top-level template, a stack of a
// cloud assembly or a nested stack.
type stack struct {
	rd       *reader
	src      *source
	name     string // stack name (AWS::StackName)
	prefix   string // node id prefix ("" for a lone template, "Parent/" for nested stacks)
	dir      string // folder of the template file
	root     *node
	params   map[string]*val
	paramDef map[string]*node
	mappings *node
	condDef  map[string]*node
	condMemo map[string]*val
	condBusy map[string]bool
	res      map[string]*resource
	order    []string // logical ids in document order
	depth    int      // nesting depth of nested stacks
	mapped   bool     // its resources were mapped
	region   string
	// envRegion is set when a cloud assembly's stack environment names
	// the region.
	envRegion bool
	account   string
	// warned dedupes warnings by message and place.
	warned map[string]bool
}

// warn records a warning diagnostic once per message and range.
func (s *stack) warn(r graph.Range, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	k := msg + "@" + r.String()
	if s.warned[k] {
		return
	}
	s.warned[k] = true
	s.rd.diag(graph.SeverityWarning, msg, "", r)
}

// info records an information diagnostic once per message and range.
func (s *stack) info(r graph.Range, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	k := "info:" + msg + "@" + r.String()
	if s.warned[k] {
		return
	}
	s.warned[k] = true
	s.rd.diag(graph.SeverityInfo, msg, "", r)
}

// eval evaluates a template node, resolving intrinsic functions.
func (s *stack) eval(n *node) *val {
	return s.evalDepth(n, 0)
}

const maxEvalDepth = 256

func (s *stack) evalDepth(n *node, depth int) *val {
	if n == nil {
		return &val{kind: vNull}
	}
	if depth > maxEvalDepth {
		s.warn(n.rng, "expression nested deeper than %d levels; not evaluated", maxEvalDepth)
		return unknownVal("nested too deeply", n.rng)
	}
	switch n.kind {
	case scalarNode:
		if n.tag == "!!null" {
			return &val{kind: vNull, rng: n.rng}
		}
		return strVal(n.value, n.rng)
	case seqNode:
		out := &val{kind: vList, rng: n.rng}
		for _, it := range n.items {
			v := s.evalDepth(it, depth+1)
			if v.kind == vNoValue {
				continue
			}
			out.list = append(out.list, v)
		}
		return out
	}
	if len(n.ents) == 1 {
		k := n.ents[0].key
		if k == "Ref" || strings.HasPrefix(k, "Fn::") {
			return s.intrinsic(k, n.ents[0].val, n.rng, depth+1)
		}
	}
	out := &val{kind: vMap, rng: n.rng, keys: make([]string, 0, len(n.ents)), vals: make([]*val, 0, len(n.ents)), erng: make([]graph.Range, 0, len(n.ents))}
	for _, e := range n.ents {
		v := s.evalDepth(e.val, depth+1)
		if v.kind == vNoValue {
			continue
		}
		out.keys = append(out.keys, e.key)
		out.vals = append(out.vals, v)
		out.erng = append(out.erng, e.rng)
	}
	return out
}

// literal returns the text of a scalar argument that must be written
// literally (Ref's target, a condition name).
func literal(n *node) (string, bool) {
	if n == nil || n.kind != scalarNode {
		return "", false
	}
	return n.value, true
}

func (s *stack) intrinsic(fn string, arg *node, r graph.Range, depth int) *val {
	switch fn {
	case "Ref":
		name, ok := literal(arg)
		if !ok {
			s.warn(r, "Ref takes the name of a parameter, resource or pseudo parameter")
			return unknownVal("malformed Ref", r)
		}
		return s.ref(name, r)
	case "Fn::GetAtt":
		return s.getAttFn(arg, r, depth)
	case "Fn::Sub":
		return s.sub(arg, r, depth)
	case "Fn::Join":
		return s.join(arg, r, depth)
	case "Fn::Select":
		return s.selectFn(arg, r, depth)
	case "Fn::Split":
		return s.split(arg, r, depth)
	case "Fn::If":
		if arg == nil || arg.kind != seqNode || len(arg.items) != 3 {
			s.warn(r, "Fn::If takes [condition, value if true, value if false]")
			return unknownVal("malformed Fn::If", r)
		}
		name, ok := literal(arg.items[0])
		if !ok {
			s.warn(r, "Fn::If: the condition must be a condition name")
			return unknownVal("malformed Fn::If", r)
		}
		c := s.condition(name, arg.items[0].rng)
		if b, ok := c.boolean(); ok {
			if b {
				return s.evalDepth(arg.items[1], depth)
			}
			return s.evalDepth(arg.items[2], depth)
		}
		return unknownVal("condition "+name+" is unknown: "+c.why, r)
	case "Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or":
		return s.logic(fn, arg, r, depth)
	case "Fn::FindInMap":
		return s.findInMap(arg, r, depth)
	case "Fn::GetAZs":
		region := s.evalDepth(arg, depth)
		rs, ok := region.str()
		if region.kind == vNull {
			rs, ok = "", true
		}
		if !ok {
			return unknownVal("Fn::GetAZs of an unknown region", r)
		}
		if rs == "" {
			rs = s.region
		}
		out := &val{kind: vList, rng: r}
		for _, az := range s.rd.azs(rs) {
			out.list = append(out.list, strVal(az, r))
		}
		return out
	case "Fn::Cidr":
		return s.cidr(arg, r, depth)
	case "Fn::ImportValue":
		name := s.evalDepth(arg, depth)
		ns, ok := name.str()
		if !ok {
			return unknownVal("Fn::ImportValue of an unknown export name", r)
		}
		if v, ok := s.rd.exports[ns]; ok {
			return v
		}
		return unknownVal("imported from another stack (export "+ns+")", r)
	case "Fn::Base64":
		v := s.evalDepth(arg, depth)
		if str, ok := v.str(); ok {
			return strVal(base64.StdEncoding.EncodeToString([]byte(str)), r)
		}
		return unknownVal("Fn::Base64 of an unknown value", r)
	case "Fn::Length":
		v := s.evalDepth(arg, depth)
		if v.kind == vList && !v.isUnknown() {
			return strVal(strconv.Itoa(len(v.list)), r)
		}
		return unknownVal("Fn::Length of an unknown list", r)
	}
	s.warn(r, "%s is not evaluated; the value stays unknown", fn)
	return unknownVal(fn+" not evaluated", r)
}

// pseudo returns a pseudo parameter's value.
func (s *stack) pseudo(name string, r graph.Range) (*val, bool) {
	switch name {
	case "AWS::Region":
		return strVal(s.region, r), true
	case "AWS::AccountId":
		return strVal(s.account, r), true
	case "AWS::Partition":
		return strVal(s.rd.opts.Partition, r), true
	case "AWS::StackName":
		return strVal(s.name, r), true
	case "AWS::StackId":
		return unknownVal("the stack id is known only after deployment", r), true
	case "AWS::URLSuffix":
		if strings.HasPrefix(s.region, "cn-") {
			return strVal("amazonaws.com.cn", r), true
		}
		return strVal("amazonaws.com", r), true
	case "AWS::NoValue":
		return &val{kind: vNoValue, rng: r}, true
	case "AWS::NotificationARNs":
		return &val{kind: vList, rng: r}, true
	}
	return nil, false
}

// ref evaluates Ref name.
func (s *stack) ref(name string, r graph.Range) *val {
	if v, ok := s.pseudo(name, r); ok {
		return v
	}
	if v, ok := s.params[name]; ok {
		return v
	}
	if res, ok := s.res[name]; ok {
		if res.skipped {
			return unknownVal("resource "+name+" is not created (its condition is false)", r)
		}
		return &val{kind: vRef, s: s.nodeID(res), typ: res.typ, rng: r, res: res, st: s}
	}
	s.warn(r, "Ref to %s, which is not a parameter, resource or pseudo parameter of this template", name)
	return unknownVal("undefined "+name, r)
}

func (s *stack) getAttFn(arg *node, r graph.Range, depth int) *val {
	var name, attr string
	switch {
	case arg != nil && arg.kind == scalarNode:
		var ok bool
		name, attr, ok = strings.Cut(arg.value, ".")
		if !ok {
			s.warn(r, "Fn::GetAtt takes Resource.Attribute")
			return unknownVal("malformed Fn::GetAtt", r)
		}
	case arg != nil && arg.kind == seqNode && len(arg.items) == 2:
		n, ok := literal(arg.items[0])
		a := s.evalDepth(arg.items[1], depth)
		as, ok2 := a.str()
		if !ok || !ok2 {
			s.warn(r, "Fn::GetAtt takes [resource, attribute]")
			return unknownVal("malformed Fn::GetAtt", r)
		}
		name, attr = n, as
	default:
		s.warn(r, "Fn::GetAtt takes [resource, attribute]")
		return unknownVal("malformed Fn::GetAtt", r)
	}
	return s.getAtt(name, attr, r)
}

// idAttrs are attributes that return the resource's own id.
var idAttrs = map[string]bool{
	"GroupId": true, "AllocationId": true, "SubnetId": true, "RouteTableId": true, "NatGatewayId": true,
	"InternetGatewayId": true, "LaunchTemplateId": true, "LoadBalancerArn": true, "TargetGroupArn": true,
	"ListenerArn": true, "ServiceArn": true, "NetworkAclId": true, "Id": true, "TransitGatewayId": true,
	"TransitGatewayAttachmentId": true, "EgressOnlyInternetGatewayId": true, "NetworkInterfaceId": true,
	"InstanceId": true, "VpcEndpointId": true, "DBSubnetGroupName": true,
}

// getAtt evaluates Fn::GetAtt name.attr.
func (s *stack) getAtt(name, attr string, r graph.Range) *val {
	res, ok := s.res[name]
	if !ok {
		s.warn(r, "Fn::GetAtt of %s, which is not a resource of this template", name)
		return unknownVal("undefined "+name, r)
	}
	if res.skipped {
		return unknownVal("resource "+name+" is not created (its condition is false)", r)
	}
	ref := &val{kind: vRef, s: s.nodeID(res), typ: res.typ, rng: r, res: res, st: s}
	props := s.props(res)
	switch res.typ + "." + attr {
	case "AWS::EC2::VPC.VpcId":
		return ref
	case "AWS::EC2::VPC.CidrBlock":
		if v := props.get("CidrBlock"); v != nil {
			return v
		}
	case "AWS::EC2::VPC.DefaultSecurityGroup":
		return &val{kind: vRef, s: s.nodeID(res) + defaultSGSuffix, typ: "AWS::EC2::SecurityGroup", rng: r}
	case "AWS::EC2::VPC.DefaultNetworkAcl":
		return &val{kind: vRef, s: s.nodeID(res) + defaultACLSuffix, typ: "AWS::EC2::NetworkAcl", rng: r}
	case "AWS::EC2::Subnet.VpcId", "AWS::EC2::SecurityGroup.VpcId":
		if v := props.get("VpcId"); v != nil {
			return v
		}
	case "AWS::EC2::Subnet.AvailabilityZone":
		if v := props.get("AvailabilityZone"); v != nil {
			return v
		}
	case "AWS::EC2::Subnet.CidrBlock":
		if v := props.get("CidrBlock"); v != nil {
			return v
		}
	case "AWS::ElasticLoadBalancingV2::LoadBalancer.SecurityGroups":
		if v := props.get("SecurityGroups"); v != nil {
			return v
		}
	case "AWS::EC2::LaunchTemplate.LatestVersionNumber":
		// The version the template itself describes: what "$Latest" names.
		return strVal("$Latest", r)
	case "AWS::EC2::LaunchTemplate.DefaultVersionNumber":
		return strVal("$Default", r)
	case "AWS::ECS::Service.Name":
		if v := props.get("ServiceName"); v != nil {
			return v
		}
	case "AWS::RDS::DBInstance.Endpoint.Port", "AWS::RDS::DBCluster.Endpoint.Port":
		if v := props.get("Port"); v != nil {
			return v
		}
	}
	if res.typ == "AWS::CloudFormation::Stack" && strings.HasPrefix(attr, "Outputs.") {
		return s.nestedOutput(res, strings.TrimPrefix(attr, "Outputs."), r)
	}
	if idAttrs[attr] {
		return ref
	}
	return unknownVal(fmt.Sprintf("%s.%s is known only after deployment", name, attr), r)
}

// subVars splits a Fn::Sub string into literal text and ${} variables.
func (s *stack) sub(arg *node, r graph.Range, depth int) *val {
	var tmpl *node
	vars := map[string]*val{}
	switch {
	case arg != nil && arg.kind == scalarNode:
		tmpl = arg
	case arg != nil && arg.kind == seqNode && len(arg.items) == 2 && arg.items[0].kind == scalarNode:
		tmpl = arg.items[0]
		m := arg.items[1]
		if m.kind != mapNode {
			s.warn(r, "Fn::Sub: the second argument must map variable names to values")
			return unknownVal("malformed Fn::Sub", r)
		}
		for _, e := range m.ents {
			vars[e.key] = s.evalDepth(e.val, depth)
		}
	default:
		s.warn(r, "Fn::Sub takes a string or [string, {variables}]")
		return unknownVal("malformed Fn::Sub", r)
	}
	text := tmpl.value
	var b strings.Builder
	for {
		i := strings.Index(text, "${")
		if i < 0 {
			b.WriteString(text)
			break
		}
		b.WriteString(text[:i])
		rest := text[i+2:]
		if strings.HasPrefix(rest, "!") {
			b.WriteString("${")
			text = rest[1:]
			continue
		}
		j := strings.IndexByte(rest, '}')
		if j < 0 {
			b.WriteString(text[i:])
			break
		}
		name := strings.TrimSpace(rest[:j])
		text = rest[j+1:]
		v, ok := vars[name]
		if !ok {
			if res, attr, dotted := strings.Cut(name, "."); dotted && !strings.HasPrefix(name, "AWS::") {
				v = s.getAtt(res, attr, r)
			} else {
				v = s.ref(name, r)
			}
		}
		str, ok := v.str()
		if !ok {
			return unknownVal(fmt.Sprintf("${%s} is known only after deployment", name), r)
		}
		b.WriteString(str)
	}
	return strVal(b.String(), r)
}

func (s *stack) join(arg *node, r graph.Range, depth int) *val {
	if arg == nil || arg.kind != seqNode || len(arg.items) != 2 {
		s.warn(r, "Fn::Join takes [delimiter, [values]]")
		return unknownVal("malformed Fn::Join", r)
	}
	delim, ok := s.evalDepth(arg.items[0], depth).str()
	if !ok {
		s.warn(r, "Fn::Join: the delimiter must be a string")
		return unknownVal("malformed Fn::Join", r)
	}
	list := s.evalDepth(arg.items[1], depth)
	if list.kind == vUnknown {
		return list
	}
	if list.kind != vList {
		s.warn(r, "Fn::Join: the second argument must be a list")
		return unknownVal("malformed Fn::Join", r)
	}
	parts := make([]string, 0, len(list.list))
	for _, it := range list.list {
		p, ok := it.str()
		if !ok {
			return unknownVal("Fn::Join of a value known only after deployment", r)
		}
		parts = append(parts, p)
	}
	return strVal(strings.Join(parts, delim), r)
}

func (s *stack) selectFn(arg *node, r graph.Range, depth int) *val {
	if arg == nil || arg.kind != seqNode || len(arg.items) != 2 {
		s.warn(r, "Fn::Select takes [index, list]")
		return unknownVal("malformed Fn::Select", r)
	}
	idx := s.evalDepth(arg.items[0], depth)
	list := s.evalDepth(arg.items[1], depth)
	i, ok := idx.integer()
	if !ok {
		if idx.kind == vUnknown {
			return idx
		}
		s.warn(r, "Fn::Select: the index must be an integer")
		return unknownVal("malformed Fn::Select", r)
	}
	if list.kind == vUnknown {
		return unknownVal("Fn::Select from an unknown list", r)
	}
	items := list.items()
	if i < 0 || i >= len(items) {
		s.warn(r, "Fn::Select: index %d out of range (list of %d)", i, len(items))
		return unknownVal("index out of range", r)
	}
	return items[i]
}

func (s *stack) split(arg *node, r graph.Range, depth int) *val {
	if arg == nil || arg.kind != seqNode || len(arg.items) != 2 {
		s.warn(r, "Fn::Split takes [delimiter, string]")
		return unknownVal("malformed Fn::Split", r)
	}
	delim, ok := s.evalDepth(arg.items[0], depth).str()
	if !ok || delim == "" {
		s.warn(r, "Fn::Split: the delimiter must be a non-empty string")
		return unknownVal("malformed Fn::Split", r)
	}
	str, ok := s.evalDepth(arg.items[1], depth).str()
	if !ok {
		return unknownVal("Fn::Split of a value known only after deployment", r)
	}
	out := &val{kind: vList, rng: r}
	for _, p := range strings.Split(str, delim) {
		out.list = append(out.list, strVal(p, r))
	}
	return out
}

func boolVal(b bool, r graph.Range) *val { return strVal(strconv.FormatBool(b), r) }

// logic evaluates the condition functions.
func (s *stack) logic(fn string, arg *node, r graph.Range, depth int) *val {
	if arg == nil || arg.kind != seqNode {
		s.warn(r, "%s takes a list", fn)
		return unknownVal("malformed "+fn, r)
	}
	if fn == "Fn::Equals" {
		if len(arg.items) != 2 {
			s.warn(r, "Fn::Equals takes two values")
			return unknownVal("malformed Fn::Equals", r)
		}
		a, b := s.evalDepth(arg.items[0], depth), s.evalDepth(arg.items[1], depth)
		if a.isUnknown() || b.isUnknown() {
			return unknownVal("Fn::Equals of an unknown value", r)
		}
		return boolVal(equalVals(a, b), r)
	}
	var bs []*val
	for _, it := range arg.items {
		bs = append(bs, s.condArg(it, depth))
	}
	switch fn {
	case "Fn::Not":
		if len(bs) != 1 {
			s.warn(r, "Fn::Not takes one condition")
			return unknownVal("malformed Fn::Not", r)
		}
		b, ok := bs[0].boolean()
		if !ok {
			return unknownVal("Fn::Not of an unknown condition", r)
		}
		return boolVal(!b, r)
	case "Fn::And", "Fn::Or":
		unknown := false
		for _, v := range bs {
			b, ok := v.boolean()
			switch {
			case !ok:
				unknown = true
			case b && fn == "Fn::Or":
				return boolVal(true, r)
			case !b && fn == "Fn::And":
				return boolVal(false, r)
			}
		}
		if unknown {
			return unknownVal(fn+" of an unknown condition", r)
		}
		return boolVal(fn == "Fn::And", r)
	}
	return unknownVal(fn, r)
}

// condArg evaluates an argument of Fn::Not/And/Or: a condition function or
// {"Condition": name}.
func (s *stack) condArg(n *node, depth int) *val {
	if n != nil && n.kind == mapNode && len(n.ents) == 1 && n.ents[0].key == "Condition" {
		name, ok := literal(n.ents[0].val)
		if !ok {
			s.warn(n.rng, "Condition takes a condition name")
			return unknownVal("malformed Condition", n.rng)
		}
		return s.condition(name, n.rng)
	}
	return s.evalDepth(n, depth)
}

func equalVals(a, b *val) bool {
	if a.kind != b.kind {
		return false
	}
	switch a.kind {
	case vList:
		if len(a.list) != len(b.list) {
			return false
		}
		for i := range a.list {
			if !equalVals(a.list[i], b.list[i]) {
				return false
			}
		}
		return true
	case vMap:
		if len(a.keys) != len(b.keys) {
			return false
		}
		for i, k := range a.keys {
			bv := b.get(k)
			if bv == nil || !equalVals(a.vals[i], bv) {
				return false
			}
		}
		return true
	}
	return a.s == b.s
}

// condition evaluates a named condition (memoized, cycles reported).
func (s *stack) condition(name string, r graph.Range) *val {
	if v, ok := s.condMemo[name]; ok {
		return v
	}
	def, ok := s.condDef[name]
	if !ok {
		s.warn(r, "condition %s is not defined in Conditions", name)
		return unknownVal("undefined condition "+name, r)
	}
	if s.condBusy[name] {
		s.warn(r, "condition %s depends on itself", name)
		return unknownVal("circular condition "+name, r)
	}
	s.condBusy[name] = true
	v := s.condArg(def, 0)
	s.condBusy[name] = false
	if _, ok := v.boolean(); !ok && v.kind != vUnknown {
		s.warn(def.rng, "condition %s does not evaluate to true or false", name)
		v = unknownVal("condition "+name+" is not a boolean", def.rng)
	}
	s.condMemo[name] = v
	return v
}

func (s *stack) findInMap(arg *node, r graph.Range, depth int) *val {
	if arg == nil || arg.kind != seqNode || len(arg.items) < 3 || len(arg.items) > 4 {
		s.warn(r, "Fn::FindInMap takes [map, top-level key, second-level key]")
		return unknownVal("malformed Fn::FindInMap", r)
	}
	var keys []string
	for _, it := range arg.items[:3] {
		k, ok := s.evalDepth(it, depth).str()
		if !ok {
			return unknownVal("Fn::FindInMap with an unknown key", r)
		}
		keys = append(keys, k)
	}
	n := s.mappings.get(keys[0]).get(keys[1]).get(keys[2])
	if n == nil {
		if len(arg.items) == 4 {
			if d := arg.items[3].get("DefaultValue"); d != nil {
				return s.evalDepth(d, depth)
			}
		}
		s.warn(r, "Fn::FindInMap: mapping %s has no %s.%s", keys[0], keys[1], keys[2])
		return unknownVal("missing mapping entry", r)
	}
	return s.evalDepth(n, depth)
}

// cidr evaluates Fn::Cidr [ipBlock, count, cidrBits].
func (s *stack) cidr(arg *node, r graph.Range, depth int) *val {
	if arg == nil || arg.kind != seqNode || len(arg.items) != 3 {
		s.warn(r, "Fn::Cidr takes [ipBlock, count, cidrBits]")
		return unknownVal("malformed Fn::Cidr", r)
	}
	block, ok := s.evalDepth(arg.items[0], depth).str()
	if !ok {
		return unknownVal("Fn::Cidr of an unknown block", r)
	}
	count, ok1 := s.evalDepth(arg.items[1], depth).integer()
	bits, ok2 := s.evalDepth(arg.items[2], depth).integer()
	if !ok1 || !ok2 {
		return unknownVal("Fn::Cidr with an unknown count or size", r)
	}
	out, err := cidrSubnets(block, count, bits)
	if err != nil {
		s.warn(r, "Fn::Cidr: %v", err)
		return unknownVal("Fn::Cidr: "+err.Error(), r)
	}
	v := &val{kind: vList, rng: r}
	for _, c := range out {
		v.list = append(v.list, strVal(c, r))
	}
	return v
}

// cidrSubnets splits block into count consecutive subnets with cidrBits
// host bits each, as Fn::Cidr does.
func cidrSubnets(block string, count, cidrBits int) ([]string, error) {
	p, err := netip.ParsePrefix(strings.TrimSpace(block))
	if err != nil {
		return nil, fmt.Errorf("bad CIDR block %q", block)
	}
	p = p.Masked()
	total := p.Addr().BitLen()
	newLen := total - cidrBits
	if count < 1 || count > 256 {
		return nil, fmt.Errorf("count %d is not between 1 and 256", count)
	}
	if cidrBits < 0 || newLen < p.Bits() {
		return nil, fmt.Errorf("%d subnet bits do not fit in %s", cidrBits, p)
	}
	if avail := newLen - p.Bits(); avail < 16 && count > 1<<avail {
		return nil, fmt.Errorf("%s holds %d subnets of /%d, not %d", p, 1<<avail, newLen, count)
	}
	base := new(big.Int).SetBytes(p.Addr().AsSlice())
	step := new(big.Int).Lsh(big.NewInt(1), uint(cidrBits))
	out := make([]string, 0, count)
	for i := 0; i < count; i++ {
		n := new(big.Int).Add(base, new(big.Int).Mul(step, big.NewInt(int64(i))))
		buf := make([]byte, total/8)
		n.FillBytes(buf)
		a, _ := netip.AddrFromSlice(buf)
		out = append(out, netip.PrefixFrom(a, newLen).String())
	}
	return out, nil
}

// props evaluates a resource's Properties once.
func (s *stack) props(res *resource) *val {
	if res.props == nil {
		res.props = &val{kind: vMap, rng: res.def.rng}
		if p := res.def.get("Properties"); p != nil {
			v := s.eval(p)
			if v.kind == vMap {
				res.props = v
			} else if v.kind != vNull {
				s.warn(p.rng, "Properties of %s is not a mapping", res.logical)
			}
		}
	}
	return res.props
}

// identifierProps name the property that holds a resource's AWS id, for
// the types whose id the design says is their name or identifier.
var identifierProps = map[string]string{
	"AWS::AutoScaling::AutoScalingGroup":      "AutoScalingGroupName",
	"AWS::RDS::DBInstance":                    "DBInstanceIdentifier",
	"AWS::RDS::DBCluster":                     "DBClusterIdentifier",
	"AWS::RDS::DBSubnetGroup":                 "DBSubnetGroupName",
	"AWS::ElasticLoadBalancing::LoadBalancer": "LoadBalancerName",
}

// nodeID returns the node id of a resource: the AWS id the template states
// (a group name, a DB identifier), else the prefixed logical id.
func (s *stack) nodeID(res *resource) string {
	if res.id != "" {
		return res.id
	}
	res.id = s.prefix + res.logical
	if p, ok := identifierProps[res.typ]; ok && !res.idBusy {
		res.idBusy = true
		if n := res.def.get("Properties").get(p); n != nil {
			if v, ok := s.eval(n).str(); ok && v != "" {
				if strings.HasPrefix(res.typ, "AWS::RDS::") {
					v = strings.ToLower(v) // RDS stores identifiers in lower case
				}
				// An RDS instance and its DB subnet group may share a name:
				// the second type to claim it keeps its logical id, so both
				// nodes survive and references (which all come here) agree.
				if typ, taken := s.rd.physical[v]; !taken || typ == res.typ {
					s.rd.physical[v] = res.typ
					res.id = v
				}
			}
		}
		res.idBusy = false
	}
	return res.id
}

// sortedKeys returns a map's keys sorted.
func sortedKeys[M ~map[string]V, V any](m M) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
