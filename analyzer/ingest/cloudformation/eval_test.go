package cloudformation

import (
	"context"
	"github.com/vpcgate/vpcgate/analyzer/ingest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// evalTemplate is the frame every expression of TestIntrinsics is
// evaluated in; EXPR is replaced by the case's expression.
const evalTemplate = `
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env: {Type: String, Default: prod}
  Given: {Type: String, Default: default-value}
  Cidrs: {Type: CommaDelimitedList, Default: "10.0.0.0/24, 10.0.1.0/24"}
  NoDefault: {Type: String}
  FromSSM: {Type: "AWS::SSM::Parameter::Value<String>", Default: /my/param}
Mappings:
  Sizes:
    prod: {Instance: m5.large, Count: 3}
    dev: {Instance: t3.micro}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  Both: !And [!Condition IsProd, !Equals [a, a]]
  Either: !Or [!Condition IsDev, !Equals [a, b]]
  Unknown: !Equals [!Ref NoDefault, x]
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.1.0.0/16}
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: d, VpcId: !Ref Vpc}
  Asg:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties: {AutoScalingGroupName: !Sub "${Env}-asg", MinSize: "1", MaxSize: "2"}
  Lt:
    Type: AWS::EC2::LaunchTemplate
    Properties: {LaunchTemplateData: {InstanceType: t3.micro}}
  Skipped:
    Type: AWS::EC2::VPC
    Condition: IsDev
    Properties: {CidrBlock: 10.2.0.0/16}
Outputs:
  Out:
    Value: EXPR
`

// show renders an evaluated value for comparison: scalars as strings,
// lists as []any, references as "ref:<id>", unknowns as "unknown".
func show(v *val) any {
	switch v.kind {
	case vStr:
		return v.s
	case vNull:
		return nil
	case vRef:
		return "ref:" + v.s
	case vUnknown:
		return "unknown"
	case vNoValue:
		return "novalue"
	case vList:
		out := []any{}
		for _, it := range v.list {
			out = append(out, show(it))
		}
		return out
	case vMap:
		out := map[string]any{}
		for i, k := range v.keys {
			out[k] = show(v.vals[i])
		}
		return out
	}
	return "?"
}

// evalExpr evaluates expr (YAML) in evalTemplate and returns the value and
// the warnings raised.
func evalExpr(t *testing.T, expr string, opts Options) (any, []string) {
	t.Helper()
	data := []byte(strings.Replace(evalTemplate, "EXPR", expr, 1))
	rd := newReader(context.Background(), t.TempDir(), opts)
	s := rd.loadStack("eval.yaml", data, "teststack", "", nil, 0)
	if s == nil {
		t.Fatalf("template did not load: %v", rd.diags)
	}
	v := s.eval(s.root.get("Outputs").get("Out").get("Value"))
	var warns []string
	for _, d := range rd.diags {
		if d.Severity == "warning" && !strings.Contains(d.Summary, "condition Unknown") {
			warns = append(warns, d.Summary)
		}
	}
	return show(v), warns
}

func TestIntrinsics(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		expr string
		opts Options
		want any
		warn string // a warning that must be raised
	}{
		{name: "ref parameter default", expr: "!Ref Env", want: "prod"},
		{name: "ref parameter given", expr: "!Ref Given", opts: Options{Parameters: map[string]string{"Given": "given"}}, want: "given"},
		{name: "ref list parameter", expr: "!Ref Cidrs", want: []any{"10.0.0.0/24", "10.0.1.0/24"}},
		{name: "ref parameter without value", expr: "!Ref NoDefault", want: "unknown"},
		{name: "ref SSM parameter", expr: "!Ref FromSSM", want: "unknown"},
		{name: "ref resource", expr: "!Ref Vpc", want: "ref:Vpc"},
		{name: "ref resource named by identifier", expr: "!Ref Asg", want: "ref:prod-asg"},
		{name: "ref resource with false condition", expr: "!Ref Skipped", want: "unknown"},
		{name: "ref undefined", expr: "!Ref Nope", want: "unknown", warn: "Ref to Nope"},
		{name: "pseudo region", expr: "!Ref AWS::Region", opts: Options{Options: ingest.Options{Region: "eu-west-1"}}, want: "eu-west-1"},
		{name: "pseudo account", expr: "!Ref AWS::AccountId", want: "123456789012"},
		{name: "pseudo partition from region", expr: "!Ref AWS::Partition", opts: Options{Options: ingest.Options{Region: "cn-north-1"}}, want: "aws-cn"},
		{name: "pseudo stack name", expr: "!Ref AWS::StackName", want: "teststack"},
		{name: "pseudo url suffix", expr: "!Ref AWS::URLSuffix", want: "amazonaws.com"},
		{name: "pseudo stack id", expr: "!Ref AWS::StackId", want: "unknown"},
		{name: "long form ref", expr: "{Ref: Env}", want: "prod"},
		{name: "sub", expr: `!Sub "${Env}-${AWS::Region}-x"`, want: "prod-us-east-1-x"},
		{name: "sub with variables", expr: `!Sub ["${A}/${Env}", {A: !Ref Given}]`, want: "default-value/prod"},
		{name: "sub literal", expr: `!Sub "${!Literal}-${Env}"`, want: "${Literal}-prod"},
		{name: "sub of a physical id", expr: `!Sub "${Vpc}-x"`, want: "unknown"},
		{name: "sub of an attribute", expr: `!Sub "${Vpc.CidrBlock}"`, want: "10.1.0.0/16"},
		{name: "join", expr: `!Join ["-", [a, !Ref Env, c]]`, want: "a-prod-c"},
		{name: "join of a list parameter", expr: `!Join [",", !Ref Cidrs]`, want: "10.0.0.0/24,10.0.1.0/24"},
		{name: "join of a reference", expr: `!Join ["", [!Ref Vpc]]`, want: "unknown"},
		{name: "join malformed", expr: `!Join [a]`, want: "unknown", warn: "Fn::Join takes"},
		{name: "select", expr: "!Select [1, [a, b, c]]", want: "b"},
		{name: "select string index", expr: `!Select ["0", !Ref Cidrs]`, want: "10.0.0.0/24"},
		{name: "select out of range", expr: "!Select [5, [a]]", want: "unknown", warn: "out of range"},
		{name: "select from unknown", expr: "!Select [0, !Split [',', !Ref NoDefault]]", want: "unknown"},
		{name: "split", expr: `!Split [",", "a,b,,c"]`, want: []any{"a", "b", "", "c"}},
		{name: "if true", expr: "!If [IsProd, yes, no]", want: "yes"},
		{name: "if false", expr: "!If [IsDev, yes, no]", want: "no"},
		{name: "if unknown", expr: "!If [Unknown, yes, no]", want: "unknown"},
		{name: "if novalue in a list", expr: "[a, !If [IsDev, b, !Ref AWS::NoValue], c]", want: []any{"a", "c"}},
		{name: "if novalue in a mapping", expr: "{A: 1, B: !If [IsDev, 2, !Ref AWS::NoValue]}", want: map[string]any{"A": "1"}},
		{name: "if undefined condition", expr: "!If [Nope, a, b]", want: "unknown", warn: "condition Nope is not defined"},
		{name: "equals", expr: "!Equals [!Ref Env, prod]", want: "true"},
		{name: "and", expr: "!If [Both, t, f]", want: "t"},
		{name: "or", expr: "!If [Either, t, f]", want: "f"},
		{name: "find in map", expr: "!FindInMap [Sizes, !Ref Env, Instance]", want: "m5.large"},
		{name: "find in map missing", expr: "!FindInMap [Sizes, dev, Count]", want: "unknown", warn: "has no dev.Count"},
		{name: "find in map default", expr: "!FindInMap [Sizes, dev, Count, {DefaultValue: 1}]", want: "1"},
		{name: "get azs default", expr: `!GetAZs ""`, want: []any{"us-east-1a", "us-east-1b", "us-east-1c"}},
		{name: "get azs configured", expr: "!GetAZs {Ref: AWS::Region}", opts: Options{Options: ingest.Options{AvailabilityZones: []string{"us-east-1d", "us-east-1f"}}}, want: []any{"us-east-1d", "us-east-1f"}},
		{name: "select az", expr: `!Select [1, !GetAZs ""]`, want: "us-east-1b"},
		{name: "cidr", expr: "!Cidr [10.0.0.0/16, 3, 8]", want: []any{"10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"}},
		{name: "cidr of attribute", expr: "!Select [2, !Cidr [!GetAtt Vpc.CidrBlock, 4, 12]]", want: "10.1.32.0/20"},
		{name: "cidr ipv6", expr: "!Cidr ['2001:db8::/56', 2, 64]", want: []any{"2001:db8::/64", "2001:db8:0:1::/64"}},
		{name: "cidr too many", expr: "!Cidr [10.0.0.0/24, 5, 7]", want: "unknown", warn: "Fn::Cidr"},
		{name: "import value", expr: "!ImportValue shared-vpc", want: "unknown"},
		{name: "base64", expr: "!Base64 hello", want: "aGVsbG8="},
		{name: "get att group id", expr: "!GetAtt Sg.GroupId", want: "ref:Sg"},
		{name: "get att list form", expr: "{Fn::GetAtt: [Vpc, CidrBlock]}", want: "10.1.0.0/16"},
		{name: "get att unknown attribute", expr: "!GetAtt Vpc.Ipv6CidrBlocks", want: "unknown"},
		{name: "get att default security group", expr: "!GetAtt Vpc.DefaultSecurityGroup", want: "ref:Vpc/DefaultSecurityGroup"},
		{name: "get att launch template version", expr: "!GetAtt Lt.LatestVersionNumber", want: "$Latest"},
		{name: "get att undefined", expr: "!GetAtt Nope.Arn", want: "unknown", warn: "not a resource"},
		{name: "unsupported function", expr: "{Fn::ToJsonString: {a: b}}", want: "unknown", warn: "not evaluated"},
		{name: "plain mapping", expr: "{A: [1, {B: x}]}", want: map[string]any{"A": []any{"1", map[string]any{"B": "x"}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, warns := evalExpr(t, c.expr, c.opts)
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", c.expr, diff)
			}
			if c.warn != "" && !strings.Contains(strings.Join(warns, "\n"), c.warn) {
				t.Errorf("%s: want a warning containing %q, got %q", c.expr, c.warn, warns)
			}
			if c.warn == "" && len(warns) > 0 {
				t.Errorf("%s: unexpected warnings %q", c.expr, warns)
			}
		})
	}
}

func TestCidrSubnets(t *testing.T) {
	t.Parallel()
	cases := []struct {
		block       string
		count, bits int
		want        []string
		err         string
	}{
		{block: "10.0.0.0/16", count: 2, bits: 8, want: []string{"10.0.0.0/24", "10.0.1.0/24"}},
		{block: "10.0.5.7/16", count: 1, bits: 14, want: []string{"10.0.0.0/18"}},
		{block: "192.168.0.0/24", count: 4, bits: 6, want: []string{"192.168.0.0/26", "192.168.0.64/26", "192.168.0.128/26", "192.168.0.192/26"}},
		{block: "not-a-cidr", count: 1, bits: 8, err: "bad CIDR"},
		{block: "10.0.0.0/24", count: 1, bits: 9, err: "do not fit"},
		{block: "10.0.0.0/24", count: 300, bits: 0, err: "between 1 and 256"},
		{block: "10.0.0.0/24", count: 3, bits: 7, err: "holds 2 subnets"},
	}
	for _, c := range cases {
		got, err := cidrSubnets(c.block, c.count, c.bits)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("cidrSubnets(%s, %d, %d) error = %v, want %q", c.block, c.count, c.bits, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("cidrSubnets(%s, %d, %d): %v", c.block, c.count, c.bits, err)
			continue
		}
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("cidrSubnets(%s, %d, %d) (-want +got):\n%s", c.block, c.count, c.bits, diff)
		}
	}
}

func TestParseParameterFile(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, data string
		want       map[string]string
		err        string
	}{
		{name: "cli list", data: `[{"ParameterKey": "A", "ParameterValue": "1"}, {"ParameterKey": "B", "ParameterValue": "x,y"}]`, want: map[string]string{"A": "1", "B": "x,y"}},
		{name: "parameters object", data: `{"Parameters": {"A": "1", "N": 2, "L": ["a", "b"], "T": true}}`, want: map[string]string{"A": "1", "N": "2", "L": "a,b", "T": "true"}},
		{name: "plain object", data: `{"A": "1"}`, want: map[string]string{"A": "1"}},
		{name: "missing key", data: `[{"ParameterValue": "1"}]`, err: "no ParameterKey"},
		{name: "not json", data: `A=1`, err: "not a JSON object or list"},
		{name: "bad value", data: `{"A": {"b": 1}}`, err: "parameter A"},
	}
	for _, c := range cases {
		got, err := parseParameterFile([]byte(c.data))
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: error = %v, want %q", c.name, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.name, diff)
		}
	}
}
