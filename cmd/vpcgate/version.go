package main

import (
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/urfave/cli/v2"
)

// Set by a release build (.goreleaser.yaml: -ldflags "-X main.version=…");
// empty otherwise, and then the Go build information says.
var (
	version string
	commit  string
	date    string
)

// buildInfo is what `vpcgate version` prints.
type buildInfo struct {
	// Version is the module version (v1.2.3), or "devel" for a build from
	// a source tree.
	Version string `json:"version"`
	// Commit is the VCS revision the binary was built from, when known.
	Commit string `json:"commit,omitempty"`
	// Modified is true when the tree had uncommitted changes.
	Modified bool `json:"modified,omitempty"`
	// Date is the commit time (RFC 3339, UTC), when known.
	Date      string `json:"date,omitempty"`
	GoVersion string `json:"go_version"`
	Platform  string `json:"platform"`
}

// pseudoVersion matches a Go pseudo-version (v0.0.0-20261202170000-0123456789ab).
var pseudoVersion = regexp.MustCompile(`\d{14}-[0-9a-f]{12}(\+[0-9A-Za-z.-]+)?$`)

// currentBuild reads the running binary's build information.
func currentBuild() buildInfo {
	bi, _ := debug.ReadBuildInfo()
	return describeBuild(bi, version, commit, date)
}

// describeBuild decides what to print from the Go build information and the
// values a release build stamps with -ldflags -X (which win):
//   - a release build: the stamped version;
//   - `go install …@v1.2.3`: the module version v1.2.3;
//   - `go install …@<commit>`: the module's pseudo-version;
//   - a build from a source tree (go build, go run): "devel", with the
//     commit, its date and whether the tree was modified.
func describeBuild(bi *debug.BuildInfo, ldVersion, ldCommit, ldDate string) buildInfo {
	out := buildInfo{Version: "devel", GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	var vcs bool
	if bi != nil {
		if bi.GoVersion != "" {
			out.GoVersion = bi.GoVersion
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				out.Commit, vcs = s.Value, true
			case "vcs.time":
				out.Date = s.Value
			case "vcs.modified":
				out.Modified = s.Value == "true"
			case "GOOS":
				out.Platform = s.Value + "/" + out.Platform[strings.IndexByte(out.Platform, '/')+1:]
			case "GOARCH":
				out.Platform = out.Platform[:strings.IndexByte(out.Platform, '/')+1] + s.Value
			}
		}
		v := bi.Main.Version
		switch {
		case v == "" || v == "(devel)" || strings.Contains(v, "+dirty"):
		case vcs && pseudoVersion.MatchString(v):
			// go build in a checkout without a tag at HEAD: a tree build.
		default:
			out.Version = v
		}
	}
	if ldVersion != "" {
		out.Version = ldVersion
		if !strings.HasPrefix(out.Version, "v") {
			out.Version = "v" + out.Version
		}
	}
	if ldCommit != "" {
		out.Commit = ldCommit
	}
	if ldDate != "" {
		out.Date = ldDate
	}
	return out
}

// write prints the build information as text or JSON.
func (b buildInfo) write(w io.Writer, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(b)
	}
	fmt.Fprintf(w, "vpcgate %s\n", b.Version)
	if b.Commit != "" {
		c := b.Commit
		if b.Modified {
			c += " (modified)"
		}
		fmt.Fprintf(w, "  commit  %s\n", c)
	}
	if b.Date != "" {
		fmt.Fprintf(w, "  date    %s\n", b.Date)
	}
	_, err := fmt.Fprintf(w, "  go      %s %s\n", b.GoVersion, b.Platform)
	return err
}

func versionCommand() *cli.Command {
	return &cli.Command{
		Name:  "version",
		Usage: "print the version, commit, build date and Go version",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "json", Usage: "print as JSON"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usageError("version: takes no arguments")
			}
			return currentBuild().write(c.App.Writer, c.Bool("json"))
		},
	}
}
