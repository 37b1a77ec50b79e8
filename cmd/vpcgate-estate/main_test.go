package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		args       func(dir string) []string
		wantCode   int
		wantStdout string
		wantStderr string
		wantFile   string
	}{
		{
			name:       "writes the estate",
			args:       func(dir string) []string { return []string{"-instances", "30", "-out", dir, "-seed", "4"} },
			wantCode:   exitOK,
			wantStdout: "30 instances, 1 VPCs, 9 subnets",
			wantFile:   "ec2-describe-instances.json",
		},
		{
			name:       "splits large commands",
			args:       func(dir string) []string { return []string{"-instances", "30", "-per-file", "10", "-out", dir} },
			wantCode:   exitOK,
			wantStdout: "wrote ",
			wantFile:   "ec2-describe-instances-003.json",
		},
		{
			name:       "missing out",
			args:       func(string) []string { return []string{"-instances", "30"} },
			wantCode:   exitUsage,
			wantStderr: "-out is required",
		},
		{
			name:       "unknown flag",
			args:       func(dir string) []string { return []string{"-vms", "3", "-out", dir} },
			wantCode:   exitUsage,
			wantStderr: "flag provided but not defined: -vms",
		},
		{
			name:       "stray argument",
			args:       func(dir string) []string { return []string{"-out", dir, "extra"} },
			wantCode:   exitUsage,
			wantStderr: `unexpected argument "extra"`,
		},
		{
			name:       "no instances",
			args:       func(dir string) []string { return []string{"-instances", "0", "-out", dir} },
			wantCode:   exitError,
			wantStderr: "instances must be at least 1",
		},
		{
			name:       "bad account",
			args:       func(dir string) []string { return []string{"-account", "42", "-out", dir} },
			wantCode:   exitError,
			wantStderr: "account id must have 12 digits",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "out")
			var stdout, stderr bytes.Buffer
			code := run(tt.args(dir), &stdout, &stderr)
			if code != tt.wantCode {
				t.Errorf("exit code = %d, want %d; stderr: %s", code, tt.wantCode, stderr.String())
			}
			if !strings.Contains(stdout.String(), tt.wantStdout) {
				t.Errorf("stdout = %q, want it to contain %q", stdout.String(), tt.wantStdout)
			}
			if !strings.Contains(stderr.String(), tt.wantStderr) {
				t.Errorf("stderr = %q, want it to contain %q", stderr.String(), tt.wantStderr)
			}
			if tt.wantFile != "" {
				if _, err := os.Stat(filepath.Join(dir, tt.wantFile)); err != nil {
					t.Errorf("want %s written: %v", tt.wantFile, err)
				}
			}
		})
	}
}
