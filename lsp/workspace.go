package lsp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"

	"go.lsp.dev/protocol"

	"github.com/vpcgate/vpcgate/analyzer"
	"github.com/vpcgate/vpcgate/analyzer/config"
	"github.com/vpcgate/vpcgate/analyzer/textpos"
	"github.com/vpcgate/vpcgate/cost"
)

// Settings are the editor's settings for vpcgate, given as
// initializationOptions or workspace/didChangeConfiguration (either the
// object itself or under a "vpcgate" key). They apply on top of the
// workspace's .vpcgate.yaml: rules and severity given here replace the
// file's, skip_rules add to them.
type Settings struct {
	// Rules evaluates only the rules matching these ids or globs.
	Rules []string `json:"rules,omitempty"`
	// SkipRules leaves out the rules matching these ids or globs.
	SkipRules []string `json:"skip_rules,omitempty"`
	// Severity is the lowest rule severity evaluated (low, medium, high,
	// critical).
	Severity string `json:"severity,omitempty"`
	// Region is the AWS region of inputs that do not say.
	Region string `json:"region,omitempty"`
	// UsageFile is a cost usage file (YAML), relative to the workspace
	// folder.
	UsageFile string `json:"usage_file,omitempty"`
	// ShowSuppressed publishes suppressed findings as hints tagged
	// Unnecessary (default true); false leaves them out.
	ShowSuppressed *bool `json:"show_suppressed,omitempty"`
	// DebounceMS overrides the pause after an edit, in milliseconds.
	DebounceMS int `json:"debounce_ms,omitempty"`
}

// parseSettings reads settings from initializationOptions or a
// didChangeConfiguration payload; unknown keys are an error (a typo would
// otherwise be silently ignored).
func parseSettings(v any) (Settings, error) {
	var st Settings
	if v == nil {
		return st, nil
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return st, err
	}
	var wrapped map[string]json.RawMessage
	if json.Unmarshal(raw, &wrapped) == nil {
		if inner, ok := wrapped["vpcgate"]; ok {
			raw = inner
		}
	}
	if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return st, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&st); err != nil {
		return Settings{}, fmt.Errorf("settings: %w", err)
	}
	return st, nil
}

func (st Settings) showSuppressed() bool { return st.ShowSuppressed == nil || *st.ShowSuppressed }

// workspace is one workspace folder: one engine, its latest snapshot and
// what was published from it.
type workspace struct {
	s    *Server
	root string

	ctx    context.Context
	cancel context.CancelFunc
	kick   chan struct{}
	done   chan struct{}

	// runMu is held by the one engine call (update or rebuild) this
	// workspace makes at a time; runCancel cancels it (under mu) when a
	// newer one starts, so calls never overtake one another.
	runMu     sync.Mutex
	runCancel context.CancelFunc
	runUpdate bool // the call in flight is an update (a rebuild is never cancelled by an edit)

	lastChange time.Time // when the last change came (under mu)
	quiet      bool      // it came after a quiet spell: analyse at once (under mu)

	mu        sync.Mutex
	failed    bool   // the last rebuild could not analyse: nothing to show until the next change
	lastErr   string // the last analysis error shown to the user
	eng       *analyzer.Engine
	epoch     uint64 // counts engines; a snapshot of an older one is dropped
	snap      *analyzer.Snapshot
	rebuild   bool
	rebuilds  uint64 // counts rebuild requests
	pending   map[string]pendingChange
	seq       uint64
	seen      map[string]seenDoc // open buffers as the current snapshot read them
	cfgPath   string
	policyDir []string
	usagePath string

	conv convCache // converted diagnostics by file, between analyses

	pubMu     sync.Mutex
	published map[string]publishedDoc
	pubEpoch  uint64
	pubGen    uint64
	mappers   map[string]diskMapper
}

type pendingChange struct {
	text    []byte // nil: read the disk
	version int32
	seq     uint64
}

type seenDoc struct {
	text    []byte
	version int32
	m       *textpos.Mapper
}

type publishedDoc struct {
	uri  protocol.DocumentURI
	data []byte
}

type diskMapper struct {
	mod  time.Time
	size int64
	m    *textpos.Mapper
}

func newWorkspace(s *Server, root string) *workspace {
	ctx, cancel := context.WithCancel(s.ctx)
	return &workspace{
		s: s, root: root, ctx: ctx, cancel: cancel,
		kick: make(chan struct{}, 1), done: make(chan struct{}),
		rebuild: true, pending: map[string]pendingChange{}, seen: map[string]seenDoc{},
		published: map[string]publishedDoc{}, mappers: map[string]diskMapper{},
	}
}

func (w *workspace) start() {
	go w.loop()
	w.poke()
}

func (w *workspace) stop() {
	w.cancel()
	<-w.done
}

func (w *workspace) poke() {
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// change records a change of path (text nil: the disk) and schedules an
// analysis.
//
// An update in flight is cancelled at once, not when the debounce ends:
// its result would be superseded anyway, and it has stopped by the time
// the next analysis starts (the engine waits for the analysis it cancels).
func (w *workspace) change(path string, text []byte, version int32) {
	d := w.debounce()
	w.mu.Lock()
	w.seq++
	w.pending[path] = pendingChange{text: text, version: version, seq: w.seq}
	if w.runUpdate && w.runCancel != nil {
		w.runCancel()
	}
	now := time.Now()
	w.quiet = now.Sub(w.lastChange) >= d && len(w.pending) == 1
	w.lastChange = now
	w.mu.Unlock()
	w.poke()
}

func (w *workspace) requestRebuild() {
	w.mu.Lock()
	w.rebuild = true
	w.rebuilds++
	w.mu.Unlock()
	w.poke()
}

// usesSettingsFile reports whether a change of path (a .vpcgate.yaml, a
// policy, the usage file) concerns this workspace.
func (w *workspace) usesSettingsFile(path string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if path == w.cfgPath || path == w.usagePath {
		return true
	}
	if filepath.Base(path) == config.FileName {
		// A new configuration in the folder or above it.
		return w.cfgPath == "" && (within(filepath.Dir(path), w.root) || within(w.root, filepath.Dir(path)))
	}
	if strings.HasSuffix(path, ".rego") {
		for _, d := range w.policyDir {
			if within(d, path) {
				return true
			}
		}
		return within(w.root, path)
	}
	return false
}

func (w *workspace) debounce() time.Duration {
	if ms := w.s.currentSettings().DebounceMS; ms > 0 {
		return time.Duration(ms) * time.Millisecond
	}
	return w.s.opts.Debounce
}

// loop waits for changes and starts analyses. A change that comes after
// a quiet spell of at least the debounce time is analysed at once (a
// typist's keystrokes are further apart than an analysis takes); changes
// that follow one another more closely are let settle for the debounce
// time first, so that a paste sent as several changes or a code action's
// edits are analysed together. An analysis started while another runs
// cancels it, so only the latest text is published.
//
// Timers follow Go 1.23's semantics (go.mod): Reset discards a value the
// timer sent before it.
func (w *workspace) loop() {
	defer close(w.done)
	t := time.NewTimer(time.Hour)
	t.Stop()
	for {
		select {
		case <-w.kick:
		case <-w.ctx.Done():
			return
		}
		d := w.debounce()
		w.mu.Lock()
		quiet := w.quiet
		w.quiet = false
		w.mu.Unlock()
		if !quiet {
			t.Reset(d)
		settle:
			for {
				select {
				case <-w.kick:
					t.Reset(d)
				case <-t.C:
					break settle
				case <-w.ctx.Done():
					return
				}
			}
		}
		w.mu.Lock()
		rebuild := w.rebuild || w.eng == nil || w.snap == nil
		w.mu.Unlock()
		if rebuild {
			w.rebuildEngine()
			continue
		}
		ctx, cancel := w.supersede(true)
		go w.update(ctx, cancel)
	}
}

// updateHook is set by tests only: it runs before each engine update (a
// test injects a panic with it).
var updateHook func()

// supersede cancels the engine call in flight (its changes stay pending,
// so the caller's call covers them) and returns the context of the next.
func (w *workspace) supersede(update bool) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(w.ctx)
	w.mu.Lock()
	if w.runCancel != nil {
		w.runCancel()
	}
	w.runCancel, w.runUpdate = cancel, update
	w.mu.Unlock()
	return ctx, cancel
}

// update applies the pending changes to the engine. A newer update
// cancels it; every change settles: its analysis is published, or its
// error is reported and the change leaves the pending set.
// The loop calls supersede before it starts the goroutine, so that
// updates and rebuilds cancel one another in the order they were started.
func (w *workspace) update(ctx context.Context, cancel context.CancelFunc) {
	defer cancel()
	w.runMu.Lock()
	defer w.runMu.Unlock()
	// The engine turns panics of readers and derivations into diagnostics;
	// anything else is recovered here, on the goroutine where it runs, so
	// that the server lives on, and settles the changes like an error.
	var (
		epoch uint64
		sent  map[string]pendingChange
	)
	defer func() {
		if r := recover(); r != nil {
			w.s.log.Error("internal error in an analysis", "panic", r, "stack", string(debug.Stack()))
			if sent != nil {
				w.fail(epoch, sent, fmt.Errorf("internal error in the analysis: %v", r), 0)
			}
		}
	}()
	if ctx.Err() != nil {
		return // superseded before it started: the newer update takes the changes
	}
	w.mu.Lock()
	eng := w.eng
	epoch = w.epoch
	if eng == nil || len(w.pending) == 0 {
		w.mu.Unlock()
		return
	}
	changes := make([]analyzer.Change, 0, len(w.pending))
	sent = make(map[string]pendingChange, len(w.pending))
	for path, p := range w.pending {
		changes = append(changes, analyzer.Change{Path: path, Content: p.text})
		sent[path] = p
	}
	w.mu.Unlock()
	sort.Slice(changes, func(i, j int) bool { return changes[i].Path < changes[j].Path })
	if updateHook != nil {
		updateHook()
	}
	started := time.Now()
	snap, err := eng.Update(ctx, changes...)
	took := time.Since(started)
	if err != nil {
		if ctx.Err() != nil {
			return // superseded: the newer update covers these changes
		}
		w.fail(epoch, sent, err, took)
		return
	}
	w.accept(epoch, snap, sent, took)
}

// fail settles changes whose analysis failed with an error other than a
// cancellation (no input left in the folder mid-edit, a policy that
// fails on the input): the last good analysis stays published, the
// error is logged and shown once, and the changes are no longer pending.
func (w *workspace) fail(epoch uint64, sent map[string]pendingChange, err error, took time.Duration) {
	w.s.log.Warn("analysis", "root", w.root, "error", err)
	w.mu.Lock()
	if epoch == w.epoch {
		for path, p := range sent {
			if cur, ok := w.pending[path]; ok && cur.seq == p.seq {
				delete(w.pending, path)
			}
		}
	}
	show := err.Error() != w.lastErr
	w.lastErr = err.Error()
	w.mu.Unlock()
	if show {
		w.s.showMessage(protocol.MessageTypeWarning, fmt.Sprintf("vpcgate: %s: %v (showing the last analysis)", w.root, err))
	}
	w.settled(sent, 0, err, took, 0)
}

// settled reports a settled analysis to Options.Settled.
func (w *workspace) settled(sent map[string]pendingChange, published int, err error, engine, publish time.Duration) {
	f := w.s.opts.Settled
	if f == nil {
		return
	}
	st := Settlement{Root: w.root, Versions: make(map[string]int32, len(sent)), Published: published, Err: err, Engine: engine, Publish: publish}
	for path, p := range sent {
		st.Versions[path] = p.version
	}
	f(st)
}

// accept makes snap the workspace's snapshot unless a newer one is
// already there, and publishes it.
func (w *workspace) accept(epoch uint64, snap *analyzer.Snapshot, sent map[string]pendingChange, took time.Duration) {
	w.mu.Lock()
	if epoch != w.epoch || (w.snap != nil && snap.Generation <= w.snap.Generation) {
		w.mu.Unlock()
		return
	}
	for path, p := range sent {
		if cur, ok := w.pending[path]; ok && cur.seq == p.seq {
			delete(w.pending, path)
		}
		if p.text != nil {
			w.seen[path] = seenDoc{text: p.text, version: p.version, m: textpos.New(p.text)}
		} else {
			delete(w.seen, path)
		}
	}
	w.snap = snap
	w.lastErr = ""
	w.failed = false
	w.mu.Unlock()
	started := time.Now()
	n := w.publish(epoch, snap)
	w.settled(sent, n, nil, took, time.Since(started))
}

// engineOptions builds the engine's options from .vpcgate.yaml (the open
// buffer when the file is open) and the editor's settings.
func (w *workspace) engineOptions(st Settings) (opts []analyzer.Option, cfgPath, usagePath string, policyDirs []string, err error) {
	cfgPath, err = config.Find(w.root)
	if err != nil {
		return nil, "", "", nil, err
	}
	if cfgPath != "" {
		var cfg *config.Config
		if d := w.s.docByPath(cfgPath); d != nil {
			c, ds := config.Parse(cfgPath, d.text)
			cfg = c
			opts = append(opts, analyzer.WithConfig(c, ds))
		} else {
			c, ds, lerr := config.Load(cfgPath)
			if lerr != nil {
				return nil, "", "", nil, lerr
			}
			cfg = c
			opts = append(opts, analyzer.WithConfig(c, ds))
		}
		policyDirs = cfg.Policies
	}
	if st.Region != "" {
		opts = append(opts, analyzer.WithRegion(st.Region))
	}
	if len(st.Rules) > 0 {
		opts = append(opts, analyzer.WithRules(st.Rules...))
	}
	if len(st.SkipRules) > 0 {
		opts = append(opts, analyzer.WithSkipRules(st.SkipRules...))
	}
	if st.Severity != "" {
		opts = append(opts, analyzer.WithMinSeverity(st.Severity))
	}
	if st.UsageFile != "" {
		usagePath = st.UsageFile
		if !filepath.IsAbs(usagePath) {
			usagePath = filepath.Join(w.root, usagePath)
		}
		f, oerr := os.Open(usagePath)
		if oerr != nil {
			return nil, cfgPath, usagePath, policyDirs, fmt.Errorf("usage_file: %w", oerr)
		}
		u, perr := cost.ParseUsage(f, usagePath)
		f.Close()
		if perr != nil {
			return nil, cfgPath, usagePath, policyDirs, fmt.Errorf("usage_file: %w", perr)
		}
		opts = append(opts, analyzer.WithUsage(u))
	}
	opts = append(opts, w.s.opts.EngineOptions...)
	return opts, cfgPath, usagePath, policyDirs, nil
}

// rebuildEngine makes a new engine from the current settings, analyses
// the folder with the open buffers and publishes the whole workspace.
func (w *workspace) rebuildEngine() {
	ctx, cancel := w.supersede(false)
	defer cancel()
	w.runMu.Lock()
	defer w.runMu.Unlock()
	st := w.s.currentSettings()
	opts, cfgPath, usagePath, policyDirs, err := w.engineOptions(st)
	var eng *analyzer.Engine
	if err == nil {
		eng, err = analyzer.NewEngine(ctx, opts...)
	}
	w.mu.Lock()
	w.cfgPath, w.usagePath, w.policyDir = cfgPath, usagePath, policyDirs
	seq, req := w.seq, w.rebuilds
	w.mu.Unlock()
	// The rebuild is done once its snapshot is published, unless another
	// was asked for meanwhile.
	defer func() {
		w.mu.Lock()
		if w.rebuilds == req {
			w.rebuild = false
		}
		w.mu.Unlock()
	}()
	if err != nil {
		if w.ctx.Err() != nil {
			return
		}
		w.s.showMessage(protocol.MessageTypeError, fmt.Sprintf("vpcgate: %s: %v (keeping the previous settings)", w.root, err))
		w.mu.Lock()
		eng = w.eng
		w.mu.Unlock()
		if eng == nil {
			// No engine yet: analyse with the defaults.
			eng, err = analyzer.NewEngine(ctx, w.s.opts.EngineOptions...)
			if err != nil {
				w.s.log.Error("engine", "error", err)
				return
			}
		}
	}
	// The open buffers win over the disk.
	var changes []analyzer.Change
	sent := map[string]pendingChange{}
	for _, d := range w.s.openDocs() {
		if within(w.root, d.path) && isInput(d.path) {
			changes = append(changes, analyzer.Change{Path: d.path, Content: d.text})
			sent[d.path] = pendingChange{text: d.text, version: d.version}
		}
	}
	started := time.Now()
	snap, err := eng.Analyze(ctx, analyzer.Request{Paths: []string{w.root}})
	if err == nil && len(changes) > 0 {
		snap, err = eng.Update(ctx, changes...)
	}
	took := time.Since(started)
	if err != nil {
		if ctx.Err() != nil {
			return
		}
		// Nothing to analyse yet (no input in the folder): the changes
		// made so far are settled; the next one tries again.
		w.s.log.Info("analysis", "root", w.root, "error", err)
		w.mu.Lock()
		w.eng, w.snap = nil, nil
		w.failed = true
		for path, p := range w.pending {
			if p.seq <= seq {
				delete(w.pending, path)
			}
		}
		more := len(w.pending) > 0
		w.mu.Unlock()
		w.settled(sent, 0, err, took, 0)
		if more {
			w.poke()
		}
		return
	}
	w.mu.Lock()
	w.eng = eng
	w.epoch++
	epoch := w.epoch
	w.snap = nil
	for path, p := range w.pending {
		if p.seq <= seq {
			delete(w.pending, path)
		}
	}
	w.seen = map[string]seenDoc{}
	w.mu.Unlock()
	w.accept(epoch, snap, sent, took)
	w.mu.Lock()
	more := len(w.pending) > 0
	w.mu.Unlock()
	if more {
		w.poke()
	}
}

// current returns the latest snapshot with the buffers it read.
func (w *workspace) current() (*analyzer.Snapshot, map[string]seenDoc) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.snap, w.seen
}

// settle waits (at most timeout) until every pending change of the
// workspace has been analysed, so that a hover or a code action reads the
// text the editor shows.
func (w *workspace) settle(ctx context.Context, timeout time.Duration) {
	deadline := time.Now().Add(timeout)
	for {
		w.mu.Lock()
		ok := len(w.pending) == 0 && !w.rebuild && (w.snap != nil || w.failed)
		w.mu.Unlock()
		if ok || time.Now().After(deadline) || ctx.Err() != nil || w.ctx.Err() != nil {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// idle reports whether every change has been analysed and published.
func (w *workspace) idle() bool {
	w.mu.Lock()
	ok := len(w.pending) == 0 && !w.rebuild && (w.snap != nil || w.failed)
	if ok && w.snap == nil {
		w.mu.Unlock()
		return true
	}
	var gen, epoch uint64
	if ok {
		gen, epoch = w.snap.Generation, w.epoch
	}
	w.mu.Unlock()
	if !ok {
		return false
	}
	w.pubMu.Lock()
	defer w.pubMu.Unlock()
	return w.pubGen == gen && w.pubEpoch == epoch
}

// mapper returns the position mapper of path as snap read it: the
// buffer's text for an open document, else the file on disk.
func (w *workspace) mapper(path string, seen map[string]seenDoc) *textpos.Mapper {
	if d, ok := seen[path]; ok {
		return d.m
	}
	fi, err := os.Stat(path)
	if err != nil {
		return textpos.New(nil)
	}
	w.pubMu.Lock()
	defer w.pubMu.Unlock()
	if c, ok := w.mappers[path]; ok && c.mod.Equal(fi.ModTime()) && c.size == fi.Size() {
		return c.m
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return textpos.New(nil)
	}
	m := textpos.New(data)
	w.mappers[path] = diskMapper{mod: fi.ModTime(), size: fi.Size(), m: m}
	return m
}

// publish sends the diagnostics of every file whose diagnostics changed
// since the last publish (the first publish of a workspace sends every
// file with diagnostics, open or not). It returns the number of
// publishDiagnostics sent.
func (w *workspace) publish(epoch uint64, snap *analyzer.Snapshot) int {
	w.mu.Lock()
	seen := w.seen
	w.mu.Unlock()
	st := w.s.currentSettings()
	enc := w.s.encoding()
	byFile := w.diagnostics(snap, epoch, seen, enc, st)

	w.pubMu.Lock()
	if epoch < w.pubEpoch || (epoch == w.pubEpoch && snap.Generation <= w.pubGen) {
		w.pubMu.Unlock()
		return 0
	}
	w.pubEpoch, w.pubGen = epoch, snap.Generation
	paths := make([]string, 0, len(byFile)+len(w.published))
	for p := range byFile {
		paths = append(paths, p)
	}
	for p := range w.published {
		if _, ok := byFile[p]; !ok {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	type note struct {
		path   string
		params *protocol.PublishDiagnosticsParams
	}
	var notes []note
	for _, p := range paths {
		list, data := byFile[p].list, byFile[p].data
		if list == nil {
			list, data = []protocol.Diagnostic{}, []byte("[]")
		}
		prev, had := w.published[p]
		if had && bytes.Equal(prev.data, data) {
			continue
		}
		if !had && len(list) == 0 {
			continue
		}
		u := fileURI(p)
		var version uint32
		if d := w.s.docByPath(p); d != nil {
			u = d.uri
		}
		if d, ok := seen[p]; ok && d.version > 0 {
			version = uint32(d.version)
		}
		if len(list) == 0 {
			delete(w.published, p)
		} else {
			w.published[p] = publishedDoc{uri: u, data: data}
		}
		notes = append(notes, note{p, &protocol.PublishDiagnosticsParams{URI: u, Version: version, Diagnostics: list}})
	}
	// Sent under pubMu so that two snapshots never interleave.
	for _, n := range notes {
		if err := w.s.conn.Notify(w.s.ctx, protocol.MethodTextDocumentPublishDiagnostics, n.params); err != nil {
			w.s.log.Warn("publishDiagnostics", "error", err)
		}
	}
	w.pubMu.Unlock()
	return len(notes)
}

// clearPublished empties the diagnostics of a removed workspace.
func (w *workspace) clearPublished() {
	w.pubMu.Lock()
	defer w.pubMu.Unlock()
	for _, d := range w.published {
		_ = w.s.conn.Notify(w.s.ctx, protocol.MethodTextDocumentPublishDiagnostics, &protocol.PublishDiagnosticsParams{URI: d.uri, Diagnostics: []protocol.Diagnostic{}})
	}
	w.published = map[string]publishedDoc{}
}

func (s *Server) docByPath(path string) *document {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.docs[path]
	if d == nil {
		return nil
	}
	c := *d
	return &c
}

func (s *Server) openDocs() []document {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]document, 0, len(s.docs))
	for _, d := range s.docs {
		out = append(out, *d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out
}
