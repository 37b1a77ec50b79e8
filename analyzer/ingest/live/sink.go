package live

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// A Sink receives the files of a collection. Each file is written in one go
// through a FileWriter and only becomes part of the collection when it is
// committed: a file abandoned half way (an error, a cancelled context)
// leaves nothing behind.
type Sink interface {
	// Create starts the file at rel, a slash-separated path
	// (<account>/<region>/<service>-<command>.json).
	Create(rel string) (FileWriter, error)
}

// FileWriter is one file being written.
type FileWriter interface {
	io.Writer
	// Commit makes the file part of the collection.
	Commit() error
	// Abort drops what was written; it is a no-op after Commit.
	Abort()
}

// File is one collected file held in memory.
type File struct {
	// Path is slash-separated: <account>/<region>/<service>-<command>.json.
	Path string
	Data []byte
}

// DirSink writes each file under Dir atomically: into a temporary file in
// Dir, renamed over the destination on Commit, removed
// on Abort. A reader of the folder sees either the previous file or the
// complete new one, never a half-written one.
type DirSink struct {
	Dir string
}

// Create implements Sink.
func (s DirSink) Create(rel string) (FileWriter, error) {
	dest, err := s.path(rel)
	if err != nil {
		return nil, err
	}
	// The temporary file goes in Dir itself (same file system, so the
	// rename is atomic); the destination's folder is made on Commit only,
	// so a region or account with nothing collected leaves no folder.
	if err := os.MkdirAll(s.Dir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(s.Dir, "."+filepath.Base(dest)+".tmp-*")
	if err != nil {
		return nil, err
	}
	return &dirFile{f: f, w: bufio.NewWriterSize(f, 64<<10), dest: dest}, nil
}

// path turns rel into a path under Dir, refusing anything that would lead
// out of it.
func (s DirSink) path(rel string) (string, error) {
	clean := path.Clean(rel)
	if rel == "" || path.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, "../") || strings.Contains(rel, "\\") {
		return "", fmt.Errorf("file %q is not a path inside the output folder", rel)
	}
	return filepath.Join(s.Dir, filepath.FromSlash(clean)), nil
}

type dirFile struct {
	f    *os.File
	w    *bufio.Writer
	dest string
	done bool
}

func (d *dirFile) Write(p []byte) (int, error) { return d.w.Write(p) }

func (d *dirFile) Commit() error {
	if d.done {
		return nil
	}
	d.done = true
	err := d.w.Flush()
	if err == nil {
		err = d.f.Chmod(0o644)
	}
	if cerr := d.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.MkdirAll(filepath.Dir(d.dest), 0o755)
	}
	if err == nil {
		err = os.Rename(d.f.Name(), d.dest)
	}
	if err != nil {
		os.Remove(d.f.Name())
		return fmt.Errorf("writing %s: %w", d.dest, err)
	}
	return nil
}

func (d *dirFile) Abort() {
	if d.done {
		return
	}
	d.done = true
	d.f.Close()
	os.Remove(d.f.Name())
}

// MemSink holds the files in memory (vpcgate scan --live). It is safe for
// concurrent use.
type MemSink struct {
	mu    sync.Mutex
	files map[string][]byte
}

// Create implements Sink.
func (m *MemSink) Create(rel string) (FileWriter, error) {
	return &memFile{sink: m, path: rel}, nil
}

// Files returns the committed files sorted by path.
func (m *MemSink) Files() []File {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]File, 0, len(m.files))
	for p, d := range m.files {
		out = append(out, File{Path: p, Data: d})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

type memFile struct {
	sink *MemSink
	path string
	buf  bytes.Buffer
	done bool
}

func (f *memFile) Write(p []byte) (int, error) { return f.buf.Write(p) }

func (f *memFile) Commit() error {
	if f.done {
		return nil
	}
	f.done = true
	f.sink.mu.Lock()
	defer f.sink.mu.Unlock()
	if f.sink.files == nil {
		f.sink.files = map[string][]byte{}
	}
	f.sink.files[f.path] = f.buf.Bytes()
	return nil
}

func (f *memFile) Abort() { f.done = true; f.buf = bytes.Buffer{} }

// Tee writes every file to each of its sinks (vpcgate scan --live --out
// DIR: in memory for the analysis and on disk as a dump).
type Tee []Sink

// Create implements Sink.
func (t Tee) Create(rel string) (FileWriter, error) {
	var ws teeFile
	for _, s := range t {
		w, err := s.Create(rel)
		if err != nil {
			ws.Abort()
			return nil, err
		}
		ws = append(ws, w)
	}
	return ws, nil
}

type teeFile []FileWriter

func (t teeFile) Write(p []byte) (int, error) {
	for _, w := range t {
		if _, err := w.Write(p); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

func (t teeFile) Commit() error {
	for i, w := range t {
		if err := w.Commit(); err != nil {
			for _, rest := range t[i+1:] {
				rest.Abort()
			}
			return err
		}
	}
	return nil
}

func (t teeFile) Abort() {
	for _, w := range t {
		w.Abort()
	}
}
