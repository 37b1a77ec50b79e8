package policies

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// restrictedCapabilities are OPA's capabilities less every non-deterministic
// built-in: http.send, net.lookup_ip_addr, opa.runtime, time.now_ns,
// rand.intn, uuid.rfc4122 and the signing io.jwt.encode_sign functions. A
// policy evaluated in CI over a pull request can then neither reach the
// network nor read the environment, and gives the same answer every run.
// The pure net.cidr_* functions stay available: network rules need them.
func restrictedCapabilities() *ast.Capabilities {
	c := ast.CapabilitiesForThisVersion()
	kept := c.Builtins[:0:0]
	for _, b := range c.Builtins {
		if !b.Nondeterministic {
			kept = append(kept, b)
		}
	}
	c.Builtins = kept
	c.AllowNet = []string{}
	return c
}

// DeniedBuiltins lists the OPA built-ins that vpcgate policies may not call.
func DeniedBuiltins() []string {
	var out []string
	for _, b := range ast.CapabilitiesForThisVersion().Builtins {
		if b.Nondeterministic {
			out = append(out, b.Name)
		}
	}
	sort.Strings(out)
	return out
}

var undefinedFunction = regexp.MustCompile(`undefined function (\S+)`)

// explainCompileError rewrites OPA's "undefined function http.send" into a
// sentence that says the built-in is forbidden, keeping the location.
func explainCompileError(err error) error {
	var errs ast.Errors
	if !errors.As(err, &errs) {
		return err
	}
	denied := map[string]bool{}
	for _, name := range DeniedBuiltins() {
		denied[name] = true
	}
	var lines []string
	for _, e := range errs {
		msg := e.Message
		if m := undefinedFunction.FindStringSubmatch(msg); m != nil && denied[m[1]] {
			msg = fmt.Sprintf("%s is not allowed in vpcgate policies (network access and non-deterministic built-ins are disabled: %s)", m[1], strings.Join(DeniedBuiltins(), ", "))
		}
		loc := ""
		if e.Location != nil {
			loc = fmt.Sprintf("%s:%d:%d: ", e.Location.File, e.Location.Row, e.Location.Col)
		}
		lines = append(lines, loc+msg)
	}
	return errors.New(strings.Join(lines, "\n"))
}
