package graph

import "fmt"

// Pos is a position in an input file.
type Pos struct {
	Line   int `json:"line"`   // 1-based line
	Column int `json:"column"` // 1-based column, counted in bytes
	Byte   int `json:"byte"`   // 0-based byte offset
}

// Range is a span of an input file; End is exclusive.
type Range struct {
	File  string `json:"file"`
	Start Pos    `json:"start"`
	End   Pos    `json:"end"`
}

// IsZero reports whether r points nowhere (a live API node, for example).
func (r Range) IsZero() bool { return r.File == "" && r.Start.Line == 0 }

// String formats r as file:line:column.
func (r Range) String() string {
	if r.Start.Line == 0 {
		return r.File
	}
	return fmt.Sprintf("%s:%d:%d", r.File, r.Start.Line, r.Start.Column)
}

// Less orders ranges by file, start and end.
func (r Range) Less(o Range) bool {
	if r.File != o.File {
		return r.File < o.File
	}
	if r.Start.Byte != o.Start.Byte {
		return r.Start.Byte < o.Start.Byte
	}
	if r.Start.Line != o.Start.Line {
		return r.Start.Line < o.Start.Line
	}
	if r.Start.Column != o.Start.Column {
		return r.Start.Column < o.Start.Column
	}
	return r.End.Byte < o.End.Byte
}

// Form is the kind of input a node was read from.
type Form string

// Input forms.
const (
	FormDescribe       Form = "describe"
	FormLive           Form = "live"
	FormTerraform      Form = "terraform"
	FormCloudFormation Form = "cloudformation"
)

// Source is the provenance of a node.
type Source struct {
	Form  Form  `json:"form"`
	Range Range `json:"range"` // the JSON object or IaC block the node came from
	// Pointer is the JSON pointer of the object in a describe file
	// ("/SecurityGroups/3"), empty for IaC.
	Pointer string `json:"pointer,omitempty"`
	// Address is the IaC address ("module.vpc.aws_subnet.private[0]", a
	// CloudFormation logical id), empty for describe and live input.
	Address string `json:"address,omitempty"`
	// ConstructPath is the CDK construct path (aws:cdk:path), when known.
	ConstructPath string `json:"construct_path,omitempty"`
	Account       string `json:"account,omitempty"`
	Region        string `json:"region,omitempty"`
}

// Severity grades a diagnostic about the input.
type Severity string

// Diagnostic severities.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
	SeverityInfo    Severity = "info"
)

// Diagnostic is a problem found in the input itself (bad JSON, an
// unevaluable expression, a conflicting duplicate), not a policy finding.
type Diagnostic struct {
	Severity Severity `json:"severity"`
	Summary  string   `json:"message"`
	Detail   string   `json:"detail,omitempty"`
	Range    Range    `json:"location"`
}

// Error formats the diagnostic as file:line:col: severity: summary.
func (d Diagnostic) Error() string {
	s := fmt.Sprintf("%s: %s: %s", d.Range, d.Severity, d.Summary)
	if d.Detail != "" {
		s += ": " + d.Detail
	}
	return s
}
