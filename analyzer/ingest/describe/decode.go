package describe

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"time"

	json "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// command is one supported describe command, found by the top-level key of
// its output.
type command struct {
	// name is the AWS CLI command, for messages ("ec2 describe-vpcs").
	name string
	// decode converts one element of the command's top-level array.
	decode func(c *chunk, el elem)
	// unsupported, when set, explains why the elements are not read.
	unsupported string
}

// commandFor returns the command whose output has the top-level key.
func commandFor(key string) (command, bool) {
	switch key {
	case "Vpcs":
		return command{name: "ec2 describe-vpcs", decode: decodeVPC}, true
	case "Subnets":
		return command{name: "ec2 describe-subnets", decode: decodeSubnet}, true
	case "RouteTables":
		return command{name: "ec2 describe-route-tables", decode: decodeRouteTable}, true
	case "InternetGateways":
		return command{name: "ec2 describe-internet-gateways", decode: decodeIGW}, true
	case "EgressOnlyInternetGateways":
		return command{name: "ec2 describe-egress-only-internet-gateways", decode: decodeEIGW}, true
	case "NatGateways":
		return command{name: "ec2 describe-nat-gateways", decode: decodeNAT}, true
	case "Addresses":
		return command{name: "ec2 describe-addresses", decode: decodeEIP}, true
	case "SecurityGroups":
		return command{name: "ec2 describe-security-groups", decode: decodeSG}, true
	case "SecurityGroupRules":
		return command{name: "ec2 describe-security-group-rules", decode: decodeSGRule}, true
	case "Reservations":
		// Scanned down to the instances: each element is one instance.
		return command{name: "ec2 describe-instances", decode: decodeInstanceEl}, true
	case "NetworkInterfaces":
		return command{name: "ec2 describe-network-interfaces", decode: decodeENI}, true
	case "NetworkAcls":
		return command{name: "ec2 describe-network-acls", decode: decodeNACL}, true
	case "VpcEndpoints":
		return command{name: "ec2 describe-vpc-endpoints", decode: decodeVPCEndpoint}, true
	case "VpcPeeringConnections":
		return command{name: "ec2 describe-vpc-peering-connections", decode: decodePeering}, true
	case "Volumes":
		return command{name: "ec2 describe-volumes", decode: decodeVolume}, true
	case "TransitGatewayAttachments":
		return command{name: "ec2 describe-transit-gateway-attachments", decode: decodeTGWAttachment}, true
	case "PrefixLists":
		return command{name: "ec2 describe-managed-prefix-lists", decode: decodePrefixList}, true
	case "Entries":
		return command{name: "ec2 get-managed-prefix-list-entries", decode: decodePrefixListEntry}, true
	case "LaunchTemplates":
		return command{name: "ec2 describe-launch-templates", decode: decodeLaunchTemplate}, true
	case "LaunchTemplateVersions":
		return command{name: "ec2 describe-launch-template-versions", decode: decodeLaunchTemplateVersion}, true
	case "LoadBalancers":
		return command{name: "elbv2 describe-load-balancers", decode: decodeLoadBalancer}, true
	case "LoadBalancerDescriptions":
		return command{name: "elb describe-load-balancers", decode: decodeClassicLB}, true
	case "Listeners":
		return command{name: "elbv2 describe-listeners", decode: decodeListener}, true
	case "TargetGroups":
		return command{name: "elbv2 describe-target-groups", decode: decodeTargetGroup}, true
	case "TargetHealthDescriptions":
		return command{name: "elbv2 describe-target-health", decode: decodeTargetHealth}, true
	case "AutoScalingGroups":
		return command{name: "autoscaling describe-auto-scaling-groups", decode: decodeASG}, true
	case "ScalingPolicies":
		return command{name: "autoscaling describe-policies", decode: decodePolicy}, true
	case "DBInstances":
		return command{name: "rds describe-db-instances", decode: decodeDBInstance}, true
	case "DBClusters":
		return command{name: "rds describe-db-clusters", decode: decodeDBCluster}, true
	case "DBSubnetGroups":
		return command{name: "rds describe-db-subnet-groups", decode: decodeDBSubnetGroup}, true
	case "services":
		return command{name: "ecs describe-services", decode: decodeECSService}, true
	}
	return command{}, false
}

// Top-level keys that are not a command's list.
const (
	// keyTargetGroupArn names the target group of a describe-target-health
	// output in the wrapper our collector writes.
	keyTargetGroupArn = "TargetGroupArn"
	// keyPrefixListID names the prefix list of a
	// get-managed-prefix-list-entries output in the same kind of wrapper.
	keyPrefixListID = "PrefixListId"
)

// ignoredKey reports whether a top-level key carries nothing to read
// (pagination tokens, response metadata, ECS failures).
func ignoredKey(key string) bool {
	switch key {
	case "NextToken", "NextMarker", "Marker", "ResponseMetadata", "failures", "Failures":
		return true
	}
	return false
}

// fileScan is the outcome of the first pass over one file: where each
// element of each command's array lies.
type fileScan struct {
	// ctx stops a scan early (the part is then incomplete and thrown away
	// by the caller, which sees ctx done).
	ctx             context.Context
	path            string
	data            []byte
	lines           *lineIndex
	account, region string
	sections        []section
	// tgARN and plID come from a wrapper object or the file name.
	tgARN, plID string
	diags       []graph.Diagnostic
	// unmodelled are the top-level keys of AWS outputs not read here.
	unmodelled []unmodelledKey
	// maxElems bounds the elements recorded (Limits.MaxNodes): past it
	// the file is still validated but its elements are not kept; cut is
	// where the first one left out starts (-1: none).
	maxElems, nElems int
	cut              int
	cutCmd           string
	// empty and noID group the elements skipped for being empty or having
	// no id, by command.
	empty, noID map[string]*skipped
}

// skipped counts elements left out for one cause, with the first one's
// span.
type skipped struct {
	n          int
	start, end int
}

// unmodelledKey is a not-modelled top-level key and where it is.
type unmodelledKey struct {
	key string
	rng graph.Range
}

// section is one top-level array of a file.
type section struct {
	key   string
	cmd   command
	elems []span
	// idx, when set, are the indexes of elems in the array (some
	// elements were skipped).
	idx []int
	// ptrs, when set, are the JSON pointers of elems (the instances of
	// describe-instances, two levels down); else an element's pointer is
	// /key/index.
	ptrs []string
}

// pointer returns the JSON pointer of element i.
func (s *section) pointer(i int) string {
	if s.ptrs != nil {
		return s.ptrs[i]
	}
	if s.idx != nil {
		i = s.idx[i]
	}
	return "/" + pointerToken(s.key) + "/" + strconv.Itoa(i)
}

// elem is one element of a section, with its JSON pointer.
type elem struct {
	span
	ptr string
}

// rng returns the range of the byte span [start, end) of the file.
func (f *fileScan) rng(start, end int) graph.Range { return f.lines.rng(start, end) }

// diag records a diagnostic at the byte span [start, end).
func (f *fileScan) diag(sev graph.Severity, start, end int, summary, detail string) {
	f.diags = append(f.diags, graph.Diagnostic{Severity: sev, Summary: summary, Detail: detail, Range: f.rng(start, end)})
}

// syntaxDiag turns a decoder error into a diagnostic.
func (f *fileScan) syntaxDiag(err error, detail string) {
	if errors.Is(err, errStopped) {
		return
	}
	off := len(f.data)
	summary := "invalid JSON: " + err.Error()
	var se *jsontext.SyntacticError
	if errors.As(err, &se) {
		off = int(se.ByteOffset)
		if errors.Is(se.Err, io.ErrUnexpectedEOF) {
			summary = "truncated JSON: the file ends in the middle of a value"
		} else {
			summary = "invalid JSON: " + se.Err.Error()
		}
		if se.JSONPointer != "" {
			summary += " (in " + string(se.JSONPointer) + ")"
		}
	} else if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		summary = "truncated JSON: the file ends in the middle of a value"
	}
	off = min(max(off, 0), len(f.data))
	f.diag(graph.SeverityError, off, off, summary, detail)
}

// scanFile finds the command arrays of one file and the spans of their
// elements, validating the JSON syntax as it goes. Elements read before a
// syntax error are kept.
func scanFile(ctx context.Context, file File, opts Options) *fileScan {
	f := &fileScan{ctx: ctx, path: file.Path, data: file.Data, lines: newLineIndex(file.Path, file.Data), cut: -1}
	f.account, f.region = accountRegionOf(file.Path)
	if f.account == "" {
		f.account = opts.Account
	}
	if f.region == "" {
		f.region = opts.Region
	}
	data := file.Data
	switch {
	case bytes.HasPrefix(data, []byte("\xef\xbb\xbf")):
		// A UTF-8 byte order mark: blank it in a copy so that offsets stay
		// those of the file.
		data = append([]byte("   "), data[3:]...)
		f.data = data
	case bytes.HasPrefix(data, []byte("\xff\xfe")) || bytes.HasPrefix(data, []byte("\xfe\xff")):
		f.diag(graph.SeverityError, 0, 0, "the file is UTF-16 encoded: save it as UTF-8 (PowerShell: Out-File -Encoding utf8)", "")
		return f
	}
	if len(bytes.TrimSpace(data)) == 0 {
		f.diag(graph.SeverityError, 0, 0, "empty file: describe output is a JSON object such as {\"Vpcs\": [...]}", "")
		return f
	}
	if !f.checkText(opts) {
		return f
	}
	dec := jsontext.NewDecoder(bytes.NewBuffer(data), jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	tok, err := dec.ReadToken()
	if err != nil {
		f.syntaxDiag(err, "")
		return f
	}
	if tok.Kind() != '{' {
		end := int(dec.InputOffset())
		f.diag(graph.SeverityError, skipWS(data, 0), end,
			fmt.Sprintf("not describe output: the file holds a JSON %s, not an object such as {\"Vpcs\": [...]}", kindName(tok.Kind())), "")
		return f
	}
	known := 0
	for {
		before := int(dec.InputOffset())
		tok, err := dec.ReadToken()
		if err != nil {
			f.syntaxDiag(err, f.keptDetail())
			return f
		}
		if tok.Kind() == '}' {
			break
		}
		key := tok.String()
		keyEnd := int(dec.InputOffset())
		keyStart := keyStartOf(data, before, keyEnd)
		switch {
		case key == keyTargetGroupArn || key == keyPrefixListID:
			tok, err := dec.ReadToken()
			if err != nil {
				f.syntaxDiag(err, f.keptDetail())
				return f
			}
			if tok.Kind() != '"' {
				if tok.Kind() == '{' || tok.Kind() == '[' {
					if err := dec.SkipValue(); err != nil {
						f.syntaxDiag(err, f.keptDetail())
						return f
					}
				}
				f.diag(graph.SeverityError, keyStart, int(dec.InputOffset()), fmt.Sprintf("%s must be a string", key), "")
				continue
			}
			if key == keyTargetGroupArn {
				f.tgARN = tok.String()
			} else {
				f.plID = tok.String()
			}
		case ignoredKey(key):
			if err := dec.SkipValue(); err != nil {
				f.syntaxDiag(err, f.keptDetail())
				return f
			}
		default:
			cmd, ok := commandFor(key)
			if !ok && notModelled[key] != "" {
				f.unmodelled = append(f.unmodelled, unmodelledKey{key: key, rng: f.rng(keyStart, keyEnd)})
				if err := dec.SkipValue(); err != nil {
					f.syntaxDiag(err, f.keptDetail())
					return f
				}
				continue
			}
			if !ok {
				f.diag(graph.SeverityError, keyStart, keyEnd,
					fmt.Sprintf("unknown top-level key %q: not the output of a supported describe command", key),
					"supported keys are those of ec2, elbv2, autoscaling, rds and ecs describe commands (Vpcs, SecurityGroups, Reservations, LoadBalancers…)")
				if err := dec.SkipValue(); err != nil {
					f.syntaxDiag(err, f.keptDetail())
					return f
				}
				continue
			}
			known++
			if err := f.scanArray(dec, key, cmd, keyStart); err != nil {
				f.syntaxDiag(err, f.keptDetail())
				return f
			}
		}
	}
	if _, err := dec.ReadToken(); err != io.EOF {
		off := int(dec.InputOffset())
		f.diag(graph.SeverityWarning, off, off, "data after the JSON object ignored", "")
	}
	if known == 0 && len(f.diags) == 0 && len(f.unmodelled) == 0 {
		f.diag(graph.SeverityWarning, 0, 0, "no describe command output in the file", "")
	}
	f.checkWrappers()
	f.skippedDiags()
	return f
}

// keyStartOf finds where a member name starts, skipping the whitespace and
// comma between the previous token (ending at before) and the name.
func keyStartOf(data []byte, before, keyEnd int) int {
	i := before
	for i < keyEnd && data[i] != '"' {
		i++
	}
	return i
}

// keptDetail says how much of a broken file was kept.
func (f *fileScan) keptDetail() string {
	n := 0
	for _, s := range f.sections {
		n += len(s.elems)
	}
	if n == 0 {
		return "nothing in the file was read"
	}
	return fmt.Sprintf("the %d complete element(s) before this point were read", n)
}

// errStopped ends a scan whose context is done.
var errStopped = errors.New("stopped")

// stopped returns errStopped when the scan's context is done, checked
// every 128 elements (i counts them).
func (f *fileScan) stopped(i int) error {
	if i&127 == 127 && f.ctx != nil && f.ctx.Err() != nil {
		return errStopped
	}
	return nil
}

// scanArray records the element spans of the array value of key.
func (f *fileScan) scanArray(dec *jsontext.Decoder, key string, cmd command, keyStart int) error {
	switch dec.PeekKind() {
	case '[':
	case 'n':
		_, err := dec.ReadToken()
		return err
	case 0:
		_, err := dec.ReadToken()
		return err
	default:
		v, err := dec.ReadValue()
		if err != nil {
			return err
		}
		f.diag(graph.SeverityError, keyStart, int(dec.InputOffset()),
			fmt.Sprintf("%s: %q should be an array, not a JSON %s", cmd.name, key, kindName(v.Kind())), "")
		return nil
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	sec := section{key: key, cmd: cmd}
	defer func() {
		if cmd.unsupported != "" {
			if len(sec.elems) > 0 {
				f.diag(graph.SeverityWarning, keyStart, keyStart+len(key)+2,
					fmt.Sprintf("%s: %s; %d skipped", cmd.name, cmd.unsupported, len(sec.elems)), "")
			}
			return
		}
		f.sections = append(f.sections, sec)
	}()
	for i := 0; ; i++ {
		if err := f.stopped(i); err != nil {
			return err
		}
		if dec.PeekKind() == ']' {
			_, err := dec.ReadToken()
			return err
		}
		if key == "Reservations" {
			if err := f.scanReservation(dec, &sec, i); err != nil {
				return err
			}
			continue
		}
		v, err := dec.ReadValue()
		if err != nil {
			return err
		}
		end := int(dec.InputOffset())
		if !f.keep(cmd, v, end) {
			if sec.idx == nil {
				sec.idx = make([]int, len(sec.elems), len(sec.elems)+1)
				for k := range sec.idx {
					sec.idx[k] = k
				}
			}
			continue
		}
		if sec.idx != nil {
			sec.idx = append(sec.idx, i)
		}
		sec.elems = append(sec.elems, span{end - len(v), end})
		f.lines.mark(end - len(v))
	}
}

// scanReservation records the instances of one reservation of
// describe-instances as elements of sec.
func (f *fileScan) scanReservation(dec *jsontext.Decoder, sec *section, i int) error {
	if dec.PeekKind() != '{' {
		v, err := dec.ReadValue()
		if err != nil {
			return err
		}
		end := int(dec.InputOffset())
		f.diag(graph.SeverityError, end-len(v), end,
			fmt.Sprintf("ec2 describe-instances: /Reservations/%d should be an object, not a JSON %s", i, kindName(v.Kind())), "")
		return nil
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	for {
		tok, err := dec.ReadToken()
		if err != nil {
			return err
		}
		if tok.Kind() == '}' {
			return nil
		}
		name := tok.String()
		if name != "Instances" || dec.PeekKind() != '[' {
			v, err := dec.ReadValue()
			if err != nil {
				return err
			}
			if name == "Instances" && v.Kind() != 'n' {
				end := int(dec.InputOffset())
				f.diag(graph.SeverityError, end-len(v), end,
					fmt.Sprintf("ec2 describe-instances: /Reservations/%d/Instances should be an array, not a JSON %s", i, kindName(v.Kind())), "")
			}
			continue
		}
		if _, err := dec.ReadToken(); err != nil {
			return err
		}
		for j := 0; ; j++ {
			if err := f.stopped(j + 1); err != nil {
				return err
			}
			if dec.PeekKind() == ']' {
				if _, err := dec.ReadToken(); err != nil {
					return err
				}
				break
			}
			v, err := dec.ReadValue()
			if err != nil {
				return err
			}
			end := int(dec.InputOffset())
			if !f.keep(sec.cmd, v, end) {
				continue
			}
			sec.elems = append(sec.elems, span{end - len(v), end})
			sec.ptrs = append(sec.ptrs, "/Reservations/"+strconv.Itoa(i)+"/Instances/"+strconv.Itoa(j))
			f.lines.mark(end - len(v))
		}
	}
}

// checkWrappers makes sure the outputs that do not name their parent
// (target health, prefix list entries) can be attached to one.
func (f *fileScan) checkWrappers() {
	kept := f.sections[:0]
	for _, s := range f.sections {
		switch s.key {
		case "TargetHealthDescriptions":
			if f.tgARN == "" {
				f.tgARN = targetGroupARNFromName(f.path)
			}
			if f.tgARN == "" && len(s.elems) > 0 {
				f.diag(graph.SeverityWarning, s.elems[0].start, s.elems[0].start,
					"target health without its target group: skipped, as describe-target-health output does not name the group; "+
						"to join it, name the file after the group's ARN, URL-encoded as CloudMapper does "+
						"(elbv2-describe-target-health-arn%3Aaws%3Aelasticloadbalancing%3A…%3Atargetgroup%2FNAME%2FID.json)",
					"or wrap the output as {\"TargetGroupArn\": \"arn:…\", \"TargetHealthDescriptions\": [...]}, as vpcgate collect writes it")
				continue
			}
		case "Entries":
			if f.plID == "" {
				f.plID = prefixListIDFromName(f.path)
			}
			if f.plID == "" && len(s.elems) > 0 {
				f.diag(graph.SeverityError, s.elems[0].start, s.elems[0].start,
					"prefix list entries without their list: get-managed-prefix-list-entries output does not name the list",
					"wrap it as {\"PrefixListId\": \"pl-…\", \"Entries\": [...]} or name the file after the list (pl-….json)")
				continue
			}
		}
		kept = append(kept, s)
	}
	f.sections = kept
}

// chunk decodes a run of elements of one section.
type chunk struct {
	f   *fileScan
	sec *section
	out *result
	// fast and lenient are the options of decodeOptions(false) and
	// decodeOptions(true).
	fast, lenient json.Options
	// slowTimes is set once an element of the chunk had a timestamp that
	// is not RFC 3339: the next ones of the same dump likely have too, so
	// they are decoded leniently at once.
	slowTimes bool
}

// source returns the provenance of the object at el.
func (c *chunk) source(el elem) graph.Source {
	return graph.Source{
		Form:    graph.FormDescribe,
		Range:   c.f.rng(el.start, el.end),
		Pointer: el.ptr,
		Account: c.f.account,
		Region:  c.f.region,
	}
}

// base returns the common fields of a node read from el.
func (c *chunk) base(kind graph.Kind, id string, el elem, tags map[string]string, name string) graph.Base {
	b := graph.Base{ID: id, Kind: kind, Tags: tags, Source: c.source(el)}
	b.Name = tags["Name"]
	if b.Name == "" {
		b.Name = name
	}
	if name != "" && name != b.Name {
		b.Aliases = append(b.Aliases, name)
	}
	return b
}

// attr records the range of the member key of the object at el (name and
// value) as attribute name.
func (c *chunk) attr(b *graph.Base, el elem, key, name string) {
	if m, ok := findMember(c.f.data[:el.end], el.start, key); ok {
		b.SetAttr(name, c.f.rng(m.name.start, m.value.end))
	}
}

// sub returns the elements of the array member key of the object at el,
// with their pointers, or nil.
func (c *chunk) sub(el elem, key string) []elem {
	spans := memberElems(c.f.data, el.span, key)
	if spans == nil {
		return nil
	}
	out := make([]elem, len(spans))
	prefix := el.ptr + "/" + key + "/"
	for i, s := range spans {
		out[i] = elem{span: s, ptr: prefix + strconv.Itoa(i)}
	}
	return out
}

// member returns the object member key of the object at el, or false.
func (c *chunk) member(el elem, key string) (elem, bool) {
	m, ok := findMember(c.f.data[:el.end], el.start, key)
	if !ok {
		return elem{}, false
	}
	return elem{span: m.value, ptr: el.ptr + "/" + key}, true
}

// rangeAt returns the range of the i-th of els, or of parent when els does
// not have that many elements.
func (c *chunk) rangeAt(els []elem, i int, parent elem) graph.Range {
	if i < len(els) {
		return c.f.rng(els[i].start, els[i].end)
	}
	return c.f.rng(parent.start, parent.end)
}

// add records a node read from its own command's output.
func (c *chunk) add(n graph.Node) { c.out.recs = append(c.out.recs, record{node: n}) }

// addDerived records a node seen inside another resource's description
// (an ENI in describe-instances); a node read from its own command wins
// over it.
func (c *chunk) addDerived(n graph.Node) {
	c.out.recs = append(c.out.recs, record{node: n, derived: true})
}

// decodeInto unmarshals the element into v, recording a diagnostic when it
// does not fit the SDK type.
func decodeInto[T any](c *chunk, el elem, v *T) bool {
	raw := c.f.data[el.start:el.end]
	if c.slowTimes {
		if err := json.Unmarshal(raw, v, c.lenient); err != nil {
			c.decodeError(el, err)
			return false
		}
		return true
	}
	err := json.Unmarshal(raw, v, c.fast)
	if err != nil && isTimeError(err) {
		var zero T
		*v = zero
		c.slowTimes = true
		err = json.Unmarshal(raw, v, c.lenient)
	}
	if err != nil {
		c.decodeError(el, err)
		return false
	}
	return true
}

// isTimeError reports whether err is a timestamp that RFC 3339 parsing
// refused.
func isTimeError(err error) bool {
	var se *json.SemanticError
	return errors.As(err, &se) && se.GoType == reflect.TypeFor[time.Time]()
}

// decodeError turns an unmarshal error into a diagnostic at the offending
// value.
func (c *chunk) decodeError(el elem, err error) {
	start, end := el.start, el.end
	at := el.ptr
	what := err.Error()
	var se *json.SemanticError
	var sy *jsontext.SyntacticError
	switch {
	case errors.As(err, &se):
		if off := el.start + int(se.ByteOffset); se.ByteOffset > 0 && off < el.end {
			start = off
			end = skipValue(c.f.data[:el.end], skipWS(c.f.data[:el.end], off))
			if end < start {
				end = start
			}
		}
		at += string(se.JSONPointer)
		switch {
		case se.Err != nil && se.JSONKind == 0:
			what = se.Err.Error()
		case se.Err != nil && se.GoType != nil && se.GoType.String() == "time.Time":
			what = se.Err.Error()
		case se.JSONKind != 0 && se.GoType != nil:
			what = fmt.Sprintf("a JSON %s where %s is expected", kindName(se.JSONKind), goKindName(se.GoType))
			if se.Err != nil {
				what += " (" + se.Err.Error() + ")"
			}
		case se.Err != nil:
			what = se.Err.Error()
		}
	case errors.As(err, &sy):
		if off := el.start + int(sy.ByteOffset); off < el.end {
			start, end = off, off
		}
		at += string(sy.JSONPointer)
		what = sy.Err.Error()
	}
	c.out.diags = append(c.out.diags, graph.Diagnostic{
		Severity: graph.SeverityError,
		Summary:  fmt.Sprintf("%s: wrong value at %s: %s", c.sec.cmd.name, at, what),
		Detail:   fmt.Sprintf("the element %s was skipped; the rest of the file was read", el.ptr),
		Range:    c.f.rng(start, end),
	})
}

// goKindName describes what JSON a Go type takes.
func goKindName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		if t.String() == "time.Time" {
			return "a timestamp"
		}
		return "an object"
	}
	return strings.ToLower(t.Kind().String())
}

// pointerToken escapes a JSON pointer reference token.
func pointerToken(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}
