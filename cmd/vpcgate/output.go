package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// Output habits every reporting command shares:
//
//   - -o/--output FILE writes what the command prints to FILE instead of
//     standard output, atomically: the report goes to a temporary file in
//     FILE's folder, renamed over FILE once complete; a run that fails
//     before printing anything (a usage error, Ctrl-C) leaves no file.
//   - several outputs in one run (scan and diff): --format is repeatable and
//     takes FORMAT or FORMAT=FILE (--format text --format sarif=out.sarif
//     --format junit=junit.xml); the analysis runs once, each FILE is
//     written atomically, at most one bare FORMAT goes to standard output
//     (or -o).
//   - -q/--quiet leaves on standard error only errors: input errors and the
//     command's own failure; warnings, notes, "wrote …" messages and
//     progress are not printed. The report itself is printed as usual.

// outputFlags are -o/--output and -q/--quiet.
func outputFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the output to `FILE` (atomically) instead of standard output"},
		quietFlag(),
	}
}

func quietFlag() cli.Flag {
	return &cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print only errors on standard error (no warnings, notes or progress)"}
}

// withOutput adds the output flags the command lacks to cmd and wraps its
// action so that --output and --quiet apply.
func withOutput(cmd *cli.Command) *cli.Command {
	has := map[string]bool{}
	for _, f := range cmd.Flags {
		for _, n := range f.Names() {
			has[n] = true
		}
	}
	ownOutput := has["output"]
	for _, f := range outputFlags() {
		if !has[f.Names()[0]] {
			cmd.Flags = append(cmd.Flags, f)
		}
	}
	action := cmd.Action
	cmd.Action = func(c *cli.Context) error {
		stdout, stderr := c.App.Writer, c.App.ErrWriter
		defer func() { c.App.Writer, c.App.ErrWriter = stdout, stderr }()
		if c.Bool("quiet") {
			c.App.ErrWriter = &quietWriter{w: stderr}
		}
		var out *atomicFile
		if p := c.String("output"); p != "" && !ownOutput {
			out = &atomicFile{path: p}
			c.App.Writer = out
		}
		err := action(c)
		if out != nil && (err == nil || out.buf.Len() > 0) {
			if werr := out.commit(); werr != nil {
				return exitWith(exitUsage, werr)
			}
		}
		return err
	}
	return cmd
}

// withOutputAll applies withOutput to cmd or, when it has subcommands, to
// each of them.
func withOutputAll(cmd *cli.Command) {
	if len(cmd.Subcommands) == 0 {
		if cmd.Action != nil {
			withOutput(cmd)
		}
		return
	}
	for _, sub := range cmd.Subcommands {
		withOutputAll(sub)
	}
}

// quietWriter is standard error under --quiet: what is written to it is
// dropped, but printDiagnostics passes errors through to w.
type quietWriter struct{ w io.Writer }

func (q *quietWriter) Write(p []byte) (int, error) { return len(p), nil }

// errorsOnly returns the real standard error behind w and whether only
// errors may be printed on it (--quiet).
func errorsOnly(w io.Writer) (io.Writer, bool) {
	if q, ok := w.(*quietWriter); ok {
		return q.w, true
	}
	return w, false
}

// printDiagnostics prints input diagnostics on w, one per line; under
// --quiet only errors.
func printDiagnostics(w io.Writer, diags []graph.Diagnostic) {
	w, quiet := errorsOnly(w)
	for _, d := range diags {
		if quiet && d.Severity != graph.SeverityError {
			continue
		}
		fmt.Fprintln(w, flagNames.Replace(d.Error()))
	}
}

// atomicFile collects a command's output and writes it to path in one
// rename.
type atomicFile struct {
	path string
	buf  bytes.Buffer
}

func (f *atomicFile) Write(p []byte) (int, error) { return f.buf.Write(p) }

// commit writes the collected output to path: a temporary file in the
// same folder, synced, then renamed over path.
func (f *atomicFile) commit() error {
	return writeFileAtomic(f.path, f.buf.Bytes())
}

// writeFileAtomic writes data to path through a temporary file renamed
// over it, so that a reader never sees a partial file.
func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	name := tmp.Name()
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(name, 0o644)
	}
	if err == nil {
		err = os.Rename(name, path)
	}
	if err != nil {
		os.Remove(name)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// outputSpec is one --format value: a format and the file it goes to (""
// for standard output, or -o).
type outputSpec struct {
	format, path string
}

// formatSpecs parses the repeatable --format of cmd: FORMAT or
// FORMAT=FILE, each format one of valid (aliases maps other spellings);
// def when none is given. At most one output goes to standard output and
// no two to one file.
func formatSpecs(c *cli.Context, cmd string, valid []string, aliases map[string]string, def string) ([]outputSpec, error) {
	values := c.StringSlice("format")
	if len(values) == 0 {
		values = []string{def}
	}
	var specs []outputSpec
	seen := map[string]bool{}
	if o := c.String("output"); o != "" {
		abs, _ := filepath.Abs(o)
		seen[abs] = true
	}
	bare := 0
	for _, v := range values {
		format, path, hasPath := strings.Cut(v, "=")
		if a, ok := aliases[format]; ok {
			format = a
		}
		if !contains(valid, format) {
			return nil, usageError("%s: unknown --format %q (want %s, optionally as FORMAT=FILE)", cmd, format, strings.Join(valid, ", "))
		}
		if hasPath {
			if path == "" {
				return nil, usageError("%s: --format %s= names no file", cmd, format)
			}
			abs, _ := filepath.Abs(path)
			if seen[abs] {
				return nil, usageError("%s: two outputs write %s (--format FORMAT=FILE and --output name distinct files)", cmd, path)
			}
			seen[abs] = true
		} else if bare++; bare > 1 {
			return nil, usageError("%s: at most one --format without =FILE (it goes to standard output or --output); give the others a file: --format %s=FILE", cmd, format)
		}
		specs = append(specs, outputSpec{format: format, path: path})
	}
	return specs, nil
}

// writeOutputs writes each spec with write: a bare one to c.App.Writer,
// one with a file to that file atomically (all files are written only if
// every format rendered).
func writeOutputs(c *cli.Context, specs []outputSpec, write func(w io.Writer, format string) error) error {
	files := map[string][]byte{}
	var order []string
	for _, s := range specs {
		if s.path == "" {
			if err := write(c.App.Writer, s.format); err != nil {
				return err
			}
			continue
		}
		var buf bytes.Buffer
		if err := write(&buf, s.format); err != nil {
			return err
		}
		files[s.path] = buf.Bytes()
		order = append(order, s.path)
	}
	for _, p := range order {
		if err := writeFileAtomic(p, files[p]); err != nil {
			return exitWith(exitUsage, err)
		}
	}
	return nil
}

// textOnStdout reports whether a spec prints the text report on standard
// output (it lists input diagnostics itself; otherwise they go to
// standard error).
func textOnStdout(specs []outputSpec) bool {
	for _, s := range specs {
		if s.path == "" && s.format == "text" {
			return true
		}
	}
	return false
}
