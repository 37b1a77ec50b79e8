// Package describe reads the JSON output of the AWS CLI describe commands
// (ec2, elbv2, autoscaling, rds, ecs) into a graph fragment.
//
// Each file is recognised by its top-level key ("Vpcs", "SecurityGroups",
// "Reservations", "LoadBalancers"…), never by its name, and decoded into the
// aws-sdk-go-v2 output types, whose Go field names are the CLI's JSON names.
// Every node keeps the file, range and JSON pointer of the object it came
// from; rules, routes and ACL entries keep the range of their own object.
//
// Files may follow the CloudMapper layout <account>/<region>/<file>.json:
// a 12-digit account and a region name in the path fill Source.Account and
// Source.Region.
//
// Two outputs do not name their parent resource:
//   - elbv2 describe-target-health: wrap it as
//     {"TargetGroupArn": "arn:…", "TargetHealthDescriptions": [...]} (as the
//     vpcgate collector writes it), or put the target group ARN, URL-encoded
//     as CloudMapper does, in the file name;
//   - ec2 get-managed-prefix-list-entries: wrap it as
//     {"PrefixListId": "pl-…", "Entries": [...]}, or name the file after the
//     list (anything containing pl-<hex>).
//
// A resource described in several files (an ENI in describe-instances and
// in describe-network-interfaces, a group in two dumps) becomes one node:
// fields missing on one side are filled from the other, and different values
// are reported as a diagnostic, keeping the first. Rules from
// describe-security-group-rules are merged into their groups without
// counting a rule twice.
//
// How it reads: a first pass per file (files in parallel) walks the
// top-level object with a jsontext.Decoder, validating the syntax and
// recording the byte span of every element of each command's array (for
// describe-instances, of every instance inside the reservations). The
// elements are then decoded in chunks on up to GOMAXPROCS goroutines, each
// from its own span, into the SDK type; nested positions (rules, routes, ACL
// entries, attributes) come from a cheap scan of the element's bytes, and
// byte offsets become lines and columns by counting newlines from the
// nearest element start, whose line the scan recorded. An element that
// does not fit its SDK type is a diagnostic and is skipped; the rest of the
// file is read. The decoder is
// github.com/go-json-experiment/json (encoding/json/v2), which decodes the
// SDK types about three times faster than encoding/json (measured on
// describe-instances output).
package describe

import (
	"context"
	"sort"

	json "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/analyzer/ingest"
)

// File is one input file already read by the caller (the caller enforces
// size limits and the scanned root).
type File struct {
	// Path names the file in positions and diagnostics; its directories may
	// carry the account and region (CloudMapper layout).
	Path string
	// Data is the file's content.
	Data []byte
}

// Options tune Read: of what every reader shares (ingest.Options), the
// Account and Region recorded on nodes whose file path does not name them,
// Limits (nesting, MaxNodes elements kept) and Budget — shared by the
// readers of one analysis: each element kept claims one unit, in file
// order, past it the rest are cut with one error; nil: a budget of
// Limits.MaxNodes for these files alone. Root and Overlay do not apply:
// the caller reads the files.
type Options struct {
	ingest.Options
}

// chunkSize is how many elements of one array one decoding job takes.
const chunkSize = 256

// Detect reports whether data is describe output: a JSON object whose
// first member (after a wrapper or pagination member or two) is the list of
// a supported command. It reads only the start of the data.
func Detect(data []byte) bool {
	i := skipWS(data, 0)
	if len(data)-i >= 3 && data[i] == 0xEF && data[i+1] == 0xBB && data[i+2] == 0xBF {
		i = skipWS(data, i+3)
	}
	if i >= len(data) || data[i] != '{' {
		return false
	}
	i++
	for range 4 {
		i = skipWS(data, i)
		if i >= len(data) || data[i] != '"' {
			return false
		}
		end := skipString(data, i)
		if end < 0 {
			return false
		}
		key := string(data[i+1 : end-1])
		if _, ok := commandFor(key); ok {
			return true
		}
		if key != keyTargetGroupArn && key != keyPrefixListID && !ignoredKey(key) {
			return false
		}
		i = skipWS(data, end)
		if i >= len(data) || data[i] != ':' {
			return false
		}
		i = skipValue(data, skipWS(data, i+1))
		if i < 0 {
			return false
		}
		i = skipWS(data, i)
		if i >= len(data) || data[i] != ',' {
			return false
		}
		i++
	}
	return false
}

// Read decodes all files into one graph fragment: nodes plus diagnostics
// (graph.Graph.Diagnostics). It never panics and never returns early
// because one file is bad: a file that cannot be read is a diagnostic and
// the others still load. Files are decoded concurrently; the result does
// not depend on the order of files.
//
// Read is ReadParts then Assemble; a caller that keeps the parts of
// unchanged files (the engine does) re-reads only the files that changed.
func Read(ctx context.Context, files []File, opts Options) *graph.Graph {
	return Assemble(ctx, ReadParts(ctx, files, opts), opts)
}

// Part is what one file yields before the files are joined: its scan (the
// spans of its elements, its own diagnostics) and its decoded elements.
// A part is never changed once returned, so it may be joined again with
// other files' parts by later Assemble calls.
type Part struct {
	scan    *fileScan
	results []result
	elems   int
	// cut is set when the part was cut by the element budget while it was
	// read: it depends on the other files read with it and is not kept.
	cut bool
}

// Path returns the file the part was read from.
func (p *Part) Path() string { return p.scan.path }

// Detach returns a copy of p that does not hold its file's bytes — what a
// cache keeps between analyses (a part otherwise holds its whole file).
// Attach gives a detached part its bytes back (the same bytes: the caller
// checks their hash) before it is assembled again; a detached part must
// not be assembled.
func (p *Part) Detach() *Part { return p.withData(nil) }

// Attach returns a copy of p reading data as its file's bytes.
func (p *Part) Attach(data []byte) *Part { return p.withData(data) }

func (p *Part) withData(data []byte) *Part {
	f := *p.scan
	f.data = data
	if f.lines != nil {
		l := *f.lines
		l.data = data
		f.lines = &l
	}
	q := *p
	q.scan = &f
	return &q
}

// Reusable reports whether the part depends on its file alone (it was not
// cut by the element budget of the files read with it).
func (p *Part) Reusable() bool { return !p.cut }

// ReadParts scans and decodes each file on its own: files in parallel, then
// the elements in chunks on up to GOMAXPROCS goroutines. Elements past
// Limits.MaxNodes (or the budget's size) over the files, in path order,
// are left out with one error. When ctx is done the parts are incomplete.
func ReadParts(ctx context.Context, files []File, opts Options) []*Part {
	files = append([]File(nil), files...)
	sort.SliceStable(files, func(i, j int) bool { return files[i].Path < files[j].Path })

	scans := make([]*fileScan, len(files))
	ingest.Parallel(ctx, len(files), func(i int) { scans[i] = safeScan(ctx, files[i], opts) })
	max := opts.Limits.WithDefaults().MaxNodes
	if opts.Budget != nil {
		max = int(opts.Budget.Max())
	}
	local := ingest.NewBudget(max)
	cut := make([]bool, len(scans))
	for i, f := range scans {
		if f == nil {
			continue
		}
		before := countElems(f)
		claimBudget(scans[i:i+1], local)
		cut[i] = countElems(f) != before || f.cut >= 0
	}
	parts := make([]*Part, 0, len(scans))
	for i, f := range scans {
		if f == nil {
			continue
		}
		parts = append(parts, &Part{scan: f, elems: countElems(f), cut: cut[i]})
	}
	decodeParts(ctx, parts)
	return parts
}

// countElems returns the elements f keeps.
func countElems(f *fileScan) int {
	n := 0
	for s := range f.sections {
		n += len(f.sections[s].elems)
	}
	return n
}

// decodeParts decodes the elements of every part, in chunks on up to
// GOMAXPROCS goroutines.
func decodeParts(ctx context.Context, parts []*Part) {
	type job struct {
		p      *Part
		sec    *section
		lo, hi int
		out    int
	}
	var jobs []job
	for _, p := range parts {
		f := p.scan
		for s := range f.sections {
			sec := &f.sections[s]
			for lo := 0; lo < len(sec.elems); lo += chunkSize {
				jobs = append(jobs, job{p: p, sec: sec, lo: lo, hi: min(lo+chunkSize, len(sec.elems)), out: len(p.results)})
				p.results = append(p.results, result{})
			}
		}
	}
	fast, lenient := decodeOptions(false), decodeOptions(true)
	ingest.Parallel(ctx, len(jobs), func(j int) {
		jb := jobs[j]
		c := &chunk{f: jb.p.scan, sec: jb.sec, out: &jb.p.results[jb.out], fast: fast, lenient: lenient}
		for i := jb.lo; i < jb.hi; i++ {
			if (i-jb.lo)%16 == 15 && ctx.Err() != nil {
				// A chunk of instances decodes in tens of milliseconds: a
				// cancelled read stops within a few elements.
				return
			}
			safeDecode(c, elem{span: jb.sec.elems[i], ptr: jb.sec.pointer(i)})
		}
	})
}

// Assemble joins parts into one fragment: a resource described in several
// files becomes one node, rules join their groups, target health its
// target groups. Each part's elements claim the analysis budget
// (opts.Budget), in path order; a part refused is read again cut where the
// budget ends. Assemble never changes a part: nodes it fills are copies.
func Assemble(ctx context.Context, parts []*Part, opts Options) *graph.Graph {
	parts = append([]*Part(nil), parts...)
	sort.SliceStable(parts, func(i, j int) bool { return parts[i].Path() < parts[j].Path() })
	if b := opts.Budget; b != nil {
		for i, p := range parts {
			ok, first := b.Take(p.elems)
			if !ok {
				allowed := max(0, p.elems-int(b.Used()-b.Max()))
				say := first && !p.cut // else the part already says it was cut
				parts[i] = p.cutTo(ctx, allowed, b, say)
			}
			if p.scan.cut >= 0 {
				// The file alone holds more elements than the budget (its
				// scan says where it stops): nothing after it is kept.
				b.Take(int(b.Max()) + 1)
			}
		}
	}
	n := 0
	for _, p := range parts {
		for j := range p.results {
			n += len(p.results[j].recs)
		}
	}
	a := newAssembler(n)
	scans := make([]*fileScan, 0, len(parts))
	for _, p := range parts {
		scans = append(scans, p.scan)
		a.diags = append(a.diags, p.scan.diags...)
	}
	a.diags = append(a.diags, unmodelledDiags(scans)...)
	for _, p := range parts {
		for j := range p.results {
			if ctx.Err() != nil {
				break
			}
			a.addResult(&p.results[j], p.scan)
		}
	}
	if err := ctx.Err(); err != nil {
		return a.stopped(err)
	}
	return a.finish(ctx)
}

// stopped is what Assemble returns once ctx is done: what was joined so
// far, not finished (the caller sees ctx done and throws it away).
func (a *assembler) stopped(err error) *graph.Graph {
	g := graph.New()
	g.Diagnostics = append(a.diags, graph.Diagnostic{Severity: graph.SeverityError, Summary: "reading describe output stopped: " + err.Error()})
	return g
}

// cutTo returns a copy of p keeping its first keep elements, decoded
// again, with the error that says where the budget cut it.
func (p *Part) cutTo(ctx context.Context, keep int, b *ingest.Budget, say bool) *Part {
	f := *p.scan
	f.diags = append([]graph.Diagnostic(nil), p.scan.diags...)
	f.sections = append([]section(nil), p.scan.sections...)
	left := keep
	for s := range f.sections {
		sec := &f.sections[s]
		if len(sec.elems) <= left {
			left -= len(sec.elems)
			continue
		}
		if say {
			i := left
			f.diag(graph.SeverityError, sec.elems[i].start, sec.elems[i].end, b.CutSummary(sec.cmd.name+" element "+ingest.Excerpt(sec.pointer(i))), "")
			say = false // one error per analysis
		}
		sec.elems = sec.elems[:left]
		if sec.ptrs != nil {
			sec.ptrs = sec.ptrs[:left]
		}
		if sec.idx != nil {
			sec.idx = sec.idx[:left]
		}
		left = 0
	}
	q := &Part{scan: &f, elems: keep, cut: true}
	decodeParts(ctx, []*Part{q})
	return q
}

// decodeOptions returns the unmarshal options: names matched
// case-insensitively (ECS output is camelCase), duplicate names and invalid
// UTF-8 let through. With lenientTimes every timestamp form of real dumps
// is accepted; without, only RFC 3339 (the SDK's default), which decodes
// faster: elements are decoded that way first and again leniently only when
// a timestamp fails.
func decodeOptions(lenientTimes bool) json.Options {
	opts := json.JoinOptions(
		json.MatchCaseInsensitiveNames(true),
		jsontext.AllowDuplicateNames(true),
		jsontext.AllowInvalidUTF8(true),
	)
	if lenientTimes {
		opts = json.JoinOptions(opts, json.WithUnmarshalers(json.UnmarshalFromFunc(decodeTime)))
	}
	return opts
}

// safeScan scans one file, turning a panic into a diagnostic.
func safeScan(ctx context.Context, file File, opts Options) (f *fileScan) {
	defer func() {
		if r := recover(); r != nil {
			f = &fileScan{path: file.Path, data: file.Data, lines: newLineIndex(file.Path, file.Data), cut: -1}
			f.diag(graph.SeverityError, 0, 0, "internal error reading the file", sprint(r))
		}
	}()
	return scanFile(ctx, file, opts)
}

// safeDecode decodes one element, turning a panic in a converter into a
// diagnostic so that one odd element never stops the run.
func safeDecode(c *chunk, el elem) {
	defer func() {
		if r := recover(); r != nil {
			c.out.diags = append(c.out.diags, graph.Diagnostic{
				Severity: graph.SeverityError,
				Summary:  c.sec.cmd.name + ": internal error reading " + el.ptr,
				Detail:   sprint(r),
				Range:    c.f.rng(el.start, el.end),
			})
		}
	}()
	c.sec.cmd.decode(c, el)
}
