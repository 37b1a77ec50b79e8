package describe

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/analyzer/ingest"
	"github.com/vpcgate/vpcgate/analyzer/ingest/depth"
)

// maxDiagsPerFile bounds the diagnostics one file yields: past it one
// more says how many were left out.
const maxDiagsPerFile = 1000

// checkText refuses a file that is not UTF-8 or nests deeper than
// Limits.MaxDepth, with one located error, and sets the file's element
// bound. It reports whether the file may be scanned.
func (f *fileScan) checkText(opts Options) bool {
	f.cut = -1
	f.maxElems = opts.Limits.WithDefaults().MaxNodes
	if opts.Budget != nil {
		f.maxElems = int(opts.Budget.Max())
	}
	valid, err := validUTF8(f.ctx, f.data)
	if err != nil {
		return false
	}
	if !valid {
		// Locate the first bad byte.
		var ee *ingest.EncodingError
		if err := ingest.CheckUTF8(f.path, f.data); errors.As(err, &ee) {
			f.diag(graph.SeverityError, ee.Offset, ee.Offset, ee.Summary()+"; the file is not read", "")
			return false
		}
	}
	ctx := f.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	var de *depth.Error
	if err := depth.JSONContext(ctx, f.path, f.data, opts.Limits.MaxDepth); err != nil && !errors.As(err, &de) {
		return false
	} else if errors.As(err, &de) {
		f.diag(graph.SeverityError, de.Offset, de.Offset, de.Summary(), "")
		return false
	}
	return true
}

// keep decides whether the element v (ending at end) of cmd's array is
// recorded: empty objects are counted and skipped; past the file's
// element bound the rest are left out.
func (f *fileScan) keep(cmd command, v jsontext.Value, end int) bool {
	start := end - len(v)
	if isEmptyObject(v) {
		if f.empty == nil {
			f.empty = map[string]*skipped{}
		}
		s := f.empty[cmd.name]
		if s == nil {
			s = &skipped{start: start, end: end}
			f.empty[cmd.name] = s
		}
		s.n++
		return false
	}
	if k := idKeys[cmd.name]; k != "" && len(v) > 0 && v[0] == '{' && !hasKey(v, k) {
		if f.noID == nil {
			f.noID = map[string]*skipped{}
		}
		s := f.noID[cmd.name]
		if s == nil {
			s = &skipped{start: start, end: end}
			f.noID[cmd.name] = s
		}
		s.n++
		return false
	}
	if f.nElems >= f.maxElems {
		if f.cut < 0 {
			f.cut, f.cutCmd = start, cmd.name
		}
		return false
	}
	f.nElems++
	return true
}

func isEmptyObject(v []byte) bool {
	v = bytes.TrimSpace(v)
	if len(v) < 2 || v[0] != '{' || v[len(v)-1] != '}' {
		return false
	}
	return len(bytes.TrimSpace(v[1:len(v)-1])) == 0
}

// skippedDiags raises one warning per command for its empty elements.
func (f *fileScan) skippedDiags() {
	names := make([]string, 0, len(f.empty))
	for n := range f.empty {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		s := f.empty[n]
		f.diag(graph.SeverityWarning, s.start, s.end, n+": empty element skipped"+more(s.n), "")
	}
	names = names[:0]
	for n := range f.noID {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		s := f.noID[n]
		f.diag(graph.SeverityWarning, s.start, s.end, fmt.Sprintf("%s: element without %s skipped%s", n, idKeys[n], more(s.n)), "")
	}
}

// idKeys are the id members of the EC2 (and classic ELB) commands whose elements without
// one are skipped before they are decoded, by command name.
var idKeys = map[string]string{
	"ec2 describe-vpcs":               "VpcId",
	"ec2 describe-subnets":            "SubnetId",
	"ec2 describe-instances":          "InstanceId",
	"ec2 describe-network-interfaces": "NetworkInterfaceId",
	"ec2 describe-route-tables":       "RouteTableId",
	"ec2 describe-internet-gateways":  "InternetGatewayId",
	"ec2 describe-nat-gateways":       "NatGatewayId",
	"ec2 describe-network-acls":       "NetworkAclId",
	"elb describe-load-balancers":     "LoadBalancerName",
}

// hasKey reports whether the object v may have the member key (names
// match case-insensitively, as the decoder does). It may say yes for a
// key nested deeper: the decoder then decides.
func hasKey(v []byte, key string) bool {
	if bytes.Contains(v, []byte(`"`+key+`"`)) {
		return true
	}
	return bytes.Contains(bytes.ToLower(v), []byte(`"`+strings.ToLower(key)+`"`))
}

// more is " (and N more in this file)" for a cause seen n times.
func more(n int) string {
	if n <= 1 {
		return ""
	}
	return " (and " + thousands(n-1) + " more in this file)"
}

// thousands formats n with comma separators.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// claimBudget claims one unit of the analysis budget per element kept, in
// file order; elements past it are dropped and the first one dropped
// carries the one error that says so.
func claimBudget(scans []*fileScan, b *ingest.Budget) {
	for _, f := range scans {
		if f == nil {
			continue
		}
		for s := range f.sections {
			sec := &f.sections[s]
			for i := range sec.elems {
				ok, first := b.Take(1)
				if ok {
					continue
				}
				if first {
					f.diag(graph.SeverityError, sec.elems[i].start, sec.elems[i].end, b.CutSummary(sec.cmd.name+" element "+ingest.Excerpt(sec.pointer(i))), "")
				}
				sec.elems = sec.elems[:i]
				if sec.ptrs != nil {
					sec.ptrs = sec.ptrs[:i]
				}
				if sec.idx != nil {
					sec.idx = sec.idx[:i]
				}
				break
			}
		}
		if f.cut >= 0 {
			if _, first := b.Take(int(b.Max()) + 1); first {
				f.diag(graph.SeverityError, f.cut, f.cut, b.CutSummary(f.cutCmd+" elements from here"), "")
			}
		}
	}
}

// capDiags keeps at most maxDiagsPerFile diagnostics per file (errors
// first), replacing the rest with one that counts them.
func capDiags(ds []graph.Diagnostic) []graph.Diagnostic {
	per := map[string]int{}
	for _, d := range ds {
		per[d.Range.File]++
	}
	over := false
	for _, n := range per {
		over = over || n > maxDiagsPerFile
	}
	if !over {
		return ds
	}
	rank := map[graph.Severity]int{graph.SeverityError: 0, graph.SeverityWarning: 1, graph.SeverityInfo: 2}
	sort.SliceStable(ds, func(i, j int) bool { return rank[ds[i].Severity] < rank[ds[j].Severity] })
	kept := ds[:0]
	seen := map[string]int{}
	first := map[string]graph.Range{}
	for _, d := range ds {
		f := d.Range.File
		if seen[f]++; seen[f] <= maxDiagsPerFile {
			kept = append(kept, d)
		} else if seen[f] == maxDiagsPerFile+1 {
			first[f] = d.Range
		}
	}
	files := make([]string, 0, len(first))
	for f := range first {
		files = append(files, f)
	}
	sort.Strings(files)
	for _, f := range files {
		kept = append(kept, graph.Diagnostic{Severity: graph.SeverityWarning, Range: first[f],
			Summary: fmt.Sprintf("%s more diagnostics in this file not shown", thousands(per[f]-maxDiagsPerFile))})
	}
	return kept
}

// groupKey is one cause of repeated diagnostics in one file.
type groupKey struct {
	cause, file string
}

// grouped holds the first diagnostic of a cause and how often it came.
type grouped struct {
	d graph.Diagnostic
	n int
}

// group records d under cause: one diagnostic per cause and file, with a
// count, rather than one per element.
func (a *assembler) group(cause string, d graph.Diagnostic) {
	if a.groups == nil {
		a.groups = map[groupKey]*grouped{}
	}
	k := groupKey{cause, d.Range.File}
	g := a.groups[k]
	if g == nil {
		a.groups[k] = &grouped{d: d, n: 1}
		return
	}
	g.n++
	if d.Range.Less(g.d.Range) {
		g.d = d
	}
}

// groupedDiags returns the grouped diagnostics, each with its count.
func (a *assembler) groupedDiags() []graph.Diagnostic {
	out := make([]graph.Diagnostic, 0, len(a.groups))
	for _, g := range a.groups {
		d := g.d
		d.Summary += more(g.n)
		out = append(out, d)
	}
	return out
}

// validUTF8 reports whether data is valid UTF-8, a few MiB at a time so
// that a done ctx stops it (with ctx's error).
func validUTF8(ctx context.Context, data []byte) (bool, error) {
	const chunk = 4 << 20
	for lo := 0; lo < len(data); {
		if ctx != nil && ctx.Err() != nil {
			return false, ctx.Err()
		}
		hi := min(lo+chunk, len(data))
		// Do not split a character: back up over continuation bytes.
		for k := 0; k < 3 && hi < len(data) && hi > lo && data[hi]&0xC0 == 0x80; k++ {
			hi--
		}
		if !utf8.Valid(data[lo:hi]) {
			return false, nil
		}
		lo = hi
	}
	return true, nil
}
