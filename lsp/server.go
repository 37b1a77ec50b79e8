// Package lsp is vpcgate's language server: a thin layer that keeps one
// analyzer.Engine per workspace folder, feeds it the editor's buffers and
// turns its snapshots into diagnostics, hovers, code actions, code lenses
// and document symbols. README.md in this folder describes the features,
// the settings and the measured latency.
package lsp

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/vpcgate/vpcgate/analyzer"
	"github.com/vpcgate/vpcgate/analyzer/textpos"
)

// Options configure a Server.
type Options struct {
	// Log receives the server's own log (default: discarded). Never
	// stdout: that is the protocol's channel.
	Log *slog.Logger
	// Debounce is how long the server waits after an edit for the next
	// one before it analyses, when edits follow one another within it; an
	// edit after a quiet spell of that long is analysed at once (default
	// DefaultDebounce; the setting debounce_ms overrides it).
	Debounce time.Duration
	// EngineOptions are added to every engine's options, after those the
	// settings make (tests pass a fixed clock or price catalog).
	EngineOptions []analyzer.Option
	// GCPercent is the garbage collector's target percentage Serve sets
	// for the process (default DefaultGCPercent; negative: leave it), unless
	// the GOGC environment variable is set. An analysis allocates several
	// times the server's live heap: at Go's default of 100 the collector
	// runs many times per edit (a fifth of the CPU time of a typing
	// session) and the latency grows with it.
	GCPercent int
	// Settled, when set, is called each time an analysis settles: its
	// diagnostics were published, or it failed (benchmarks measure with
	// it). It runs on the analysing goroutine: it must return quickly.
	Settled func(Settlement)
}

// Settlement is one settled analysis of a workspace.
type Settlement struct {
	Root string
	// Versions are the changes the analysis covered: the buffer's
	// version by path (0: read from disk).
	Versions map[string]int32
	// Published counts the publishDiagnostics notifications it sent
	// (only files whose diagnostics changed are sent).
	Published int
	// Err is why the analysis failed (the last good one stays published).
	Err error
	// Engine is how long the engine's call took (Update, or Analyze and
	// Update for a rebuild); Publish how long converting the snapshot to
	// diagnostics and sending them took.
	Engine, Publish time.Duration
}

// DefaultDebounce is the default pause after an edit before analysing.
const DefaultDebounce = 10 * time.Millisecond

// DefaultGCPercent is the garbage collector's target Serve sets: the heap
// may grow to five times what is live (a 5,000-resource workspace keeps
// about 40 MB live) before a collection.
const DefaultGCPercent = 400

// setGCPercent applies opts.GCPercent unless GOGC is set, and returns
// what restores the previous setting.
func setGCPercent(opts Options) func() {
	if opts.GCPercent < 0 || os.Getenv("GOGC") != "" {
		return func() {}
	}
	p := opts.GCPercent
	if p == 0 {
		p = DefaultGCPercent
	}
	old := debug.SetGCPercent(p)
	return func() { debug.SetGCPercent(old) }
}

// Server is one language server connection.
type Server struct {
	base
	opts Options
	log  *slog.Logger
	conn jsonrpc2.Conn

	ctx    context.Context
	cancel context.CancelFunc

	mu         sync.Mutex
	state      int // stateNew, stateReady, stateShutdown
	enc        textpos.Encoding
	settings   Settings
	folders    []string
	docs       map[string]*document // by absolute path
	workspaces []*workspace
	watchFiles bool  // the client registers file watchers dynamically
	initErr    error // bad initializationOptions, shown after initialized
	exited     chan struct{}
}

const (
	stateNew = iota
	stateReady
	stateShutdown
)

// document is an open editor buffer.
type document struct {
	uri     protocol.DocumentURI // as the client spells it
	path    string
	version int32
	text    []byte
}

// Serve runs a language server on rwc (stdin and stdout for `vpcgate
// lsp`) until the client sends exit, the input ends or ctx is done.
func Serve(ctx context.Context, rwc io.ReadWriteCloser, opts Options) error {
	defer setGCPercent(opts)()
	s := newServer(ctx, opts)
	s.run(ctx, rwc)
	return nil
}

// run serves one connection until exit, the end of input or ctx.
func (s *Server) run(ctx context.Context, rwc io.ReadWriteCloser) {
	defer s.cancel()
	st := newStream(rwc, func(msg string, args ...any) { s.log.Warn(msg, args...) })
	s.conn = jsonrpc2.NewConn(st)
	s.conn.Go(s.ctx, s.handle)
	select {
	case <-s.conn.Done():
	case <-s.exited:
		s.conn.Close()
	case <-ctx.Done():
		s.conn.Close()
	}
	s.stopWorkspaces()
}

func newServer(ctx context.Context, opts Options) *Server {
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.Debounce <= 0 {
		opts.Debounce = DefaultDebounce
	}
	ctx, cancel := context.WithCancel(ctx)
	return &Server{
		opts: opts, log: opts.Log, ctx: ctx, cancel: cancel,
		enc: textpos.UTF16, docs: map[string]*document{}, exited: make(chan struct{}),
	}
}

// handle is the connection's only handler. It never returns an error
// (jsonrpc2 closes the connection on one): every problem is a reply.
// Notifications run in order on the reading goroutine and return at once
// (an edit only records the text and schedules an analysis); requests
// that read analyses run on their own goroutine so that a slow one never
// holds up the edits behind it.
func (s *Server) handle(ctx context.Context, reply jsonrpc2.Replier, req jsonrpc2.Request) (err error) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("panic in handler", "method", req.Method(), "panic", r, "stack", string(debug.Stack()))
			err = reply(ctx, nil, &jsonrpc2.Error{Code: jsonrpc2.InternalError, Message: fmt.Sprintf("vpcgate lsp: internal error in %s: %v", req.Method(), r)})
			err = nil
		}
	}()
	method := req.Method()
	_, isCall := req.(*jsonrpc2.Call)
	s.mu.Lock()
	state := s.state
	s.mu.Unlock()
	switch {
	case method == protocol.MethodExit:
		s.mu.Lock()
		select {
		case <-s.exited:
		default:
			close(s.exited)
		}
		s.mu.Unlock()
		return nil
	case method == protocol.MethodInitialize:
		if state != stateNew {
			return s.reply(ctx, reply, nil, &jsonrpc2.Error{Code: jsonrpc2.InvalidRequest, Message: "initialize sent twice"})
		}
		res, err := s.initialize(ctx, req.Params())
		return s.reply(ctx, reply, res, err)
	case state == stateNew:
		if !isCall {
			return nil // notifications before initialize are dropped
		}
		return s.reply(ctx, reply, nil, &jsonrpc2.Error{Code: jsonrpc2.ServerNotInitialized, Message: "vpcgate lsp: initialize first"})
	case state == stateShutdown && method != protocol.MethodShutdown:
		if !isCall {
			return nil
		}
		return s.reply(ctx, reply, nil, &jsonrpc2.Error{Code: jsonrpc2.InvalidRequest, Message: "vpcgate lsp: shutting down"})
	case method == protocol.MethodTextDocumentDidChange:
		s.didChange(req.Params())
		return nil
	case method == protocol.MethodCancelRequest || strings.HasPrefix(method, "$/"):
		// Requests are answered quickly; $/ notifications may be ignored.
		if isCall {
			return s.reply(ctx, reply, nil, notImplemented(method))
		}
		return nil
	case !knownMethods[method]:
		if !isCall {
			return nil
		}
		return s.reply(ctx, reply, nil, &jsonrpc2.Error{Code: jsonrpc2.MethodNotFound, Message: "vpcgate lsp: unknown method " + method})
	}
	dispatch := protocol.ServerHandler(s, nil)
	safeReply := func(ctx context.Context, result any, err error) error {
		return s.reply(ctx, reply, result, err)
	}
	if !isCall {
		if err := dispatch(ctx, safeReply, req); err != nil {
			s.log.Warn("notification", "method", method, "error", err)
		}
		return nil
	}
	go func() {
		defer func() {
			if r := recover(); r != nil {
				s.log.Error("panic in request", "method", method, "panic", r, "stack", string(debug.Stack()))
				_ = reply(ctx, nil, &jsonrpc2.Error{Code: jsonrpc2.InternalError, Message: fmt.Sprintf("vpcgate lsp: internal error in %s: %v", method, r)})
			}
		}()
		if err := dispatch(ctx, safeReply, req); err != nil {
			s.log.Warn("request", "method", method, "error", err)
		}
	}()
	return nil
}

// reply sends a reply and logs (never returns) a failure to write it.
func (s *Server) reply(ctx context.Context, reply jsonrpc2.Replier, result any, err error) error {
	if err != nil {
		var je *jsonrpc2.Error
		if !asRPCError(err, &je) {
			// protocol's dispatch wraps decoding errors in ErrParse; a
			// params object that does not decode is invalid params.
			code := jsonrpc2.InternalError
			if strings.Contains(err.Error(), jsonrpc2.ErrParse.Error()) || strings.Contains(err.Error(), "invalid params") {
				code = jsonrpc2.InvalidParams
			}
			err = &jsonrpc2.Error{Code: code, Message: err.Error()}
		}
	}
	if werr := reply(ctx, result, err); werr != nil {
		s.log.Warn("reply", "error", werr)
	}
	return nil
}

func asRPCError(err error, target **jsonrpc2.Error) bool {
	if e, ok := err.(*jsonrpc2.Error); ok {
		*target = e
		return true
	}
	return false
}

// knownMethods are the client-to-server methods of the protocol; others
// are answered MethodNotFound.
var knownMethods = map[string]bool{}

func init() {
	for _, m := range []string{
		protocol.MethodInitialized, protocol.MethodShutdown, protocol.MethodWorkDoneProgressCancel,
		protocol.MethodSetTrace, protocol.MethodTextDocumentCodeAction,
		protocol.MethodTextDocumentCodeLens, protocol.MethodCodeLensResolve, protocol.MethodTextDocumentColorPresentation,
		protocol.MethodTextDocumentCompletion, protocol.MethodCompletionItemResolve, protocol.MethodTextDocumentDeclaration,
		protocol.MethodTextDocumentDefinition, protocol.MethodWorkspaceDidChangeConfiguration,
		protocol.MethodWorkspaceDidChangeWatchedFiles, protocol.MethodWorkspaceDidChangeWorkspaceFolders,
		protocol.MethodTextDocumentDidClose, protocol.MethodTextDocumentDidOpen, protocol.MethodTextDocumentDidSave,
		protocol.MethodTextDocumentDocumentColor, protocol.MethodTextDocumentDocumentHighlight,
		protocol.MethodTextDocumentDocumentLink, protocol.MethodDocumentLinkResolve, protocol.MethodTextDocumentDocumentSymbol,
		protocol.MethodWorkspaceExecuteCommand, protocol.MethodTextDocumentFoldingRange, protocol.MethodTextDocumentFormatting,
		protocol.MethodTextDocumentHover, protocol.MethodTextDocumentImplementation, protocol.MethodTextDocumentOnTypeFormatting,
		protocol.MethodTextDocumentPrepareRename, protocol.MethodTextDocumentRangeFormatting, protocol.MethodTextDocumentReferences,
		protocol.MethodTextDocumentRename, protocol.MethodTextDocumentSignatureHelp, protocol.MethodWorkspaceSymbol,
		protocol.MethodTextDocumentTypeDefinition, protocol.MethodTextDocumentWillSave, protocol.MethodTextDocumentWillSaveWaitUntil,
		protocol.MethodWillCreateFiles, protocol.MethodDidCreateFiles, protocol.MethodWillRenameFiles,
		protocol.MethodDidRenameFiles, protocol.MethodWillDeleteFiles, protocol.MethodDidDeleteFiles,
		protocol.MethodTextDocumentPrepareCallHierarchy, protocol.MethodCallHierarchyIncomingCalls,
		protocol.MethodCallHierarchyOutgoingCalls, protocol.MethodSemanticTokensFull, protocol.MethodSemanticTokensFullDelta,
		protocol.MethodSemanticTokensRange, protocol.MethodLinkedEditingRange, protocol.MethodMoniker,
	} {
		knownMethods[m] = true
	}
}

// initializeParams adds to protocol v0.12.0's params the 3.17 fields it
// lacks.
type initializeParams struct {
	protocol.InitializeParams
	Capabilities struct {
		protocol.ClientCapabilities
		General *struct {
			PositionEncodings []string `json:"positionEncodings"`
		} `json:"general,omitempty"`
	} `json:"capabilities"`
}

// initializeResult adds positionEncoding (LSP 3.17) to v0.12.0's result.
type initializeResult struct {
	Capabilities capabilities         `json:"capabilities"`
	ServerInfo   *protocol.ServerInfo `json:"serverInfo,omitempty"`
}

type capabilities struct {
	protocol.ServerCapabilities
	PositionEncoding string `json:"positionEncoding,omitempty"`
}

// Version is reported in serverInfo.
var Version = "dev"

func (s *Server) initialize(_ context.Context, raw json.RawMessage) (any, error) {
	var p initializeParams
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, &jsonrpc2.Error{Code: jsonrpc2.InvalidParams, Message: "initialize: " + err.Error()}
	}
	enc := textpos.UTF16
	if p.Capabilities.General != nil {
		// The client lists the encodings it supports, preferred first.
		for _, e := range p.Capabilities.General.PositionEncodings {
			if e == string(textpos.UTF8) || e == string(textpos.UTF16) || e == string(textpos.UTF32) {
				enc = textpos.Encoding(e)
				break
			}
		}
	}
	var folders []string
	for _, f := range p.WorkspaceFolders {
		if path, ok := uriPath(protocol.DocumentURI(f.URI)); ok {
			folders = append(folders, path)
		}
	}
	if len(folders) == 0 {
		folders = legacyRoot(&p.InitializeParams)
	}
	settings, err := parseSettings(p.InitializationOptions)
	s.mu.Lock()
	s.enc = enc
	s.folders = folders
	s.settings = settings
	s.state = stateReady
	if ws := p.Capabilities.Workspace; ws != nil && ws.DidChangeWatchedFiles != nil {
		s.watchFiles = ws.DidChangeWatchedFiles.DynamicRegistration
	}
	s.mu.Unlock()
	if err != nil {
		s.log.Warn("initializationOptions", "error", err)
		s.mu.Lock()
		s.initErr = err // shown once the client is initialized
		s.mu.Unlock()
	}
	return &initializeResult{
		Capabilities: capabilities{
			ServerCapabilities: protocol.ServerCapabilities{
				TextDocumentSync: &protocol.TextDocumentSyncOptions{
					OpenClose: true,
					Change:    protocol.TextDocumentSyncKindIncremental,
					Save:      &protocol.SaveOptions{IncludeText: false},
				},
				HoverProvider:          true,
				CodeActionProvider:     &protocol.CodeActionOptions{CodeActionKinds: []protocol.CodeActionKind{protocol.QuickFix}},
				CodeLensProvider:       &protocol.CodeLensOptions{},
				DocumentSymbolProvider: true,
				Workspace: &protocol.ServerCapabilitiesWorkspace{
					WorkspaceFolders: &protocol.ServerCapabilitiesWorkspaceFolders{Supported: true, ChangeNotifications: true},
				},
			},
			PositionEncoding: string(enc),
		},
		ServerInfo: &protocol.ServerInfo{Name: "vpcgate", Version: Version},
	}, nil
}

// Initialized starts one engine per workspace folder; each publishes the
// diagnostics of its whole folder once its first analysis is done.
func (s *Server) Initialized(context.Context, *protocol.InitializedParams) error {
	s.mu.Lock()
	folders := s.folders
	watch := s.watchFiles
	initErr := s.initErr
	s.mu.Unlock()
	if initErr != nil {
		s.showMessage(protocol.MessageTypeError, "vpcgate: initializationOptions: "+initErr.Error()+" (using the defaults)")
	}
	for _, f := range folders {
		s.addWorkspace(f)
	}
	if watch {
		go s.registerWatchers()
	}
	return nil
}

// registerWatchers asks the client to report changes on disk to the
// inputs, the configuration and the policies.
func (s *Server) registerWatchers() {
	var watchers []protocol.FileSystemWatcher
	for _, g := range []string{"**/*.tf", "**/*.tfvars", "**/*.yaml", "**/*.yml", "**/*.json", "**/*.template", "**/*.rego"} {
		watchers = append(watchers, protocol.FileSystemWatcher{GlobPattern: g})
	}
	params := &protocol.RegistrationParams{Registrations: []protocol.Registration{{
		ID: "vpcgate-watch", Method: protocol.MethodWorkspaceDidChangeWatchedFiles,
		RegisterOptions: protocol.DidChangeWatchedFilesRegistrationOptions{Watchers: watchers},
	}}}
	ctx, cancel := context.WithTimeout(s.ctx, 10*time.Second)
	defer cancel()
	if _, err := s.conn.Call(ctx, protocol.MethodClientRegisterCapability, params, nil); err != nil {
		s.log.Warn("registering file watchers", "error", err)
	}
}

// Shutdown stops the analyses; the server exits on exit.
func (s *Server) Shutdown(context.Context) error {
	s.mu.Lock()
	s.state = stateShutdown
	s.mu.Unlock()
	s.stopWorkspaces()
	return nil
}

func (s *Server) stopWorkspaces() {
	s.mu.Lock()
	ws := s.workspaces
	s.workspaces = nil
	s.mu.Unlock()
	for _, w := range ws {
		w.stop()
	}
}

// uriPath returns the absolute, cleaned path of a file URI.
func uriPath(u protocol.DocumentURI) (string, bool) {
	if u == "" {
		return "", false
	}
	p, err := url.Parse(string(u))
	if err != nil || p.Scheme != "file" || p.Path == "" {
		return "", false
	}
	path := filepath.FromSlash(p.Path)
	if len(path) >= 3 && path[0] == '\\' && path[2] == ':' { // /C:/x on Windows
		path = path[1:]
	}
	if !filepath.IsAbs(path) {
		return "", false
	}
	return filepath.Clean(path), true
}

// fileURI is the URI the server names a file by when the client has not
// opened it.
func fileURI(path string) protocol.DocumentURI { return protocol.DocumentURI(uri.File(path)) }

// workspaceFor returns the workspace holding path: the deepest folder
// containing it, else a workspace made for the file's own folder when it
// is an input vpcgate reads (a file opened outside every folder).
func (s *Server) workspaceFor(path string, create bool) *workspace {
	s.mu.Lock()
	var best *workspace
	for _, w := range s.workspaces {
		if within(w.root, path) && (best == nil || len(w.root) > len(best.root)) {
			best = w
		}
	}
	s.mu.Unlock()
	if best != nil || !create || !isInput(path) {
		return best
	}
	return s.addWorkspace(filepath.Dir(path))
}

func within(root, path string) bool {
	rel, err := filepath.Rel(root, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// isInput reports whether vpcgate reads files named like path.
func isInput(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".tf", ".tfvars", ".yaml", ".yml", ".json", ".template":
		return true
	}
	return false
}

func (s *Server) addWorkspace(root string) *workspace {
	s.mu.Lock()
	for _, w := range s.workspaces {
		if w.root == root {
			s.mu.Unlock()
			return w
		}
	}
	w := newWorkspace(s, root)
	s.workspaces = append(s.workspaces, w)
	sort.Slice(s.workspaces, func(i, j int) bool { return s.workspaces[i].root < s.workspaces[j].root })
	s.mu.Unlock()
	w.start()
	return w
}

// DidChangeWorkspaceFolders adds and removes engines.
func (s *Server) DidChangeWorkspaceFolders(_ context.Context, p *protocol.DidChangeWorkspaceFoldersParams) error {
	for _, f := range p.Event.Removed {
		path, ok := uriPath(protocol.DocumentURI(f.URI))
		if !ok {
			continue
		}
		s.mu.Lock()
		var gone *workspace
		for i, w := range s.workspaces {
			if w.root == path {
				gone = w
				s.workspaces = append(s.workspaces[:i:i], s.workspaces[i+1:]...)
				break
			}
		}
		s.mu.Unlock()
		if gone != nil {
			gone.stop()
			gone.clearPublished()
		}
	}
	for _, f := range p.Event.Added {
		if path, ok := uriPath(protocol.DocumentURI(f.URI)); ok {
			s.addWorkspace(path)
		}
	}
	return nil
}

// DidOpen records the buffer and analyses it.
func (s *Server) DidOpen(_ context.Context, p *protocol.DidOpenTextDocumentParams) error {
	path, ok := uriPath(p.TextDocument.URI)
	if !ok {
		return nil
	}
	d := &document{uri: p.TextDocument.URI, path: path, version: p.TextDocument.Version, text: []byte(p.TextDocument.Text)}
	s.mu.Lock()
	s.docs[path] = d
	s.mu.Unlock()
	s.changed(path, d.text, d.version)
	return nil
}

// didChangeParams decodes a change event's range as optional: v0.12.0's
// TextDocumentContentChangeEvent cannot tell a whole-document change from
// an insertion at 0:0.
type didChangeParams struct {
	TextDocument   protocol.VersionedTextDocumentIdentifier `json:"textDocument"`
	ContentChanges []struct {
		Range *protocol.Range `json:"range,omitempty"`
		Text  string          `json:"text"`
	} `json:"contentChanges"`
}

// didChange applies the edits to the buffer and schedules an analysis; a
// change to a document that was never opened is ignored.
func (s *Server) didChange(raw json.RawMessage) {
	var p didChangeParams
	if err := json.Unmarshal(raw, &p); err != nil {
		s.log.Warn("didChange", "error", err)
		return
	}
	path, ok := uriPath(p.TextDocument.URI)
	if !ok {
		return
	}
	s.mu.Lock()
	d := s.docs[path]
	enc := s.enc
	if d == nil {
		s.mu.Unlock()
		s.log.Warn("didChange for a document that is not open", "uri", p.TextDocument.URI)
		return
	}
	text := d.text
	for _, c := range p.ContentChanges {
		if c.Range == nil {
			text = []byte(c.Text)
			continue
		}
		m := textpos.New(text)
		start := m.ByteOffset(textpos.Position{Line: c.Range.Start.Line, Character: c.Range.Start.Character}, enc)
		end := m.ByteOffset(textpos.Position{Line: c.Range.End.Line, Character: c.Range.End.Character}, enc)
		if end < start {
			start, end = end, start
		}
		next := make([]byte, 0, len(text)-(end-start)+len(c.Text))
		next = append(append(append(next, text[:start]...), c.Text...), text[end:]...)
		text = next
	}
	d.text = text
	d.version = p.TextDocument.Version
	s.mu.Unlock()
	s.changed(path, text, p.TextDocument.Version)
}

// DidSave re-reads the file from disk (the buffer and the disk agree).
func (s *Server) DidSave(_ context.Context, p *protocol.DidSaveTextDocumentParams) error {
	path, ok := uriPath(p.TextDocument.URI)
	if !ok {
		return nil
	}
	s.mu.Lock()
	d := s.docs[path]
	s.mu.Unlock()
	if d == nil {
		s.changed(path, nil, 0)
		return nil
	}
	s.changed(path, d.text, d.version)
	return nil
}

// DidClose drops the buffer: the file is read from disk again.
func (s *Server) DidClose(_ context.Context, p *protocol.DidCloseTextDocumentParams) error {
	path, ok := uriPath(p.TextDocument.URI)
	if !ok {
		return nil
	}
	s.mu.Lock()
	_, open := s.docs[path]
	delete(s.docs, path)
	s.mu.Unlock()
	if open {
		s.changed(path, nil, 0)
	}
	return nil
}

// DidChangeWatchedFiles re-reads files changed on disk that are not open.
func (s *Server) DidChangeWatchedFiles(_ context.Context, p *protocol.DidChangeWatchedFilesParams) error {
	for _, c := range p.Changes {
		if c == nil {
			continue
		}
		path, ok := uriPath(protocol.DocumentURI(c.URI))
		if !ok {
			continue
		}
		s.mu.Lock()
		_, open := s.docs[path]
		s.mu.Unlock()
		if !open || isSettingsFile(path) {
			s.changed(path, nil, 0)
		}
	}
	return nil
}

// DidChangeConfiguration applies new settings: every engine is rebuilt.
func (s *Server) DidChangeConfiguration(_ context.Context, p *protocol.DidChangeConfigurationParams) error {
	settings, err := parseSettings(p.Settings)
	if err != nil {
		s.showMessage(protocol.MessageTypeError, "vpcgate: settings: "+err.Error())
		return nil
	}
	s.mu.Lock()
	s.settings = settings
	ws := append([]*workspace(nil), s.workspaces...)
	s.mu.Unlock()
	for _, w := range ws {
		w.requestRebuild()
	}
	return nil
}

// changed routes a change of path (text nil: read the disk) to its
// workspace; a change of a configuration, policy or usage file rebuilds
// the engines it concerns instead.
func (s *Server) changed(path string, text []byte, version int32) {
	s.mu.Lock()
	ws := append([]*workspace(nil), s.workspaces...)
	s.mu.Unlock()
	settings := false
	for _, w := range ws {
		if w.usesSettingsFile(path) {
			w.requestRebuild()
			settings = true
		}
	}
	if settings || strings.HasSuffix(path, ".rego") || isSettingsFile(path) {
		return
	}
	w := s.workspaceFor(path, text != nil)
	if w == nil {
		return
	}
	w.change(path, text, version)
}

func isSettingsFile(path string) bool {
	return filepath.Base(path) == ".vpcgate.yaml"
}

func (s *Server) encoding() textpos.Encoding {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.enc
}

func (s *Server) currentSettings() Settings {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.settings
}

func (s *Server) showMessage(t protocol.MessageType, msg string) {
	if s.conn == nil {
		return
	}
	if err := s.conn.Notify(s.ctx, protocol.MethodWindowShowMessage, &protocol.ShowMessageParams{Type: t, Message: msg}); err != nil {
		s.log.Warn("showMessage", "error", err)
	}
}

// legacyRoot reads the root of a client that predates workspace folders.
func legacyRoot(p *protocol.InitializeParams) []string {
	//lint:ignore SA1019 such clients send only rootUri or rootPath
	if path, ok := uriPath(p.RootURI); ok {
		return []string{path}
	}
	//lint:ignore SA1019 as above
	if root := p.RootPath; root != "" {
		if abs, err := filepath.Abs(root); err == nil {
			return []string{abs}
		}
	}
	return nil
}
