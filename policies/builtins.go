package policies

import (
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/topdown"
	"github.com/open-policy-agent/opa/v1/types"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// The parsed facts the input document carries (ip_protocol, ports,
// peer_set, cidr_set, destination_set) come from these functions, which
// are also Rego built-ins: vpcgate.protocol, vpcgate.ports and
// vpcgate.addr_set. The input builder and the test fixtures (and any user
// policy that reads an address from elsewhere) then share one definition,
// graph's, instead of a Go copy and a Rego copy.

func init() {
	ast.RegisterBuiltin(&ast.Builtin{
		Name:        "vpcgate.protocol",
		Description: "Names a protocol the way the model does: -1 for every protocol (-1, all), tcp, udp, icmp, icmpv6 by name or number, other protocols by number.",
		Decl:        types.NewFunction(types.Args(types.Named("p", types.S)), types.Named("name", types.S)),
	})
	topdown.RegisterBuiltinFunc("vpcgate.protocol", func(_ topdown.BuiltinContext, ops []*ast.Term, iter func(*ast.Term) error) error {
		s, err := builtinString(ops[0], 1)
		if err != nil {
			return err
		}
		return iter(ast.StringTerm(graph.NormProtocol(s)))
	})
	ast.RegisterBuiltin(&ast.Builtin{
		Name:        "vpcgate.ports",
		Description: "The ports a rule of protocol p with from and to covers, as AWS reads them: {from, to, all}.",
		Decl: types.NewFunction(types.Args(types.Named("p", types.S), types.Named("from", types.N), types.Named("to", types.N)),
			types.Named("ports", types.NewObject(nil, types.NewDynamicProperty(types.S, types.A)))),
	})
	topdown.RegisterBuiltinFunc("vpcgate.ports", func(_ topdown.BuiltinContext, ops []*ast.Term, iter func(*ast.Term) error) error {
		p, err := builtinString(ops[0], 1)
		if err != nil {
			return err
		}
		from, err := builtinInt(ops[1], 2)
		if err != nil {
			return err
		}
		to, err := builtinInt(ops[2], 3)
		if err != nil {
			return err
		}
		return iter(portsTerm(graph.NormProtocol(p), from, to, false, ast.StringTerm))
	})
	ast.RegisterBuiltin(&ast.Builtin{
		Name: "vpcgate.addr_set",
		Description: "What a rule's source or destination means as addresses: label (a CIDR as written, a prefix list id), its entries (CIDRs), and whether they are all it holds. " +
			"Returns {known, world, public, wide, text}.",
		Decl: types.NewFunction(types.Args(types.Named("label", types.S), types.Named("entries", types.NewArray(nil, types.S)), types.Named("known", types.B)),
			types.Named("set", types.NewObject(nil, types.NewDynamicProperty(types.S, types.A)))),
	})
	topdown.RegisterBuiltinFunc("vpcgate.addr_set", func(_ topdown.BuiltinContext, ops []*ast.Term, iter func(*ast.Term) error) error {
		label, err := builtinString(ops[0], 1)
		if err != nil {
			return err
		}
		arr, ok := ops[1].Value.(*ast.Array)
		if !ok {
			return builtinTypeError(2, "array of strings")
		}
		var entries []string
		for i := range arr.Len() {
			s, err := builtinString(arr.Elem(i), 2)
			if err != nil {
				return err
			}
			entries = append(entries, s)
		}
		known, ok := ops[2].Value.(ast.Boolean)
		if !ok {
			return builtinTypeError(3, "boolean")
		}
		return iter(addrSetTerm(label, entries, bool(known), ast.StringTerm))
	})
}

func builtinTypeError(pos int, want string) error {
	return &topdown.Error{Code: topdown.TypeErr, Message: "operand " + string(rune('0'+pos)) + " must be " + want}
}

func builtinString(t *ast.Term, pos int) (string, error) {
	s, ok := t.Value.(ast.String)
	if !ok {
		return "", builtinTypeError(pos, "string")
	}
	return string(s), nil
}

func builtinInt(t *ast.Term, pos int) (int, error) {
	n, ok := t.Value.(ast.Number)
	if !ok {
		return 0, builtinTypeError(pos, "number")
	}
	i, ok := n.Int()
	if !ok {
		return 0, builtinTypeError(pos, "integer")
	}
	return i, nil
}

// portsTerm is {"from", "to", "all", "known"} of graph.RulePorts.
func portsTerm(proto string, from, to int, unknown bool, str func(string) *ast.Term) *ast.Term {
	ps := graph.RulePorts(proto, from, to)
	return ast.ObjectTerm(
		ast.Item(str("from"), ast.InternedTerm(ps.From)),
		ast.Item(str("to"), ast.InternedTerm(ps.To)),
		ast.Item(str("all"), ast.InternedTerm(ps.All)),
		ast.Item(str("known"), ast.InternedTerm(!unknown)),
	)
}

// addrSetTerm is {"known", "world", "public", "wide", "text"} of the
// graph.AddrSet of entries; label names it (a CIDR as written: then it is
// the one entry; a prefix list id).
func addrSetTerm(label string, entries []string, known bool, str func(string) *ast.Term) *ast.Term {
	s := graph.NewAddrSet(entries, known)
	var text string
	switch {
	case len(entries) == 1 && entries[0] == label:
		text = s.Describe(label)
	case !s.Known:
		text = "prefix list " + label + " (entries not known)"
	case s.World:
		text = s.Describe(label)
	default:
		text = "prefix list " + s.Describe(label)
	}
	return setTerm(s, text, str)
}

// setTerm converts an address set described by text.
func setTerm(s graph.AddrSet, text string, str func(string) *ast.Term) *ast.Term {
	wide := s.PublicV4 != nil && s.Wide()
	return ast.ObjectTerm(
		ast.Item(str("known"), ast.InternedTerm(s.Known)),
		ast.Item(str("world"), ast.InternedTerm(s.World)),
		ast.Item(str("public"), ast.InternedTerm(s.Public)),
		ast.Item(str("wide"), ast.InternedTerm(wide)),
		ast.Item(str("text"), str(text)),
	)
}
