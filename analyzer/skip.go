package analyzer

import (
	"fmt"
	"path"
	"path/filepath"
	"strings"
)

// WithSkipPaths leaves paths out of discovery: each pattern is a glob
// matched against a path relative to the scanned path it was found under,
// with / between folders. "*", "?" and "[...]" match within one name (as
// path.Match); "**" matches any number of folders; a pattern without "/"
// matches a name at any depth (".terraform", "*.bak.json"). A folder that
// matches is not walked into. A Terraform module is read as a folder:
// skip the folder, not one of its files. The patterns of the
// configuration's skip_paths are added.
func WithSkipPaths(patterns ...string) Option {
	return func(s *settings) { s.skipPaths = append(s.skipPaths, patterns...) }
}

// checkSkipPaths validates patterns (a bad one is an OptionError naming
// SkipPaths).
func checkSkipPaths(patterns []string) error {
	for _, p := range patterns {
		if p == "" {
			return &OptionError{Option: "SkipPaths", Err: fmt.Errorf("SkipPaths: empty pattern")}
		}
		for _, seg := range strings.Split(filepath.ToSlash(p), "/") {
			if _, err := path.Match(seg, ""); err != nil {
				return &OptionError{Option: "SkipPaths", Err: fmt.Errorf("SkipPaths: bad pattern %q: %v", p, err)}
			}
		}
	}
	return nil
}

// skipped reports whether rel (slash-separated, relative to the scanned
// path) matches one of the patterns.
func skipped(patterns []string, rel string) bool {
	if rel == "" || rel == "." {
		return false
	}
	names := strings.Split(rel, "/")
	for _, p := range patterns {
		p = strings.Trim(filepath.ToSlash(p), "/")
		if !strings.Contains(p, "/") {
			if ok, _ := path.Match(p, names[len(names)-1]); ok {
				return true
			}
			continue
		}
		if matchSegments(strings.Split(p, "/"), names) {
			return true
		}
	}
	return false
}

// matchSegments matches names against pattern segments, "**" standing for
// any number of names. It runs in O(len(pat) × len(names)).
func matchSegments(pat, names []string) bool {
	// ok[j] reports whether pat[:i] matches names[:j].
	ok := make([]bool, len(names)+1)
	ok[0] = true
	for _, seg := range pat {
		next := make([]bool, len(names)+1)
		if seg == "**" {
			seen := false
			for j := range ok {
				seen = seen || ok[j]
				next[j] = seen
			}
		} else {
			for j := 1; j <= len(names); j++ {
				if ok[j-1] {
					if m, _ := path.Match(seg, names[j-1]); m {
						next[j] = true
					}
				}
			}
		}
		ok = next
	}
	return ok[len(names)]
}
