package report

import (
	"os"
	"path/filepath"
	"strings"
)

// RepoRoot returns the repository root of dir: the nearest folder at or
// above it holding a .git entry (a clone's folder or a worktree's file);
// "" when there is none. Nothing is run and nothing but names is read.
func RepoRoot(dir string) string {
	if dir == "" {
		return ""
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// paths maps the file names of findings (relative to the working
// directory, or absolute) to paths relative to the repository root, as
// GitHub code scanning and GitLab merge requests expect.
type paths struct {
	// root is the repository root (absolute), "" when unknown.
	root string
	// work is the directory relative names are relative to.
	work string
}

func newPaths(o Options) paths {
	p := paths{root: o.Root, work: o.BaseDir}
	if p.root == "" && p.work != "" {
		p.root = RepoRoot(p.work)
		if p.root == "" {
			p.root = p.work
		}
	}
	if p.root != "" {
		if abs, err := filepath.Abs(p.root); err == nil {
			p.root = abs
		}
	}
	if p.work == "" {
		p.work = p.root
	}
	return p
}

// rel returns file relative to the root with forward slashes and true, or
// its absolute (or, with no root known, given) slash path and false when it
// lies outside the root.
func (p paths) rel(file string) (string, bool) {
	if file == "" {
		return "", false
	}
	abs := file
	if !filepath.IsAbs(abs) {
		if p.work == "" {
			return filepath.ToSlash(filepath.Clean(file)), true
		}
		abs = filepath.Join(p.work, file)
	}
	if p.root == "" {
		return filepath.ToSlash(abs), false
	}
	r, err := filepath.Rel(p.root, abs)
	if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return filepath.ToSlash(abs), false
	}
	return filepath.ToSlash(r), true
}

// uri returns the artifact URI of file: a percent-encoded relative
// reference with inRoot true, else an absolute file URI.
func (p paths) uri(file string) (uri string, inRoot bool) {
	r, in := p.rel(file)
	if in {
		return escapePath(r, false), true
	}
	return fileURI(r), false
}

// fileURI turns an absolute slash path (/a/b, C:/a/b) into a file URI.
func fileURI(abs string) string {
	if !strings.HasPrefix(abs, "/") {
		abs = "/" + abs
	}
	return "file://" + escapePath(abs, true)
}

// escapePath percent-encodes a slash path as a URI path (RFC 3986): every
// byte but the unreserved characters and "/" (and ":" when colon is set,
// for a drive letter after file:///) becomes %XX, so spaces, "#", "?", "%"
// and non-ASCII names survive and a relative reference never reads as a
// scheme.
func escapePath(p string, colon bool) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			c == '-', c == '.', c == '_', c == '~', c == '/', colon && c == ':':
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}
