// Package policies evaluates vpcgate's Rego rules (and users' own) over the
// normalized graph with OPA, and turns their results into findings with
// ranges, fingerprints and suppressions.
//
// The built-in rules are embedded: one folder per rule under rules/, each
// with a METADATA block and a _test.rego file beside it, and shared helpers
// in lib/. The input document every rule sees is described in README.md and
// built by InputDocument. OPA types never leave the package: callers see
// Finding, Rule and plain Go values.
package policies
