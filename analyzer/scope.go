package analyzer

import (
	"path/filepath"
	"reflect"
	"regexp"
	"strings"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// Identities. A node with a real AWS id (vpc-…, an ARN, the name of an
// Auto Scaling group or an RDS instance) is the same resource wherever it
// is read, so describe output and Terraform state of one estate merge. A
// node an IaC input names by its address (aws_vpc.main, a CloudFormation
// logical id) exists only within its stack: a stack found inside a
// scanned folder has its addresses scoped by its path below that folder
// ("network/aws_vpc.main"), so two stacks that both say aws_vpc.main stay
// two resources; names they give (an RDS identifier, an Auto Scaling
// group name) are scoped the same way. A stack scanned by its own path
// keeps its addresses as they are; the address stays an alias, so --resource aws_vpc.main still
// finds it (or says it is ambiguous).

// awsGenerated matches the ids AWS generates (vpc-0a1b2c3d…, an ARN);
// anything else an IaC input names — an address, a logical id, the name
// it gives an RDS instance or an Auto Scaling group — is the stack's own.
var awsGenerated = regexp.MustCompile(`^(arn:|[a-z]+(-[a-z]+)*-[0-9a-f]{8,17}$)`)

func awsGeneratedID(id string) bool { return awsGenerated.MatchString(id) }

// assignScopes scopes each IaC input found inside a path argument (a
// folder of stacks) by its path relative to that argument; an input that
// is the argument itself (scan examples/terraform/basic, scan stack.yaml,
// a plan standing for its folder) keeps its addresses. The scope does not
// depend on what else the folder holds, so adding a second stack changes
// no id of the first.
func assignScopes(ins []found) {
	for i := range ins {
		in := &ins[i]
		if !scoped(in.kind) || in.arg == "" {
			continue
		}
		p := in.path
		if in.kind == kindTerraformPlan {
			p = filepath.Dir(p) // a plan stands for its folder's configuration
		}
		rel, err := filepath.Rel(in.arg, p)
		if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
			continue
		}
		if in.kind == kindCloudFormation {
			rel = strings.TrimSuffix(rel, filepath.Ext(rel))
		}
		in.scope = filepath.ToSlash(rel)
	}
}

// scoped reports whether inputs of a kind name resources by address.
// Cloud assemblies scope their logical ids by stack already.
func scoped(k inputKind) bool {
	return k == kindTerraformDir || k == kindTerraformPlan || k == kindCloudFormation
}

// scopeFragment returns g with the address ids of its nodes prefixed by
// scope and every reference to them rewritten. g is freshly read and not
// shared.
func scopeFragment(g *graph.Graph, scope string) *graph.Graph {
	rename := map[string]string{}
	for _, n := range g.Nodes() {
		b := n.Meta()
		if b.Source.Address != "" && !awsGeneratedID(b.ID) {
			rename[b.ID] = scope + "/" + b.ID
		}
	}
	if len(rename) == 0 {
		return g
	}
	out := graph.New()
	out.Diagnostics = g.Diagnostics
	for _, n := range g.Nodes() {
		b := n.Meta()
		if to, ok := rename[b.ID]; ok {
			b.Aliases = append(b.Aliases, b.ID)
			b.ID = to
		}
		v := reflect.ValueOf(n).Elem()
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).Name == "Base" {
				continue
			}
			renameRefs(v.Field(i), rename)
		}
		if d := out.Add(n); d != nil {
			out.Diagnostics = append(out.Diagnostics, *d)
		}
	}
	return out
}

// renameRefs rewrites every string in v that is a renamed id.
func renameRefs(v reflect.Value, rename map[string]string) {
	switch v.Kind() {
	case reflect.String:
		if to, ok := rename[v.String()]; ok && v.CanSet() {
			v.SetString(to)
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			renameRefs(v.Index(i), rename)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(graph.Range{}) {
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				renameRefs(v.Field(i), rename)
			}
		}
	case reflect.Pointer:
		if !v.IsNil() {
			renameRefs(v.Elem(), rename)
		}
	}
}
