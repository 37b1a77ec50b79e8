package describe

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// naivePos computes the position of a byte offset the slow way.
func naivePos(data []byte, off int) graph.Pos {
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	col := off + 1
	if i := bytes.LastIndexByte(data[:off], '\n'); i >= 0 {
		col = off - i
	}
	return graph.Pos{Line: line, Column: col, Byte: off}
}

// at resolves a JSON pointer in a decoded document.
func at(t *testing.T, doc any, ptr string) any {
	t.Helper()
	for _, tok := range strings.Split(ptr, "/")[1:] {
		tok = strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
		switch v := doc.(type) {
		case map[string]any:
			doc = v[tok]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i >= len(v) {
				t.Fatalf("pointer %s: bad index %q", ptr, tok)
			}
			doc = v[i]
		default:
			t.Fatalf("pointer %s: cannot descend into %T", ptr, doc)
		}
	}
	return doc
}

// checkRange verifies that r's lines and columns agree with its byte
// offsets and returns the text it covers.
func checkRange(t *testing.T, data []byte, r graph.Range) string {
	t.Helper()
	if r.Start.Byte < 0 || r.End.Byte > len(data) || r.Start.Byte > r.End.Byte {
		t.Fatalf("range %+v out of the file (%d bytes)", r, len(data))
	}
	if got, want := r.Start, naivePos(data, r.Start.Byte); got != want {
		t.Errorf("start %+v, want %+v", got, want)
	}
	if got, want := r.End, naivePos(data, r.End.Byte); got != want {
		t.Errorf("end %+v, want %+v", got, want)
	}
	return string(data[r.Start.Byte:r.End.Byte])
}

// TestPositionsMatchPointers checks every node of every unit input: its
// range covers exactly the JSON object its pointer names, and its lines and
// columns agree with the byte offsets.
func TestPositionsMatchPointers(t *testing.T) {
	t.Parallel()
	files := readFiles(t, unitDir, allUnitFiles(t)...)
	byPath := map[string][]byte{}
	docs := map[string]any{}
	for _, f := range files {
		byPath[f.Path] = f.Data
		var doc any
		if err := json.Unmarshal(f.Data, &doc); err != nil {
			t.Fatal(err)
		}
		docs[f.Path] = doc
	}
	g := Read(context.Background(), files, Options{})
	for _, n := range g.Nodes() {
		src := n.Meta().Source
		data, ok := byPath[src.Range.File]
		if !ok {
			t.Errorf("%s: file %q is not an input", n.Meta().ID, src.Range.File)
			continue
		}
		text := checkRange(t, data, src.Range)
		var got any
		if err := json.Unmarshal([]byte(text), &got); err != nil {
			t.Errorf("%s: range text is not one JSON value: %v", n.Meta().ID, err)
			continue
		}
		if diff := cmp.Diff(at(t, docs[src.Range.File], src.Pointer), got); diff != "" {
			t.Errorf("%s: range and pointer %s disagree (-pointer +range):\n%s", n.Meta().ID, src.Pointer, diff)
		}
	}
}

func TestRulePositions(t *testing.T) {
	t.Parallel()
	const doc = `{
  "SecurityGroups": [
    {
      "GroupId": "sg-1",
      "IpPermissions": [
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "203.0.113.1/32"}]},
        {
          "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
          "IpRanges": [{"CidrIp": "10.0.0.0/8"}, {"CidrIp": "0.0.0.0/0"}]
        }
      ],
      "IpPermissionsEgress": [ {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]} ]
    }
  ]
}`
	data := []byte(doc)
	g := Read(context.Background(), []File{{Path: "sg.json", Data: data}}, Options{})
	noDiagnostics(t, g)
	sg, ok := graph.Get[*graph.SecurityGroup](g, "sg-1")
	if !ok {
		t.Fatal("sg-1 missing")
	}
	if got, want := sg.Source.Pointer, "/SecurityGroups/0"; got != want {
		t.Errorf("pointer %q, want %q", got, want)
	}
	if got, want := sg.Source.Range.Start, (graph.Pos{Line: 3, Column: 5, Byte: strings.Index(doc, "{\n      \"GroupId\"")}); got != want {
		t.Errorf("group starts at %+v, want %+v", got, want)
	}
	if got, want := sg.Source.Range.End.Line, 13; got != want {
		t.Errorf("group ends on line %d, want %d", got, want)
	}
	second := strings.Index(doc, "{\n          \"IpProtocol\": \"tcp\", \"FromPort\": 443")
	tests := []struct {
		rule      graph.SGRule
		wantStart graph.Pos
		wantText  string
	}{
		{sg.Ingress[0], graph.Pos{Line: 6, Column: 9, Byte: strings.Index(doc, `{"IpProtocol": "tcp", "FromPort": 22`)},
			`{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "203.0.113.1/32"}]}`},
		{sg.Ingress[1], graph.Pos{Line: 7, Column: 9, Byte: second}, doc[second : strings.Index(doc, "]\n        }")+len("]\n        }")]},
		{sg.Ingress[2], graph.Pos{Line: 7, Column: 9, Byte: second}, doc[second : strings.Index(doc, "]\n        }")+len("]\n        }")]},
		{sg.Egress[0], graph.Pos{Line: 12, Column: 32, Byte: strings.Index(doc, `{"IpProtocol": "-1"`)}, `{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}`},
	}
	for i, tt := range tests {
		if tt.rule.Range.Start != tt.wantStart {
			t.Errorf("rule %d (%s) starts at %+v, want %+v", i, tt.rule.Peer, tt.rule.Range.Start, tt.wantStart)
		}
		if got := checkRange(t, data, tt.rule.Range); got != tt.wantText {
			t.Errorf("rule %d covers %q, want %q", i, got, tt.wantText)
		}
	}
}

func TestNestedPositions(t *testing.T) {
	t.Parallel()
	files := readFiles(t, unitDir, "ec2-describe-route-tables.json", "ec2-describe-network-acls.json", "ec2-describe-instances.json",
		"rds-describe-db-instances.json", "ec2-describe-subnets.json", "elbv2-describe-load-balancers.json", "autoscaling-describe-policies.json",
		"autoscaling-describe-auto-scaling-groups.json", "ec2-describe-security-group-rules.json", "ec2-describe-security-groups.json")
	data := map[string][]byte{}
	for _, f := range files {
		data[f.Path] = f.Data
	}
	g := Read(context.Background(), files, Options{})
	noDiagnostics(t, g)
	// text returns the text of r, checking its lines and columns.
	text := func(r graph.Range) string { return checkRange(t, data[r.File], r) }
	isObject := func(what, s string) {
		t.Helper()
		var v map[string]any
		if err := json.Unmarshal([]byte(s), &v); err != nil {
			t.Errorf("%s: range does not cover one object: %q", what, s)
		}
	}

	rt, _ := graph.Get[*graph.RouteTable](g, "rtb-0a000000000000001")
	for _, r := range rt.Routes {
		s := text(r.Range)
		isObject("route "+r.Destination(), s)
		if !strings.Contains(s, strconv.Quote(r.Destination())) {
			t.Errorf("route %s covers %q", r.Destination(), s)
		}
	}
	if s := text(rt.Associations[0].Range); !strings.Contains(s, `"rtbassoc-0main"`) {
		t.Errorf("association covers %q", s)
	}

	acl, _ := graph.Get[*graph.NetworkACL](g, "acl-0a000000000000001")
	for _, e := range acl.Entries {
		s := text(e.Range)
		isObject("acl entry", s)
		if !strings.Contains(s, `"RuleNumber": `+strconv.Itoa(e.RuleNumber)) || !strings.Contains(s, `"Egress": `+strconv.FormatBool(e.Egress)) {
			t.Errorf("entry %d egress=%v covers %q", e.RuleNumber, e.Egress, s)
		}
	}

	inst, _ := graph.Get[*graph.Instance](g, "i-0a000000000000002")
	if got, want := inst.Source.Pointer, "/Reservations/1/Instances/0"; got != want {
		t.Errorf("instance pointer %q, want %q", got, want)
	}
	eni, _ := graph.Get[*graph.NetworkInterface](g, "eni-0a000000000000002")
	if got, want := eni.Source.Pointer, "/Reservations/0/Instances/0/NetworkInterfaces/0"; got != want {
		t.Errorf("ENI pointer %q, want %q", got, want)
	}
	if s := text(eni.Source.Range); !strings.HasPrefix(s, "{") || !strings.Contains(s, `"eni-0a000000000000002"`) || strings.Contains(s, `"eni-0a000000000000001"`) {
		t.Errorf("ENI covers %q", s)
	}

	sg, _ := graph.Get[*graph.SecurityGroup](g, sgALB)
	for _, r := range sg.Ingress {
		if r.ID == "sgr-0a0000000000000a2" {
			if s := text(r.Range); !strings.Contains(s, `"sgr-0a0000000000000a2"`) {
				t.Errorf("rule from describe-security-group-rules covers %q", s)
			}
		}
	}

	asg, _ := graph.Get[*graph.AutoScalingGroup](g, "app-asg")
	for _, p := range asg.Policies {
		if s := text(p.Range); !strings.Contains(s, `"PolicyName": "`+p.Name+`"`) {
			t.Errorf("policy %s covers %q", p.Name, s)
		}
	}

	attrs := []struct {
		id, attr, want string
	}{
		{"prod-db", "publicly_accessible", `"PubliclyAccessible": false`},
		{"prod-db", "multi_az", `"MultiAZ": true`},
		{subPubA, "map_public_ip_on_launch", `"MapPublicIpOnLaunch": true`},
		{albARN, "scheme", `"Scheme": "internet-facing"`},
	}
	for _, tt := range attrs {
		n := g.Node(tt.id)
		r, ok := n.Meta().Attrs[tt.attr]
		if !ok {
			t.Errorf("%s: no range for %s", tt.id, tt.attr)
			continue
		}
		if got := text(r); got != tt.want {
			t.Errorf("%s %s covers %q, want %q", tt.id, tt.attr, got, tt.want)
		}
	}
}

func TestLineIndex(t *testing.T) {
	t.Parallel()
	data := []byte("{\n  \"a\": [1,\n\n    22, 333],\r\n\t\"b\": \"x\\ny\"}\nlast line without newline")
	for _, marks := range [][]int{nil, {2, 5, 14}, {0, 1, len(data)}, {13, 13, 12, 40}} {
		l := newLineIndex("f", data)
		for _, m := range marks {
			l.mark(m)
		}
		for off := 0; off <= len(data); off++ {
			if got, want := l.pos(off), naivePos(data, off); got != want {
				t.Errorf("marks %v: pos(%d) = %+v, want %+v", marks, off, got, want)
			}
		}
	}
}
