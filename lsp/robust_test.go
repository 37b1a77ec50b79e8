package lsp

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/protocol"
)

// rawConn speaks bytes to a server, to send what no well-behaved client
// library would.
type rawConn struct {
	t   *testing.T
	c   net.Conn
	in  *bufio.Reader
	srv *Server
}

func startRaw(t *testing.T, root string) *rawConn {
	a, b := net.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	srv := newServer(ctx, Options{})
	done := make(chan struct{})
	go func() { srv.run(ctx, a); close(done) }()
	t.Cleanup(func() {
		cancel()
		b.Close()
		<-done
	})
	r := &rawConn{t: t, c: b, in: bufio.NewReader(b), srv: srv}
	_ = b.SetDeadline(time.Now().Add(60 * time.Second))
	return r
}

func (r *rawConn) send(body string) {
	r.t.Helper()
	if _, err := fmt.Fprintf(r.c, "Content-Length: %d\r\n\r\n%s", len(body), body); err != nil {
		r.t.Fatal(err)
	}
}

// recv reads messages until one with an id (a reply), returning it;
// notifications on the way are skipped.
func (r *rawConn) recv() map[string]any {
	r.t.Helper()
	for {
		length := 0
		for {
			line, err := r.in.ReadString('\n')
			if err != nil {
				r.t.Fatalf("reading: %v", err)
			}
			line = strings.TrimSpace(line)
			if line == "" {
				break
			}
			if v, ok := strings.CutPrefix(line, "Content-Length: "); ok {
				length, _ = strconv.Atoi(v)
			}
		}
		body := make([]byte, length)
		if _, err := io.ReadFull(r.in, body); err != nil {
			r.t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			r.t.Fatalf("server sent bad JSON %s: %v", body, err)
		}
		if _, ok := m["id"]; ok {
			return m
		}
	}
}

func errCode(m map[string]any) int {
	e, ok := m["error"].(map[string]any)
	if !ok {
		return 0
	}
	return int(e["code"].(float64))
}

// TestBrokenClient sends malformed JSON-RPC, unknown methods, a didChange
// for a file never opened and positions past the end of a line; each is
// answered with an error or ignored, and the server keeps serving.
func TestBrokenClient(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "main.tf"), []byte("resource \"aws_vpc\" \"main\" {\n  cidr_block = \"10.0.0.0/16\"\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := startRaw(t, root)

	// Before initialize: ServerNotInitialized.
	r.send(`{"jsonrpc":"2.0","id":1,"method":"textDocument/hover","params":{}}`)
	if m := r.recv(); errCode(m) != -32002 {
		t.Errorf("hover before initialize: %v", m)
	}
	r.send(fmt.Sprintf(`{"jsonrpc":"2.0","id":2,"method":"initialize","params":{"rootUri":%q,"capabilities":{}}}`, fileURI(root)))
	if m := r.recv(); m["result"] == nil {
		t.Fatalf("initialize: %v", m)
	} else if enc := m["result"].(map[string]any)["capabilities"].(map[string]any)["positionEncoding"]; enc != "utf-16" {
		t.Errorf("positionEncoding %v, want utf-16 when the client names none", enc)
	}
	r.send(`{"jsonrpc":"2.0","method":"initialized","params":{}}`)

	// Not JSON at all: a parse error with id null.
	r.send(`{"jsonrpc":"2.0","id":3,"method":`)
	if m := r.recv(); errCode(m) != -32700 || m["id"] != nil {
		t.Errorf("malformed JSON: %v", m)
	}
	// JSON, but no message.
	r.send(`[1,2,3]`)
	if m := r.recv(); errCode(m) != -32700 && errCode(m) != -32600 {
		t.Errorf("not a message: %v", m)
	}
	// A header block without Content-Length, then garbage headers: skipped.
	if _, err := io.WriteString(r.c, "X-Nonsense: 1\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	// Unknown request and notification.
	r.send(`{"jsonrpc":"2.0","method":"vpcgate/unknownNotification","params":{}}`)
	r.send(`{"jsonrpc":"2.0","id":4,"method":"vpcgate/unknown","params":{}}`)
	if m := r.recv(); errCode(m) != -32601 {
		t.Errorf("unknown method: %v", m)
	}
	// A method of the protocol vpcgate does not implement.
	r.send(`{"jsonrpc":"2.0","id":5,"method":"textDocument/completion","params":{"textDocument":{"uri":"file:///x.tf"},"position":{"line":0,"character":0}}}`)
	if m := r.recv(); errCode(m) != -32601 || !strings.Contains(fmt.Sprint(m["error"]), "not implemented") {
		t.Errorf("completion: %v", m)
	}
	// Params of the wrong shape.
	r.send(`{"jsonrpc":"2.0","id":6,"method":"textDocument/hover","params":{"position":"nowhere"}}`)
	if m := r.recv(); errCode(m) == 0 {
		t.Errorf("bad params: %v", m)
	}
	// A didChange for a document never opened, with a bad URI too.
	r.send(fmt.Sprintf(`{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":%q,"version":2},"contentChanges":[{"text":"x"}]}}`, fileURI(filepath.Join(root, "never.tf"))))
	r.send(`{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"::not a uri","version":2},"contentChanges":[{"text":"x"}]}}`)
	r.send(`{"jsonrpc":"2.0","method":"textDocument/didChange","params":"garbage"}`)
	// Open a file, then change it with positions past the end of a line
	// and past the last line: clamped.
	u := fileURI(filepath.Join(root, "main.tf"))
	r.send(fmt.Sprintf(`{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":%q,"languageId":"terraform","version":1,"text":"resource \"aws_vpc\" \"main\" {\n  cidr_block = \"10.0.0.0/16\"\n}\n"}}}`, u))
	r.send(fmt.Sprintf(`{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":%q,"version":2},"contentChanges":[{"range":{"start":{"line":1,"character":500},"end":{"line":1,"character":900}},"text":" # end"},{"range":{"start":{"line":99,"character":0},"end":{"line":120,"character":4}},"text":"# tail\n"}]}}`, u))
	// Hover past the end of a line and past the end of the file.
	r.send(fmt.Sprintf(`{"jsonrpc":"2.0","id":7,"method":"textDocument/hover","params":{"textDocument":{"uri":%q},"position":{"line":0,"character":4000}}}`, u))
	if m := r.recv(); errCode(m) != 0 {
		t.Errorf("hover past the end of a line: %v", m)
	} else if !strings.Contains(fmt.Sprint(m["result"]), "aws_vpc.main") {
		t.Errorf("hover past the end of line 0 should describe aws_vpc.main: %v", m)
	}
	r.send(fmt.Sprintf(`{"jsonrpc":"2.0","id":8,"method":"textDocument/codeAction","params":{"textDocument":{"uri":%q},"range":{"start":{"line":500,"character":0},"end":{"line":900,"character":9}},"context":{"diagnostics":[{"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":1}},"message":"x","data":"not an object"}]}}}`, u))
	if m := r.recv(); errCode(m) != 0 {
		t.Errorf("code action past the end: %v", m)
	}
	// The buffer holds the clamped edits; the document never opened was
	// not made one.
	r.srv.mu.Lock()
	if _, ok := r.srv.docs[filepath.Join(root, "never.tf")]; ok {
		t.Error("a didChange for a document never opened created a buffer")
	}
	text := string(r.srv.docs[filepath.Join(root, "main.tf")].text)
	r.srv.mu.Unlock()
	if want := "resource \"aws_vpc\" \"main\" {\n  cidr_block = \"10.0.0.0/16\" # end\n}\n# tail\n"; text != want {
		t.Errorf("buffer after clamped edits:\n%q\nwant\n%q", text, want)
	}
	// Still alive: shutdown and exit.
	r.send(`{"jsonrpc":"2.0","id":9,"method":"shutdown"}`)
	if m := r.recv(); errCode(m) != 0 {
		t.Errorf("shutdown: %v", m)
	}
	r.send(`{"jsonrpc":"2.0","id":10,"method":"textDocument/hover","params":{}}`)
	if m := r.recv(); errCode(m) != -32600 {
		t.Errorf("request after shutdown: %v", m)
	}
	r.send(`{"jsonrpc":"2.0","method":"exit"}`)
}

// TestSeveralFolders: each workspace folder is its own engine; both are
// published at start.
func TestSeveralFolders(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	open := "resource \"aws_security_group\" \"x\" {\n  ingress {\n    from_port = 22\n    to_port = 22\n    protocol = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n"
	for _, d := range []string{a, b} {
		if err := os.WriteFile(filepath.Join(d, "sg.tf"), []byte(open), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c := startClient(t, a, nil, Options{}, b)
	c.wait()
	c.srv.mu.Lock()
	n := len(c.srv.workspaces)
	c.srv.mu.Unlock()
	if n != 2 {
		t.Fatalf("%d workspaces, want 2", n)
	}
	for _, d := range []string{a, b} {
		c.mu.Lock()
		p := c.diags[filepath.Join(d, "sg.tf")]
		c.mu.Unlock()
		found := false
		for _, dg := range p.Diagnostics {
			if dg.Code == "admin-ports-open-to-world" {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: no admin-ports-open-to-world published: %+v", d, p.Diagnostics)
		}
	}
	// Removing a folder clears its diagnostics.
	c.notify(protocol.MethodWorkspaceDidChangeWorkspaceFolders, &protocol.DidChangeWorkspaceFoldersParams{Event: protocol.WorkspaceFoldersChangeEvent{Removed: []protocol.WorkspaceFolder{{URI: string(fileURI(b)), Name: "b"}}}})
	c.wait()
	c.mu.Lock()
	left := len(c.diags[filepath.Join(b, "sg.tf")].Diagnostics)
	c.mu.Unlock()
	if left != 0 {
		t.Errorf("removed folder still has %d diagnostics", left)
	}
}

// TestPanicInUpdate: a panic in an update is recovered on its goroutine;
// the change settles (the error is shown, the last analysis stays) and
// the next edit is analysed.
func TestPanicInUpdate(t *testing.T) {
	root := t.TempDir()
	open := "resource \"aws_security_group\" \"x\" {\n  ingress {\n    from_port = 22\n    to_port = 22\n    protocol = \"tcp\"\n    cidr_blocks = [\"10.0.0.0/8\"]\n  }\n}\n"
	if err := os.WriteFile(filepath.Join(root, "sg.tf"), []byte(open), 0o644); err != nil {
		t.Fatal(err)
	}
	c := startClient(t, root, nil, Options{})
	c.wait()
	c.open("sg.tf")
	c.wait()
	var once sync.Once
	updateHook = func() { once.Do(func() { panic("injected") }) }
	t.Cleanup(func() { updateHook = nil })
	_, off := c.at("sg.tf", "10.0.0.0/8")
	c.edit("sg.tf", off, off+len("10.0.0.0/8"), "0.0.0.0/0")
	c.wait() // would time out if the change stayed pending
	c.mu.Lock()
	msgs := strings.Join(c.msgs, "\n")
	c.mu.Unlock()
	if !strings.Contains(msgs, "internal error in the analysis: injected") {
		t.Errorf("no message about the panic: %q", msgs)
	}
	if strings.Contains(c.renderDiagnostics("sg.tf"), "admin-ports-open-to-world") {
		t.Error("the edit whose analysis panicked was published")
	}
	// The next edit is analysed.
	_, off = c.at("sg.tf", "from_port = 22")
	c.edit("sg.tf", off, off+len("from_port = 22"), "from_port = 21")
	c.wait()
	if !strings.Contains(c.renderDiagnostics("sg.tf"), "admin-ports-open-to-world") {
		t.Errorf("after the panic, the next edit was not analysed:\n%s", c.renderDiagnostics("sg.tf"))
	}
}
