package lsp

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"golang.org/x/tools/txtar"

	"github.com/vpcgate/vpcgate/analyzer"
	"github.com/vpcgate/vpcgate/analyzer/textpos"
)

var update = flag.Bool("update", false, "rewrite the expected outputs of testdata/*.txtar")

// client is an in-process LSP client talking to a Server over a pipe.
type client struct {
	t    testing.TB
	srv  *Server
	conn jsonrpc2.Conn
	root string
	enc  textpos.Encoding

	mu    sync.Mutex
	diags map[string]protocol.PublishDiagnosticsParams // by path
	pubs  map[string]int                               // publishes by path
	msgs  []string                                     // window/showMessage
	texts map[string][]byte
	vers  map[string]int32
}

// startClient starts a server on one end of a pipe and a client on the
// other, initialised with root as its workspace folder.
func startClient(t testing.TB, root string, initOptions any, opts Options, more ...string) *client {
	t.Helper()
	a, b := net.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	srv := newServer(ctx, opts)
	done := make(chan struct{})
	go func() { srv.run(ctx, a); close(done) }()
	c := &client{t: t, srv: srv, root: root, diags: map[string]protocol.PublishDiagnosticsParams{}, pubs: map[string]int{}, texts: map[string][]byte{}, vers: map[string]int32{}}
	c.conn = jsonrpc2.NewConn(jsonrpc2.NewStream(b))
	c.conn.Go(ctx, func(ctx context.Context, reply jsonrpc2.Replier, req jsonrpc2.Request) error {
		switch req.Method() {
		case protocol.MethodTextDocumentPublishDiagnostics:
			var p protocol.PublishDiagnosticsParams
			if err := json.Unmarshal(req.Params(), &p); err != nil {
				t.Errorf("publishDiagnostics: %v", err)
			}
			path, _ := uriPath(p.URI)
			c.mu.Lock()
			c.diags[path] = p
			c.pubs[path]++
			c.mu.Unlock()
		case protocol.MethodWindowShowMessage:
			var p protocol.ShowMessageParams
			_ = json.Unmarshal(req.Params(), &p)
			c.mu.Lock()
			c.msgs = append(c.msgs, p.Message)
			c.mu.Unlock()
		}
		return reply(ctx, nil, nil)
	})
	t.Cleanup(func() {
		_ = c.conn.Notify(context.Background(), protocol.MethodExit, nil)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("server did not stop on exit")
		}
		cancel()
		c.conn.Close()
	})
	params := map[string]any{
		"processId":        os.Getpid(),
		"rootUri":          fileURI(root),
		"workspaceFolders": folders(append([]string{root}, more...)),
		"capabilities":     map[string]any{"general": map[string]any{"positionEncodings": []string{"utf-16"}}},
	}
	if initOptions != nil {
		params["initializationOptions"] = initOptions
	}
	var res struct {
		Capabilities struct {
			PositionEncoding string `json:"positionEncoding"`
		} `json:"capabilities"`
	}
	c.call(protocol.MethodInitialize, params, &res)
	c.enc = textpos.Encoding(res.Capabilities.PositionEncoding)
	c.notify(protocol.MethodInitialized, map[string]any{})
	return c
}

func folders(roots []string) []map[string]string {
	var out []map[string]string
	for _, r := range roots {
		out = append(out, map[string]string{"uri": string(fileURI(r)), "name": filepath.Base(r)})
	}
	return out
}

func (c *client) call(method string, params, result any) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if _, err := c.conn.Call(ctx, method, params, result); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
}

func (c *client) notify(method string, params any) {
	c.t.Helper()
	if err := c.conn.Notify(context.Background(), method, params); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
}

// wait returns once every workspace has analysed and published every
// change, and the client has handled what was published.
func (c *client) wait() {
	c.t.Helper()
	// The server handles notifications in order before it answers the
	// ping: every change sent so far has been recorded.
	_, _ = c.conn.Call(context.Background(), "vpcgate/ping", nil, nil)
	deadline := time.Now().Add(60 * time.Second)
	for {
		time.Sleep(5 * time.Millisecond)
		c.srv.mu.Lock()
		ws := append([]*workspace(nil), c.srv.workspaces...)
		c.srv.mu.Unlock()
		idle := len(ws) > 0
		for _, w := range ws {
			if !w.idle() {
				idle = false
			}
		}
		if idle {
			break
		}
		if time.Now().After(deadline) {
			c.t.Fatal("the server did not settle within 60s")
		}
	}
	// A round trip: the client handles messages in order, so every
	// notification sent before the reply has been handled.
	_, _ = c.conn.Call(context.Background(), "vpcgate/ping", nil, nil)
}

func (c *client) abs(name string) string { return filepath.Join(c.root, filepath.FromSlash(name)) }

func (c *client) uri(name string) protocol.DocumentURI { return fileURI(c.abs(name)) }

func (c *client) open(name string) {
	c.t.Helper()
	data, err := os.ReadFile(c.abs(name))
	if err != nil {
		c.t.Fatal(err)
	}
	c.texts[name] = data
	c.vers[name] = 1
	c.notify(protocol.MethodTextDocumentDidOpen, &protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{
		URI: c.uri(name), LanguageID: "terraform", Version: 1, Text: string(data),
	}})
}

// edit replaces bytes [start, end) of an open document's text with an
// incremental didChange.
func (c *client) edit(name string, start, end int, text string) {
	c.t.Helper()
	old, ok := c.texts[name]
	if !ok {
		c.t.Fatalf("%s is not open", name)
	}
	m := textpos.New(old)
	s, e := m.Position(start, c.enc), m.Position(end, c.enc)
	next := append(append(append([]byte(nil), old[:start]...), text...), old[end:]...)
	c.texts[name] = next
	c.vers[name]++
	c.notify(protocol.MethodTextDocumentDidChange, map[string]any{
		"textDocument": map[string]any{"uri": c.uri(name), "version": c.vers[name]},
		"contentChanges": []map[string]any{{
			"range": map[string]any{"start": map[string]any{"line": s.Line, "character": s.Character}, "end": map[string]any{"line": e.Line, "character": e.Character}},
			"text":  text,
		}},
	})
}

// at returns the LSP position of the first occurrence of needle.
func (c *client) at(name, needle string) (protocol.Position, int) {
	c.t.Helper()
	text := c.text(name)
	off := bytes.Index(text, []byte(needle))
	if off < 0 {
		c.t.Fatalf("%q not in %s", needle, name)
	}
	p := textpos.New(text).Position(off, c.enc)
	return protocol.Position{Line: p.Line, Character: p.Character}, off
}

func (c *client) text(name string) []byte {
	if t, ok := c.texts[name]; ok {
		return t
	}
	data, err := os.ReadFile(c.abs(name))
	if err != nil {
		c.t.Fatal(err)
	}
	return data
}

func (c *client) rel(u protocol.DocumentURI) string {
	p, _ := uriPath(u)
	if r, err := filepath.Rel(c.root, p); err == nil {
		return filepath.ToSlash(r)
	}
	return p
}

func pos(r protocol.Range) string {
	return fmt.Sprintf("%d:%d-%d:%d", r.Start.Line+1, r.Start.Character+1, r.End.Line+1, r.End.Character+1)
}

var severityName = map[protocol.DiagnosticSeverity]string{1: "error", 2: "warning", 3: "info", 4: "hint"}

// renderDiagnostics formats the last diagnostics published for name.
func (c *client) renderDiagnostics(name string) string {
	c.mu.Lock()
	p := c.diags[c.abs(name)]
	c.mu.Unlock()
	var b strings.Builder
	for _, d := range p.Diagnostics {
		code := ""
		if d.Code != nil {
			code = fmt.Sprint(d.Code) + " "
		}
		fmt.Fprintf(&b, "%s %s %s%s\n", pos(d.Range), severityName[d.Severity], code, d.Message)
		if d.CodeDescription != nil {
			fmt.Fprintf(&b, "  doc %s\n", d.CodeDescription.Href)
		}
		for _, t := range d.Tags {
			fmt.Fprintf(&b, "  tag %v\n", t)
		}
		for _, r := range d.RelatedInformation {
			fmt.Fprintf(&b, "  related %s:%s %s\n", c.rel(r.Location.URI), pos(r.Location.Range), r.Message)
		}
	}
	return b.String()
}

func (c *client) actions(name, needle string) []protocol.CodeAction {
	p, off := c.at(name, needle)
	end := textpos.New(c.text(name)).Position(off+len(needle), c.enc)
	var acts []protocol.CodeAction
	c.call(protocol.MethodTextDocumentCodeAction, &protocol.CodeActionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: c.uri(name)},
		Range:        protocol.Range{Start: p, End: protocol.Position{Line: end.Line, Character: end.Character}},
	}, &acts)
	return acts
}

func (c *client) renderActions(acts []protocol.CodeAction) string {
	var b strings.Builder
	for _, a := range acts {
		fmt.Fprintf(&b, "%s [%s]\n", a.Title, a.Kind)
		if a.Edit == nil {
			continue
		}
		var uris []string
		for u := range a.Edit.Changes {
			uris = append(uris, string(u))
		}
		sort.Strings(uris)
		for _, u := range uris {
			for _, e := range a.Edit.Changes[protocol.DocumentURI(u)] {
				fmt.Fprintf(&b, "  %s:%s %q\n", c.rel(protocol.DocumentURI(u)), pos(e.Range), e.NewText)
			}
		}
	}
	return b.String()
}

// apply applies a code action's edits to the open documents, last edit
// first, each as a didChange.
func (c *client) apply(a protocol.CodeAction) {
	c.t.Helper()
	for u, edits := range a.Edit.Changes {
		name := c.rel(u)
		sort.Slice(edits, func(i, j int) bool {
			if edits[i].Range.Start.Line != edits[j].Range.Start.Line {
				return edits[i].Range.Start.Line > edits[j].Range.Start.Line
			}
			return edits[i].Range.Start.Character > edits[j].Range.Start.Character
		})
		for _, e := range edits {
			m := textpos.New(c.text(name))
			s := m.ByteOffset(textpos.Position{Line: e.Range.Start.Line, Character: e.Range.Start.Character}, c.enc)
			en := m.ByteOffset(textpos.Position{Line: e.Range.End.Line, Character: e.Range.End.Character}, c.enc)
			c.edit(name, s, en, e.NewText)
		}
	}
}

// args splits a command line into words; a word may be a Go-quoted
// string.
func args(t testing.TB, line string) []string {
	var out []string
	for line = strings.TrimSpace(line); line != ""; line = strings.TrimSpace(line) {
		if line[0] == '"' || line[0] == '`' {
			q, err := strconv.QuotedPrefix(line)
			if err != nil {
				t.Fatalf("bad quoted word in %q: %v", line, err)
			}
			s, _ := strconv.Unquote(q)
			out = append(out, s)
			line = line[len(q):]
			continue
		}
		i := strings.IndexAny(line, " \t")
		if i < 0 {
			i = len(line)
		}
		out = append(out, line[:i])
		line = line[i:]
	}
	return out
}

// TestCases runs testdata/*.txtar. Each archive holds the workspace's
// files, expected outputs under want/ and, in its comment, a script:
//
//	init JSON                    initializationOptions (before any other command)
//	open FILE                    didOpen with the file's text
//	replace FILE OLD NEW         an incremental didChange replacing the first OLD
//	save FILE                    write the buffer to disk and send didSave
//	close FILE                   didClose
//	write FILE SRC               write archive file SRC to FILE on disk and send didChangeWatchedFiles
//	config JSON                  workspace/didChangeConfiguration
//	diagnostics FILE WANT        compare the diagnostics published for FILE with want/WANT
//	hover FILE NEEDLE WANT       hover at NEEDLE's first occurrence
//	actions FILE NEEDLE WANT     code actions over NEEDLE
//	apply FILE NEEDLE TITLE      apply the action whose title contains TITLE
//	lens FILE WANT               code lenses
//	symbols FILE WANT            document symbols
//	has FILE RULE / hasnt FILE RULE   a diagnostic with code RULE (not a hint) is (not) published
//	publishes FILE N             FILE's diagnostics were published N times so far
//	message TEXT                 a window/showMessage containing TEXT was sent
//	messages N                   N window/showMessage were sent so far
//
// Every command that changes something waits until the server has
// analysed and published the change. go test -update rewrites want/.
func TestCases(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.txtar")
	if len(files) == 0 {
		t.Fatal("no test cases")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) { runCase(t, file) })
	}
}

func runCase(t *testing.T, file string) {
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	root, _ = filepath.EvalSymlinks(root)
	archive := map[string][]byte{}
	for _, f := range ar.Files {
		archive[f.Name] = f.Data
		if strings.HasPrefix(f.Name, "want/") || strings.HasPrefix(f.Name, "src/") {
			continue
		}
		p := filepath.Join(root, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	lines := strings.Split(string(ar.Comment), "\n")
	var initOptions any
	if len(lines) > 0 {
		if a := args(t, lines[0]); len(a) == 2 && a[0] == "init" {
			if err := json.Unmarshal([]byte(a[1]), &initOptions); err != nil {
				t.Fatalf("init: %v", err)
			}
			lines = lines[1:]
		}
	}
	c := startClient(t, root, initOptions, Options{EngineOptions: []analyzer.Option{analyzer.WithNow(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))}})
	c.wait()
	changedWant := false
	check := func(lineNo int, want, got string) {
		t.Helper()
		key := "want/" + want
		if *update {
			archive[key] = []byte(got)
			changedWant = true
			return
		}
		exp, ok := archive[key]
		if !ok {
			t.Errorf("line %d: %s is not in the archive (run go test -update)", lineNo, key)
			return
		}
		if string(exp) != got {
			t.Errorf("line %d: %s differs:\n--- want\n%s\n--- got\n%s", lineNo, key, exp, got)
		}
	}
	for i, line := range lines {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		a := args(t, line)
		n := i + 2
		need := func(k int) {
			if len(a) != k+1 {
				t.Fatalf("line %d: %s takes %d arguments", n, a[0], k)
			}
		}
		switch a[0] {
		case "open":
			need(1)
			c.open(a[1])
			c.wait()
		case "replace":
			need(3)
			_, off := c.at(a[1], a[2])
			c.edit(a[1], off, off+len(a[2]), a[3])
			c.wait()
		case "save":
			need(1)
			if err := os.WriteFile(c.abs(a[1]), c.text(a[1]), 0o644); err != nil {
				t.Fatal(err)
			}
			c.notify(protocol.MethodTextDocumentDidSave, &protocol.DidSaveTextDocumentParams{TextDocument: protocol.TextDocumentIdentifier{URI: c.uri(a[1])}})
			c.wait()
		case "close":
			need(1)
			delete(c.texts, a[1])
			c.notify(protocol.MethodTextDocumentDidClose, &protocol.DidCloseTextDocumentParams{TextDocument: protocol.TextDocumentIdentifier{URI: c.uri(a[1])}})
			c.wait()
		case "write":
			need(2)
			data, ok := archive[a[2]]
			if !ok {
				t.Fatalf("line %d: no archive file %s", n, a[2])
			}
			if err := os.WriteFile(c.abs(a[1]), data, 0o644); err != nil {
				t.Fatal(err)
			}
			c.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, &protocol.DidChangeWatchedFilesParams{Changes: []*protocol.FileEvent{{Type: protocol.FileChangeTypeChanged, URI: c.uri(a[1])}}})
			c.wait()
		case "config":
			need(1)
			var v any
			if err := json.Unmarshal([]byte(a[1]), &v); err != nil {
				t.Fatalf("line %d: %v", n, err)
			}
			c.notify(protocol.MethodWorkspaceDidChangeConfiguration, &protocol.DidChangeConfigurationParams{Settings: v})
			c.wait()
		case "diagnostics":
			need(2)
			check(n, a[2], c.renderDiagnostics(a[1]))
		case "hover":
			need(3)
			p, _ := c.at(a[1], a[2])
			var h *protocol.Hover
			c.call(protocol.MethodTextDocumentHover, &protocol.HoverParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{TextDocument: protocol.TextDocumentIdentifier{URI: c.uri(a[1])}, Position: p}}, &h)
			got := "no hover\n"
			if h != nil {
				got = h.Contents.Value + "\n"
				if h.Range != nil {
					got = "range " + pos(*h.Range) + "\n" + got
				}
			}
			check(n, a[3], got)
		case "actions":
			need(3)
			check(n, a[3], c.renderActions(c.actions(a[1], a[2])))
		case "apply":
			need(3)
			var found *protocol.CodeAction
			acts := c.actions(a[1], a[2])
			for i := range acts {
				if strings.Contains(acts[i].Title, a[3]) {
					found = &acts[i]
					break
				}
			}
			if found == nil {
				t.Fatalf("line %d: no action titled %q among:\n%s", n, a[3], c.renderActions(acts))
			}
			c.apply(*found)
			c.wait()
		case "lens":
			need(2)
			var lenses []protocol.CodeLens
			c.call(protocol.MethodTextDocumentCodeLens, &protocol.CodeLensParams{TextDocument: protocol.TextDocumentIdentifier{URI: c.uri(a[1])}}, &lenses)
			var b strings.Builder
			for _, l := range lenses {
				fmt.Fprintf(&b, "%d:%d %s\n", l.Range.Start.Line+1, l.Range.Start.Character+1, l.Command.Title)
			}
			check(n, a[2], b.String())
		case "symbols":
			need(2)
			var syms []protocol.DocumentSymbol
			c.call(protocol.MethodTextDocumentDocumentSymbol, &protocol.DocumentSymbolParams{TextDocument: protocol.TextDocumentIdentifier{URI: c.uri(a[1])}}, &syms)
			var b strings.Builder
			for _, s := range syms {
				fmt.Fprintf(&b, "%s %s %s (%s)\n", pos(s.Range), s.Kind, s.Name, s.Detail)
			}
			check(n, a[2], b.String())
		case "has", "hasnt":
			need(2)
			c.mu.Lock()
			p := c.diags[c.abs(a[1])]
			c.mu.Unlock()
			found := false
			for _, d := range p.Diagnostics {
				if fmt.Sprint(d.Code) == a[2] && d.Severity != protocol.DiagnosticSeverityHint {
					found = true
				}
			}
			if found != (a[0] == "has") {
				t.Errorf("line %d: %s %s %s: diagnostics are\n%s", n, a[0], a[1], a[2], c.renderDiagnostics(a[1]))
			}
		case "publishes":
			need(2)
			c.mu.Lock()
			got := c.pubs[c.abs(a[1])]
			c.mu.Unlock()
			if strconv.Itoa(got) != a[2] {
				t.Errorf("line %d: %s published %d times, want %s", n, a[1], got, a[2])
			}
		case "message":
			need(1)
			c.mu.Lock()
			msgs := append([]string(nil), c.msgs...)
			c.mu.Unlock()
			found := false
			for _, m := range msgs {
				if strings.Contains(m, a[1]) {
					found = true
				}
			}
			if !found {
				t.Errorf("line %d: no message contains %q; messages: %q", n, a[1], msgs)
			}
		case "messages":
			need(1)
			c.mu.Lock()
			got := len(c.msgs)
			c.mu.Unlock()
			if strconv.Itoa(got) != a[1] {
				t.Errorf("line %d: %d messages, want %s: %q", n, got, a[1], c.msgs)
			}
		default:
			t.Fatalf("line %d: unknown command %q", n, a[0])
		}
	}
	if *update && changedWant {
		var keep []txtar.File
		for _, f := range ar.Files {
			if !strings.HasPrefix(f.Name, "want/") {
				keep = append(keep, f)
			}
		}
		var wants []string
		for k := range archive {
			if strings.HasPrefix(k, "want/") {
				wants = append(wants, k)
			}
		}
		sort.Strings(wants)
		for _, k := range wants {
			keep = append(keep, txtar.File{Name: k, Data: archive[k]})
		}
		ar.Files = keep
		if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
