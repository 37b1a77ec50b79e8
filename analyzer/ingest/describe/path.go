package describe

import (
	"net/url"
	"path"
	"path/filepath"
	"strings"
)

// accountRegionOf takes the account (12 digits) and region (us-east-1…)
// from the directories of p, nearest first, as in the CloudMapper layout
// <account>/<region>/<service>-<command>.json.
func accountRegionOf(p string) (account, region string) {
	dirs := strings.Split(filepath.ToSlash(p), "/")
	dirs = dirs[:len(dirs)-1]
	for i := len(dirs) - 1; i >= 0; i-- {
		d := dirs[i]
		switch {
		case region == "" && isRegion(d):
			region = d
		case account == "" && isAccount(d):
			account = d
		}
	}
	return account, region
}

// isAccount reports whether s looks like an AWS account id.
func isAccount(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// isRegion reports whether s looks like an AWS region name: two letters,
// one or more words, a number (us-east-1, us-gov-west-1, ap-southeast-2).
func isRegion(s string) bool {
	parts := strings.Split(s, "-")
	if len(parts) < 3 || len(parts[0]) != 2 {
		return false
	}
	for _, p := range parts[:len(parts)-1] {
		if p == "" {
			return false
		}
		for _, r := range p {
			if r < 'a' || r > 'z' {
				return false
			}
		}
	}
	last := parts[len(parts)-1]
	if last == "" || len(last) > 2 {
		return false
	}
	for _, r := range last {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// baseName returns the file name of p without a .json extension, URL
// decoded when it is URL-encoded.
func baseName(p string) string {
	b := path.Base(filepath.ToSlash(p))
	b = strings.TrimSuffix(b, ".json")
	if u, err := url.PathUnescape(b); err == nil {
		b = u
	}
	return b
}

// targetGroupARNFromName finds a target group ARN in a file name (as
// CloudMapper names the describe-target-health files: the URL-encoded
// ARN).
func targetGroupARNFromName(p string) string {
	b := baseName(p)
	i := strings.Index(b, "arn:")
	if i < 0 {
		return ""
	}
	arn := b[i:]
	if !strings.Contains(arn, ":targetgroup/") {
		return ""
	}
	return arn
}

// prefixListIDFromName finds a prefix list id (pl-<hex>) in a file name.
func prefixListIDFromName(p string) string {
	b := baseName(p)
	for i := 0; i+3 < len(b); i++ {
		if b[i:i+3] != "pl-" || (i > 0 && isAlnum(b[i-1])) {
			continue
		}
		j := i + 3
		for j < len(b) && isHex(b[j]) {
			j++
		}
		if j > i+3 && (j == len(b) || !isAlnum(b[j])) {
			return b[i:j]
		}
	}
	return ""
}

// targetGroupNameOfARN returns the name part of a target group ARN
// (…:targetgroup/<name>/<hash>).
func targetGroupNameOfARN(arn string) string {
	_, rest, ok := strings.Cut(arn, ":targetgroup/")
	if !ok {
		return ""
	}
	name, _, _ := strings.Cut(rest, "/")
	return name
}

func isHex(b byte) bool { return b >= '0' && b <= '9' || b >= 'a' && b <= 'f' }

func isAlnum(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}
