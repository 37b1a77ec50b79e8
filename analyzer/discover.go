package analyzer

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/analyzer/ingest"
)

// DefaultMaxFileSize bounds the size of one input file (bytes).
const DefaultMaxFileSize = 256 << 20

// found is one input discovered under the scanned paths.
type found struct {
	kind inputKind
	path string // file or folder
	root string // the scanned root it was found under
	data []byte // file content (nil for folders)
	// arg is the path argument the input was found under; scope prefixes
	// the input's address ids when it lies inside that argument rather
	// than being it (scope.go).
	arg   string
	scope string
}

// setArg records the path argument of inputs found under it.
func setArg(ins []found, arg string) {
	for i := range ins {
		ins[i].arg = arg
	}
}

// discovery is the result of walking the inputs.
type discovery struct {
	inputs []found
	diags  []graph.Diagnostic
	// unsupported are files in a form vpcgate recognises but does not
	// read (Terraform JSON, override files).
	unsupported []string
	// arg is the path argument being walked (skip patterns are relative
	// to it).
	arg string
	// queued are the walked files that may be inputs, read and classified
	// together once the walk is done (classifyQueued).
	queued []queuedFile
}

// queuedFile is a walked file waiting to be read and classified.
type queuedFile struct{ path, root, ext string }

// noise lists JSON/YAML files that sit beside infrastructure code and are
// never inputs.
var noise = map[string]bool{
	"package.json": true, "package-lock.json": true, "tsconfig.json": true, "cdk.json": true,
	"tree.json": true, "cdk.context.json": true, ".vpcgate.yaml": true, ".vpcgate.yml": true,
	"modules.json": true, ".pre-commit-config.yaml": true, "docker-compose.yml": true,
	"docker-compose.yaml": true,
}

// skipDir lists folders never walked into.
var skipDir = map[string]bool{".git": true, ".terraform": true, "node_modules": true, ".hg": true, ".svn": true}

// discover walks paths and classifies every input file. Explicitly named
// files that are not recognized are diagnostics; walked files that are not
// recognized are skipped unless they look like AWS output.
func (a *analysis) discover(paths []string) (*discovery, error) {
	d := &discovery{}
	tfDirs := map[string]string{} // dir → root
	tfArg := map[string]string{}  // dir → the path argument it was found under
	for _, p := range paths {
		start := len(d.inputs)
		info, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("input %s: %w", p, err)
		}
		if !info.IsDir() {
			root := filepath.Dir(p)
			if a.opts.Root != "" {
				root = a.opts.Root
			}
			if strings.HasSuffix(p, ".tf") && isOverride(filepath.Base(p)) {
				d.unsupported = append(d.unsupported, p)
				continue
			}
			if strings.HasSuffix(p, ".tf") {
				tfDirs[filepath.Dir(p)] = root
				if _, ok := tfArg[filepath.Dir(p)]; !ok {
					tfArg[filepath.Dir(p)] = filepath.Dir(p)
				}
				continue
			}
			a.classifyFile(d, p, root)
			setArg(d.inputs[start:], p)
			continue
		}
		root := p
		if a.opts.Root != "" {
			root = a.opts.Root
		}
		before := len(d.inputs) + len(tfDirs)
		d.arg = p
		a.walk(d, p, root, tfDirs, map[string]bool{})
		a.classifyQueued(d)
		setArg(d.inputs[start:], p)
		for dir := range tfDirs {
			if _, ok := tfArg[dir]; !ok {
				tfArg[dir] = p
			}
		}
		if len(d.inputs)+len(tfDirs) == before {
			d.diags = append(d.diags, graph.Diagnostic{
				Severity: graph.SeverityWarning,
				Summary:  "no input found in folder",
				Detail:   "expected describe JSON, Terraform (.tf), Terraform plan JSON, CloudFormation templates or a cdk.out folder",
				Range:    graph.Range{File: p},
			})
		}
	}
	d.inputs = preferPlans(d, tfDirs)
	for _, dir := range a.rootModules(tfDirs) {
		d.inputs = append(d.inputs, found{kind: kindTerraformDir, path: dir, root: tfDirs[dir], arg: tfArg[dir]})
	}
	sort.SliceStable(d.inputs, func(i, j int) bool { return d.inputs[i].path < d.inputs[j].path })
	assignScopes(d.inputs)
	return d, nil
}

// preferPlans keeps one Terraform JSON per folder and lets it stand for
// the configuration beside it: a plan and a state of the same folder
// describe the same resources (the plan, what the change will make, wins
// over the state), and the plan reader maps positions back to the .tf files
// itself, so that folder is not also read as a module.
func preferPlans(d *discovery, tfDirs map[string]string) []found {
	best := map[string]int{} // folder → index in d.inputs of its chosen JSON
	for i, in := range d.inputs {
		if in.kind != kindTerraformPlan {
			continue
		}
		dir := filepath.Dir(in.path)
		j, ok := best[dir]
		if !ok || (isPlan(in.data) && !isPlan(d.inputs[j].data)) {
			best[dir] = i
		}
	}
	var out []found
	for i, in := range d.inputs {
		if in.kind == kindTerraformPlan {
			dir := filepath.Dir(in.path)
			if best[dir] != i {
				d.diags = append(d.diags, graph.Diagnostic{
					Severity: graph.SeverityInfo,
					Summary:  "Terraform JSON not read: " + filepath.Base(d.inputs[best[dir]].path) + " in the same folder describes the same configuration",
					Range:    graph.Range{File: in.path},
				})
				continue
			}
			delete(tfDirs, dir)
		}
		out = append(out, in)
	}
	return out
}

// isPlan tells a plan (planned_values, resource_changes) from a state.
func isPlan(data []byte) bool {
	return bytes.Contains(data, []byte(`"planned_values"`)) || bytes.Contains(data, []byte(`"resource_changes"`))
}

// rootModules keeps the Terraform folders that are root modules. A folder
// is a called module when another scanned folder calls it by a local
// source (module "x" { source = "../x" }), or when it lies inside a
// "modules" folder of the scanned root; every other folder is a root, a
// folder nested below another one (envs/prod beside a module's own .tf
// files, a module repository's examples/*) included.
func (a *analysis) rootModules(dirs map[string]string) []string {
	var all []string
	for d := range dirs {
		all = append(all, d)
	}
	sort.Strings(all)
	// Parsing the calls parses the modules' files through the loader's
	// cache, so the reads that follow parse nothing again: side by side.
	sources := make([][]string, len(all))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	touchedDirs := map[string]bool{}
	for p := range a.touched {
		touchedDirs[filepath.Dir(p)] = true
	}
	for i, d := range all {
		if a.ctx != nil && a.ctx.Err() != nil {
			break
		}
		// An update that names no file of the folder keeps its calls.
		if known, ok := a.modSources[absPath(d)]; ok && a.touched != nil && !touchedDirs[absPath(d)] {
			sources[i] = known
			continue
		}
		sem <- struct{}{}
		wg.Go(func() {
			defer func() {
				recover() // the module's own read reports what is wrong with it
				<-sem
			}()
			sources[i] = a.tf.LocalModuleSources(d, a.opts.Overlay, a.limits.MaxDepth)
		})
	}
	wg.Wait()
	if a.ctx != nil && a.ctx.Err() != nil {
		return nil
	}
	if a.modSources != nil && !a.otherRevision {
		for k := range a.modSources {
			delete(a.modSources, k)
		}
		for i, d := range all {
			a.modSources[absPath(d)] = sources[i]
		}
	}
	called := map[string]bool{}
	for i, d := range all {
		for _, src := range sources[i] {
			if src != absPath(d) {
				called[src] = true
			}
		}
	}
	var out []string
	for _, d := range all {
		if called[absPath(d)] {
			continue
		}
		if len(dirs) > 1 && isUnderModules(d, dirs[d]) {
			continue
		}
		out = append(out, d)
	}
	return out
}

func isUnderModules(dir, root string) bool {
	rel, err := filepath.Rel(root, dir)
	if err != nil {
		return false
	}
	for _, part := range strings.Split(rel, string(filepath.Separator)) {
		if part == "modules" {
			return true
		}
	}
	return false
}

func (a *analysis) walk(d *discovery, dir, root string, tfDirs map[string]string, visited map[string]bool) {
	real, err := filepath.EvalSymlinks(dir)
	if err == nil {
		if visited[real] {
			return
		}
		visited[real] = true
	}
	if k, ok := a.detectDir(dir); ok {
		d.inputs = append(d.inputs, found{kind: k, path: dir, root: root})
		return
	}
	entries, err := os.ReadDir(dir)
	if err != nil && !a.overlayUnder(dir) {
		d.diags = append(d.diags, graph.Diagnostic{Severity: graph.SeverityError, Summary: "cannot read folder", Detail: err.Error(), Range: graph.Range{File: dir}})
		return
	}
	entries = a.withOverlay(dir, entries)
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		if a.isAbsent(p) {
			continue
		}
		if len(a.skipPaths) > 0 {
			if rel, err := filepath.Rel(d.arg, p); err == nil && skipped(a.skipPaths, filepath.ToSlash(rel)) {
				continue
			}
		}
		mode := e.Type()
		if mode&fs.ModeSymlink != 0 {
			target, ok := a.insideRoot(d, p, root)
			if !ok {
				continue
			}
			st, err := os.Stat(target)
			if err != nil {
				continue
			}
			if st.IsDir() {
				if !skipDir[e.Name()] {
					a.walk(d, p, root, tfDirs, visited)
				}
				continue
			}
			mode = st.Mode().Type()
		}
		if mode.IsDir() || e.IsDir() {
			if skipDir[e.Name()] {
				continue
			}
			a.walk(d, p, root, tfDirs, visited)
			continue
		}
		if !mode.IsRegular() {
			continue
		}
		if strings.HasSuffix(e.Name(), ".tf") {
			if isOverride(e.Name()) {
				// Not read: a folder holding only override files has no
				// input (the module reader notes them beside other .tf).
				d.unsupported = append(d.unsupported, p)
				continue
			}
			tfDirs[dir] = root
			continue
		}
		if strings.HasSuffix(e.Name(), ".tf.json") {
			d.unsupported = append(d.unsupported, p)
			continue
		}
		a.queueFile(d, p, root)
	}
}

// insideRoot resolves a symlink and reports whether it stays in root (or
// the user allowed leaving it); a link out of root is a diagnostic.
func (a *analysis) insideRoot(d *discovery, p, root string) (string, bool) {
	target, err := filepath.EvalSymlinks(p)
	if err != nil {
		d.diags = append(d.diags, graph.Diagnostic{Severity: graph.SeverityWarning, Summary: "broken symbolic link skipped", Detail: err.Error(), Range: graph.Range{File: p}})
		return "", false
	}
	if a.opts.AllowOutsideRoot {
		return target, true
	}
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		realRoot = root
	}
	absRoot, _ := filepath.Abs(realRoot)
	absTarget, _ := filepath.Abs(target)
	if absTarget != absRoot && !strings.HasPrefix(absTarget, absRoot+string(filepath.Separator)) {
		d.diags = append(d.diags, graph.Diagnostic{
			Severity: graph.SeverityWarning,
			Summary:  "symbolic link out of the scanned root not followed",
			Detail:   fmt.Sprintf("%s points to %s, outside %s (allow with the AllowOutsideRoot option)", p, target, root),
			Range:    graph.Range{File: p},
		})
		return "", false
	}
	return target, true
}

// candidateExt returns the lower-case extension of a file that may be an
// input, or false for a file never read (wrong extension, .tfvars, files
// that sit beside infrastructure code). An explicitly named file of the
// wrong type is a diagnostic.
func candidateExt(d *discovery, p string, explicit bool) (string, bool) {
	name := filepath.Base(p)
	ext := strings.ToLower(filepath.Ext(name))
	switch ext {
	case ".json", ".yaml", ".yml", ".template", ".tfvars":
	default:
		if explicit {
			d.diags = append(d.diags, graph.Diagnostic{Severity: graph.SeverityError, Summary: "unrecognized input file type", Detail: "expected .json, .yaml, .yml, .template or .tf", Range: graph.Range{File: p}})
		}
		return "", false
	}
	if ext == ".tfvars" || (!explicit && noise[name]) || (!explicit && strings.HasSuffix(name, ".assets.json")) {
		return "", false
	}
	return ext, true
}

// classifyFile reads one explicitly named file and decides its form.
func (a *analysis) classifyFile(d *discovery, p, root string) {
	if a.ctx != nil && a.ctx.Err() != nil {
		return
	}
	ext, ok := candidateExt(d, p, true)
	if !ok {
		return
	}
	data, err := a.readFile(p)
	if err != nil {
		d.readError(p, err)
		return
	}
	a.classify(d, p, root, data, true, ext)
}

// readError records that file p could not be read.
func (d *discovery) readError(p string, err error) {
	d.diags = append(d.diags, graph.Diagnostic{Severity: graph.SeverityError, Summary: err.Error(), Range: graph.Range{File: p, Start: graph.Pos{Line: 1, Column: 1}}})
}

// queueFile notes a walked file that may be an input.
func (a *analysis) queueFile(d *discovery, p, root string) {
	if ext, ok := candidateExt(d, p, false); ok {
		d.queued = append(d.queued, queuedFile{path: p, root: root, ext: ext})
	}
}

// classifyQueued reads the queued files on every core (a dump folder of
// 85 MB took 0.3 s read one file after another), hashing each as it is
// read, then classifies them in walk order.
func (a *analysis) classifyQueued(d *discovery) {
	q := d.queued
	d.queued = nil
	type read struct {
		data []byte
		err  error
	}
	out := make([]read, len(q))
	ctx := a.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	ingest.Parallel(ctx, len(q), func(i int) {
		data, err := a.readFile(q[i].path)
		out[i] = read{data, err}
		if err == nil {
			a.dataHash(found{path: q[i].path, data: data})
		}
	})
	if ctx.Err() != nil {
		return
	}
	for i, f := range q {
		if out[i].err != nil {
			d.readError(f.path, out[i].err)
			continue
		}
		a.classify(d, f.path, f.root, out[i].data, false, f.ext)
	}
}

// classifyData decides the form of an input held in memory.
func (a *analysis) classifyData(d *discovery, p string, data []byte) {
	a.classify(d, p, filepath.Dir(p), data, true, strings.ToLower(filepath.Ext(p)))
}

func (a *analysis) classify(d *discovery, p, root string, data []byte, explicit bool, ext string) {
	if len(bytes.TrimSpace(data)) == 0 {
		d.diags = append(d.diags, graph.Diagnostic{Severity: graph.SeverityError, Summary: "empty file", Range: graph.Range{File: p, Start: graph.Pos{Line: 1, Column: 1}}})
		return
	}
	if k, ok := a.detect(p, data); ok {
		d.inputs = append(d.inputs, found{kind: k, path: p, root: root, data: data})
		return
	}
	if ext == ".json" && (explicit || looksLikeAWSOutput(data)) {
		// Let the describe reader report what is wrong with it (unknown
		// key, truncated JSON) with a line number.
		d.inputs = append(d.inputs, found{kind: kindDescribe, path: p, root: root, data: data})
		return
	}
	if explicit {
		d.diags = append(d.diags, graph.Diagnostic{Severity: graph.SeverityError, Summary: "not a recognized input", Detail: "not describe JSON, Terraform plan JSON or a CloudFormation template", Range: graph.Range{File: p, Start: graph.Pos{Line: 1, Column: 1}}})
	}
}

// looksLikeAWSOutput reports whether JSON data starts like an AWS API
// response: an object whose first key is capitalized, or is not an object
// at all (truncated or wrong JSON in a dump folder).
func looksLikeAWSOutput(data []byte) bool {
	t := bytes.TrimLeft(data, " \t\r\n\ufeff")
	if len(t) == 0 || t[0] != '{' {
		return true
	}
	t = bytes.TrimLeft(t[1:], " \t\r\n")
	if len(t) == 0 {
		return true
	}
	if t[0] != '"' || len(t) < 2 {
		return true
	}
	c := t[1]
	return c >= 'A' && c <= 'Z'
}

// overlayUnder reports whether the overlay holds a file under dir.
func (a *analysis) overlayUnder(dir string) bool {
	ad := absPath(dir) + string(filepath.Separator)
	for p, b := range a.overlay {
		if b != nil && strings.HasPrefix(p, ad) {
			return true
		}
	}
	return false
}

// isAbsent reports whether the overlay says a path does not exist in this
// analysis.
func (a *analysis) isAbsent(p string) bool {
	b, ok := a.overlay[absPath(p)]
	return ok && b == nil
}

// withOverlay adds to a folder's entries the files and folders that only
// the overlay holds (a base revision's file deleted in the working tree).
func (a *analysis) withOverlay(dir string, entries []fs.DirEntry) []fs.DirEntry {
	if len(a.overlay) == 0 {
		return entries
	}
	ad := absPath(dir) + string(filepath.Separator)
	seen := make(map[string]bool, len(entries))
	for _, e := range entries {
		seen[e.Name()] = true
	}
	var extra []fs.DirEntry
	for p, b := range a.overlay {
		if b == nil || !strings.HasPrefix(p, ad) {
			continue
		}
		rest := p[len(ad):]
		name, sub, isDir := strings.Cut(rest, string(filepath.Separator))
		_ = sub
		if seen[name] {
			continue
		}
		seen[name] = true
		extra = append(extra, overlayEntry{name: name, dir: isDir})
	}
	if len(extra) == 0 {
		return entries
	}
	out := append(append([]fs.DirEntry(nil), entries...), extra...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out
}

// overlayEntry is a folder entry only the overlay holds.
type overlayEntry struct {
	name string
	dir  bool
}

func (o overlayEntry) Name() string { return o.name }
func (o overlayEntry) IsDir() bool  { return o.dir }
func (o overlayEntry) Type() fs.FileMode {
	if o.dir {
		return fs.ModeDir
	}
	return 0
}
func (o overlayEntry) Info() (fs.FileInfo, error) { return nil, fs.ErrNotExist }

// isOverride reports whether a .tf file is a Terraform override file,
// which vpcgate does not merge.
func isOverride(name string) bool {
	return name == "override.tf" || strings.HasSuffix(name, "_override.tf")
}

// readFull is io.ReadFull in 4 MiB reads, stopping with the analysis'
// context's error once it is done (a cancelled analysis does not wait for
// a large file).
func (a *analysis) readFull(r io.Reader, buf []byte) (int, error) {
	const chunk = 4 << 20
	n := 0
	for n < len(buf) {
		if a.ctx != nil && a.ctx.Err() != nil {
			return n, a.ctx.Err()
		}
		m, err := io.ReadFull(r, buf[n:min(n+chunk, len(buf))])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

func (a *analysis) readFile(p string) ([]byte, error) {
	if b, ok := a.overlay[absPath(p)]; ok {
		if b == nil {
			return nil, fmt.Errorf("cannot read file: %w", fs.ErrNotExist)
		}
		return b, nil
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("cannot read file: %w", err)
	}
	defer f.Close()
	limit := a.opts.MaxFileSize
	if limit <= 0 {
		limit = DefaultMaxFileSize
	}
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("cannot read file: %w", err)
	}
	if st.Size() > limit {
		return nil, fmt.Errorf("file larger than the limit of %d bytes (raise it with Limits.MaxFileSize)", limit)
	}
	// Size the buffer from Stat: one allocation, no regrowth. A file that
	// grows while being read is cut at the limit and refused.
	data := make([]byte, st.Size())
	n, err := a.readFull(f, data)
	if err != nil && err != io.ErrUnexpectedEOF {
		return nil, fmt.Errorf("cannot read file: %w", err)
	}
	data = data[:n]
	var extra [1]byte
	if m, _ := f.Read(extra[:]); m > 0 {
		rest, err := io.ReadAll(io.LimitReader(f, limit-int64(n)))
		if err != nil {
			return nil, fmt.Errorf("cannot read file: %w", err)
		}
		data = append(append(data, extra[0]), rest...)
		if int64(len(data)) > limit {
			return nil, fmt.Errorf("file larger than the limit of %d bytes (raise it with Limits.MaxFileSize)", limit)
		}
	}
	return data, nil
}
