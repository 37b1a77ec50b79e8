package diff

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"
)

// The base of a comparison is read as an overlay of the head's paths
// (analyzer.Request.Overlay): the base's content for every file the base
// has, nil for a file only the head has. Unchanged files hash the same on
// both sides, so the engine reads them once, and every location names the
// head's paths.

// inputExts are the extensions of files an analysis may read; other files
// are left out of the overlay (the same on both sides as far as vpcgate
// is concerned).
var inputExts = map[string]bool{".tf": true, ".tfvars": true, ".json": true, ".yaml": true, ".yml": true, ".template": true}

// skipDirs are folders that are never part of a revision: version control
// and tools' caches. The head's copy (a `terraform init` module cache)
// serves both sides.
var skipDirs = map[string]bool{".git": true, ".hg": true, ".svn": true, "node_modules": true, ".terraform": true}

func isInput(name string) bool { return inputExts[strings.ToLower(filepath.Ext(name))] }

// BaseLimits bound what reading a base may load into memory.
type BaseLimits struct {
	// MaxFileSize is the largest file read (bytes); 0 means 256 MiB.
	MaxFileSize int64
	// MaxTotal bounds the bytes of every file read together; 0 means 2 GiB.
	MaxTotal int64
}

func (l BaseLimits) withDefaults() BaseLimits {
	if l.MaxFileSize <= 0 {
		l.MaxFileSize = 256 << 20
	}
	if l.MaxTotal <= 0 {
		l.MaxTotal = 2 << 30
	}
	return l
}

// GitError is a problem reading a revision with git.
type GitError struct {
	Ref  string
	Path string
	Err  error
}

func (e *GitError) Error() string {
	return fmt.Sprintf("base %s of %s: %v", e.Ref, e.Path, e.Err)
}

func (e *GitError) Unwrap() error { return e.Err }

// GitOverlay returns the overlay that makes an analysis of paths read
// revision ref of the git repository holding them: every input file of ref
// under each path with its content, nil for an input file the working tree
// has (tracked or not ignored) and ref lacks. Files git ignores (a
// .terraform module cache) are not in the overlay: both sides read them.
// The working tree and the index are not touched (git ls-tree, ls-files
// and cat-file only). It also returns the full commit id of ref.
func GitOverlay(ctx context.Context, ref string, paths []string, lim BaseLimits) (map[string][]byte, string, error) {
	lim = lim.withDefaults()
	if ref == "" || strings.HasPrefix(ref, "-") {
		return nil, "", &GitError{Ref: ref, Path: strings.Join(paths, ", "), Err: errors.New("not a revision")}
	}
	overlay := map[string][]byte{}
	var commit string
	var total int64
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, "", &GitError{Ref: ref, Path: p, Err: err}
		}
		st, err := os.Stat(abs)
		if err != nil {
			return nil, "", &GitError{Ref: ref, Path: p, Err: err}
		}
		dir := abs
		if !st.IsDir() {
			dir = filepath.Dir(abs)
		}
		top, err := git(ctx, dir, nil, "rev-parse", "--show-toplevel")
		if err != nil {
			return nil, "", &GitError{Ref: ref, Path: p, Err: fmt.Errorf("not in a git repository: %w", err)}
		}
		topDir := strings.TrimSpace(string(top))
		rel, err := relInside(topDir, abs)
		if err != nil {
			return nil, "", &GitError{Ref: ref, Path: p, Err: err}
		}
		out, err := git(ctx, topDir, nil, "rev-parse", "--verify", "--quiet", "--end-of-options", ref+"^{commit}")
		if err != nil {
			return nil, "", &GitError{Ref: ref, Path: p, Err: fmt.Errorf("unknown revision %q in %s", ref, topDir)}
		}
		c := strings.TrimSpace(string(out))
		if commit != "" && c != commit {
			return nil, "", &GitError{Ref: ref, Path: p, Err: fmt.Errorf("the paths lie in different repositories (%s names %s and %s)", ref, commit, c)}
		}
		commit = c
		n, err := gitTree(ctx, topDir, commit, rel, abs, st.IsDir(), lim, &total, overlay)
		if err != nil {
			return nil, "", &GitError{Ref: ref, Path: p, Err: err}
		}
		_ = n
	}
	return overlay, commit, nil
}

// relInside returns p relative to top in slash form ("." for top itself),
// resolving symbolic links on both (git prints the real top level).
func relInside(top, p string) (string, error) {
	rt, err := filepath.EvalSymlinks(top)
	if err != nil {
		return "", err
	}
	rp, err := filepath.EvalSymlinks(p)
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(rt, rp)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%s is outside the repository %s", p, top)
	}
	return filepath.ToSlash(rel), nil
}

// treeEntry is one line of git ls-tree -r -l.
type treeEntry struct {
	mode, typ, oid string
	size           int64
	path           string // relative to the repository top, slash form
}

// gitTree adds the files of commit under rel (the head path abs) to
// overlay and returns how many it added.
func gitTree(ctx context.Context, top, commit, rel, abs string, isDir bool, lim BaseLimits, total *int64, overlay map[string][]byte) (int, error) {
	spec := rel
	if spec == "." {
		spec = ""
	}
	args := []string{"ls-tree", "-r", "-l", "-z", "--full-tree", commit}
	if spec != "" {
		args = append(args, "--", spec)
	}
	out, err := git(ctx, top, nil, args...)
	if err != nil {
		return 0, err
	}
	var entries []treeEntry
	byPath := map[string]treeEntry{}
	for _, rec := range bytes.Split(out, []byte{0}) {
		if len(rec) == 0 {
			continue
		}
		meta, name, ok := bytes.Cut(rec, []byte{'\t'})
		if !ok {
			return 0, fmt.Errorf("git ls-tree: unexpected line %q", rec)
		}
		f := strings.Fields(string(meta))
		if len(f) != 4 {
			return 0, fmt.Errorf("git ls-tree: unexpected line %q", rec)
		}
		e := treeEntry{mode: f[0], typ: f[1], oid: f[2], path: string(name)}
		e.size, _ = strconv.ParseInt(f[3], 10, 64)
		entries = append(entries, e)
		byPath[e.path] = e
	}
	// headPath maps a repository path to the head's file.
	headPath := func(p string) (string, bool) {
		if spec == "" {
			return filepath.Join(abs, filepath.FromSlash(p)), true
		}
		if p == spec {
			return abs, true
		}
		if isDir && strings.HasPrefix(p, spec+"/") {
			return filepath.Join(abs, filepath.FromSlash(p[len(spec)+1:])), true
		}
		return "", false
	}
	inSkipped := func(p string) bool {
		for _, part := range strings.Split(p, "/") {
			if skipDirs[part] {
				return true
			}
		}
		return false
	}
	// want maps object ids to the head paths that take their content.
	want := map[string][]string{}
	var order []string
	take := func(e treeEntry, dst string) error {
		if e.size > lim.MaxFileSize {
			return fmt.Errorf("%s is %d bytes, over the largest input file (%d bytes, --max-file-size)", e.path, e.size, lim.MaxFileSize)
		}
		if _, ok := want[e.oid]; !ok {
			*total += e.size
			if *total > lim.MaxTotal {
				return fmt.Errorf("the base's input files exceed %d bytes together", lim.MaxTotal)
			}
			order = append(order, e.oid)
		}
		want[e.oid] = append(want[e.oid], dst)
		return nil
	}
	// Only the files that differ between ref and the working tree go into
	// the overlay: an unchanged file (and its folder's listing) then
	// hashes the same on both sides and the engine reads it once.
	differs, err := changedPaths(ctx, top, commit, spec)
	if err != nil {
		return 0, err
	}
	underChanged := func(dir string) bool {
		for p := range differs {
			if strings.HasPrefix(p, dir+"/") {
				return true
			}
		}
		return false
	}
	base := map[string]bool{} // head paths the overlay gives content
	for _, e := range entries {
		rp := e.path
		if inSkipped(rp) {
			continue
		}
		dst, ok := headPath(rp)
		if !ok {
			continue
		}
		switch e.mode {
		case "120000": // a symbolic link: its content is the target
			out, err := git(ctx, top, nil, "cat-file", "blob", e.oid)
			if err != nil {
				return 0, err
			}
			t := path.Clean(path.Join(path.Dir(rp), string(out)))
			if differs[rp] || differs[t] || underChanged(t) {
				base[dst] = true
				if err := linkTargets(e, t, entries, byPath, dst, take, base); err != nil {
					return 0, err
				}
			}
			continue
		case "160000": // a submodule: its content is not in this repository
			continue
		}
		if e.typ != "blob" || !isInput(rp) || !differs[rp] {
			continue
		}
		base[dst] = true
		if err := take(e, dst); err != nil {
			return 0, err
		}
	}
	if err := catFiles(ctx, top, order, want, overlay); err != nil {
		return 0, err
	}
	// Input files of the working tree the base lacks are absent from it.
	for rp := range differs {
		if inSkipped(rp) || !isInput(rp) {
			continue
		}
		dst, ok := headPath(rp)
		if !ok || base[dst] {
			continue
		}
		if _, ok := overlay[dst]; !ok {
			overlay[dst] = nil
		}
	}
	return len(order), nil
}

// changedPaths lists the repository paths under spec whose working-tree
// state differs from commit: tracked files changed, added or deleted
// (git diff, without touching the index), and untracked files git does not
// ignore.
func changedPaths(ctx context.Context, top, commit, spec string) (map[string]bool, error) {
	diffArgs := []string{"diff", "--no-renames", "--ignore-submodules", "--name-only", "-z", commit}
	lsArgs := []string{"ls-files", "-z", "--others", "--exclude-standard", "--full-name"}
	if spec != "" {
		diffArgs = append(diffArgs, "--", spec)
		lsArgs = append(lsArgs, "--", spec)
	}
	out := map[string]bool{}
	for _, args := range [][]string{diffArgs, lsArgs} {
		b, err := git(ctx, top, nil, args...)
		if err != nil {
			return nil, err
		}
		for _, rec := range bytes.Split(b, []byte{0}) {
			if len(rec) > 0 {
				out[string(rec)] = true
			}
		}
	}
	return out, nil
}

// linkTargets gives a symbolic link of the base, whose target is t (a
// repository path), the content of its target when the target is a file or
// folder of the same tree (a link that leaves the repository, or names
// nothing, leaves the path absent).
func linkTargets(link treeEntry, t string, entries []treeEntry, byPath map[string]treeEntry, dst string, take func(treeEntry, string) error, base map[string]bool) error {
	if path.IsAbs(t) || t == ".." || strings.HasPrefix(t, "../") {
		return nil
	}
	if e, ok := byPath[t]; ok {
		if e.typ == "blob" && e.mode != "120000" && isInput(link.path) {
			return take(e, dst)
		}
		return nil
	}
	for _, e := range entries {
		if strings.HasPrefix(e.path, t+"/") && e.typ == "blob" && e.mode != "120000" && isInput(e.path) {
			d := filepath.Join(dst, filepath.FromSlash(e.path[len(t)+1:]))
			base[d] = true
			if err := take(e, d); err != nil {
				return err
			}
		}
	}
	return nil
}

// catFiles reads the objects in order with one git cat-file --batch.
func catFiles(ctx context.Context, top string, order []string, want map[string][]string, overlay map[string][]byte) error {
	if len(order) == 0 {
		return nil
	}
	var in bytes.Buffer
	for _, oid := range order {
		in.WriteString(oid)
		in.WriteByte('\n')
	}
	cmd := exec.CommandContext(ctx, "git", "-C", top, "cat-file", "--batch")
	cmd.Env = gitEnv()
	cmd.Stdin = &in
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("git cat-file: %w", err)
	}
	r := bufio.NewReaderSize(stdout, 1<<16)
	var readErr error
	for _, oid := range order {
		header, err := r.ReadString('\n')
		if err != nil {
			readErr = fmt.Errorf("git cat-file: %w", err)
			break
		}
		f := strings.Fields(header)
		if len(f) != 3 || f[0] != oid {
			readErr = fmt.Errorf("git cat-file: unexpected answer %q for %s", strings.TrimSpace(header), oid)
			break
		}
		n, err := strconv.ParseInt(f[2], 10, 64)
		if err != nil || n < 0 {
			readErr = fmt.Errorf("git cat-file: unexpected size in %q", strings.TrimSpace(header))
			break
		}
		data := make([]byte, n)
		if _, err := io.ReadFull(r, data); err != nil {
			readErr = fmt.Errorf("git cat-file: %w", err)
			break
		}
		if _, err := r.Discard(1); err != nil {
			readErr = fmt.Errorf("git cat-file: %w", err)
			break
		}
		for _, dst := range want[oid] {
			overlay[dst] = data
		}
	}
	if readErr != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return readErr
	}
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("git cat-file: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// git runs one git command in dir and returns its standard output.
func git(ctx context.Context, dir string, stdin io.Reader, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...)
	cmd.Env = gitEnv()
	cmd.Stdin = stdin
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if errors.Is(err, exec.ErrNotFound) {
			return nil, errors.New("git is not installed (needed by --base)")
		}
		if msg == "" {
			return nil, fmt.Errorf("git %s: %w", args[0], err)
		}
		return nil, fmt.Errorf("git %s: %s", args[0], msg)
	}
	return stdout.Bytes(), nil
}

// gitEnv keeps git from prompting, paging or translating its messages.
func gitEnv() []string {
	return append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "GIT_PAGER=cat", "LC_ALL=C", "GIT_OPTIONAL_LOCKS=0")
}

// DirOverlay returns the overlay that makes an analysis of paths read the
// folders (or files) dirs instead, pairwise: dirs[i]'s files take the
// place of paths[i]'s, and an input file only paths[i] has is absent.
// Symbolic links in dirs are followed only when they stay inside it.
func DirOverlay(paths, dirs []string, lim BaseLimits) (map[string][]byte, error) {
	lim = lim.withDefaults()
	if len(paths) != len(dirs) {
		return nil, fmt.Errorf("%d base paths for %d paths: give one --base-path per path, in the same order", len(dirs), len(paths))
	}
	overlay := map[string][]byte{}
	var total int64
	read := func(src, dst string) error {
		st, err := os.Stat(src)
		if err != nil {
			return err
		}
		if st.Size() > lim.MaxFileSize {
			return fmt.Errorf("%s is %d bytes, over the largest input file (%d bytes, --max-file-size)", src, st.Size(), lim.MaxFileSize)
		}
		total += st.Size()
		if total > lim.MaxTotal {
			return fmt.Errorf("the base's input files exceed %d bytes together", lim.MaxTotal)
		}
		b, err := os.ReadFile(src)
		if err != nil {
			return err
		}
		overlay[dst] = b
		return nil
	}
	for i, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, err
		}
		hst, err := os.Stat(abs)
		if err != nil {
			return nil, err
		}
		bst, err := os.Stat(dirs[i])
		if err != nil {
			return nil, fmt.Errorf("base path: %w", err)
		}
		if hst.IsDir() != bst.IsDir() {
			return nil, fmt.Errorf("base path %s and path %s: one is a folder, the other a file", dirs[i], p)
		}
		if !hst.IsDir() {
			if err := read(dirs[i], abs); err != nil {
				return nil, fmt.Errorf("base path: %w", err)
			}
			continue
		}
		root, err := filepath.EvalSymlinks(dirs[i])
		if err != nil {
			return nil, fmt.Errorf("base path: %w", err)
		}
		root, _ = filepath.Abs(root)
		has := map[string]bool{}
		err = filepath.WalkDir(root, func(src string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, src)
			if d.IsDir() {
				if src != root && (d.Name() == ".git" || d.Name() == "node_modules") {
					return filepath.SkipDir
				}
				return nil
			}
			if !isInput(d.Name()) {
				return nil
			}
			if d.Type()&fs.ModeSymlink != 0 {
				t, err := filepath.EvalSymlinks(src)
				if err != nil || (t != root && !strings.HasPrefix(t, root+string(filepath.Separator))) {
					return nil // broken or out of the base folder: not followed
				}
				src = t
			} else if !d.Type().IsRegular() {
				return nil
			}
			dst := filepath.Join(abs, rel)
			has[dst] = true
			return read(src, dst)
		})
		if err != nil {
			return nil, fmt.Errorf("base path %s: %w", dirs[i], err)
		}
		// The head's input files the base folder lacks are absent.
		err = filepath.WalkDir(abs, func(h string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.IsDir() {
				if h != abs && skipDirs[d.Name()] {
					return filepath.SkipDir
				}
				return nil
			}
			if isInput(d.Name()) && !has[h] {
				overlay[h] = nil
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return overlay, nil
}
