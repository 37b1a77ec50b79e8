package policies

import (
	"fmt"
	"strings"
)

// Severity grades a finding: low, medium, high or critical.
type Severity string

// Severities, lowest first.
const (
	SeverityLow      Severity = "low"
	SeverityMedium   Severity = "medium"
	SeverityHigh     Severity = "high"
	SeverityCritical Severity = "critical"
)

// Severities lists the severities from lowest to highest.
func Severities() []Severity {
	return []Severity{SeverityLow, SeverityMedium, SeverityHigh, SeverityCritical}
}

// Rank orders severities: 1 (low) to 4 (critical), 0 for an unknown value.
func (s Severity) Rank() int {
	switch s {
	case SeverityLow:
		return 1
	case SeverityMedium:
		return 2
	case SeverityHigh:
		return 3
	case SeverityCritical:
		return 4
	}
	return 0
}

// AtLeast reports whether s is at or above min.
func (s Severity) AtLeast(min Severity) bool { return s.Rank() >= min.Rank() && s.Rank() > 0 }

// ParseSeverity reads a severity name, case-insensitively.
func ParseSeverity(s string) (Severity, error) {
	v := Severity(strings.ToLower(strings.TrimSpace(s)))
	if v.Rank() == 0 {
		return "", fmt.Errorf("unknown severity %q (want low, medium, high or critical)", s)
	}
	return v, nil
}

// FailOn is the threshold of `scan --fail-on`: a severity, or none.
type FailOn struct {
	// Min is the lowest severity that fails; "" means never fail.
	Min Severity
}

// ParseFailOn reads low, medium, high, critical or none.
func ParseFailOn(s string) (FailOn, error) {
	if strings.EqualFold(strings.TrimSpace(s), "none") {
		return FailOn{}, nil
	}
	sev, err := ParseSeverity(s)
	if err != nil {
		return FailOn{}, fmt.Errorf("--fail-on: %w (or none)", err)
	}
	return FailOn{Min: sev}, nil
}

// Fails reports whether findings contain an unsuppressed, determined finding
// at or above the threshold. Undetermined findings never fail a build: they
// say the input does not let vpcgate decide.
func (f FailOn) Fails(findings []Finding) bool {
	if f.Min == "" {
		return false
	}
	for _, x := range findings {
		if !x.Suppressed && !x.Undetermined && x.Severity.AtLeast(f.Min) {
			return true
		}
	}
	return false
}
