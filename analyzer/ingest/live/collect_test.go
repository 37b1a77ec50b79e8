package live

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	"github.com/google/go-cmp/cmp"

	"github.com/vpcgate/vpcgate/internal/mototest"
)

// fast keeps retries short in tests.
func fast(c Config) Config {
	c.MaxBackoff = 50 * time.Millisecond
	if len(c.Regions) == 0 {
		c.Regions = []string{"us-east-1"}
	}
	return c
}

// reservations counts the instances of a collected describe-instances file
// and checks that it is one document.
func instancesIn(t *testing.T, path string) int {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Reservations []struct {
			Instances []json.RawMessage
		}
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	n := 0
	for _, r := range doc.Reservations {
		n += len(r.Instances)
	}
	return n
}

// TestPagesAndThrottling collects seven reservations five at a time (two
// pages of describe-instances, merged into one file) through a proxy that
// answers the first three describe-instances calls with 503 throttling
// errors: the adaptive retryer retries and the collection is complete.
func TestPagesAndThrottling(t *testing.T) {
	ep := mototest.Server(t)
	mototest.Reset(t, ep)
	mototest.Env(t, ep)
	cfg := mototest.Config(t, ep)
	c := ec2.NewFromConfig(cfg)
	for i := range 7 {
		if _, err := c.RunInstances(context.Background(), &ec2.RunInstancesInput{ImageId: aws.String(mototest.AMI), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
			TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeInstance, Tags: []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String(fmt.Sprint("app-", i))}}}}}); err != nil {
			t.Fatal(err)
		}
	}
	throttled := 0
	p := newProxy(t, ep, func(c call) string {
		if c.operation == "DescribeInstances" && throttled < 3 {
			throttled++
			return "throttle"
		}
		return ""
	})
	dir := t.TempDir()
	rep, err := Collect(context.Background(), fast(Config{Endpoint: p.URL, PageSize: 5}), DirSink{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Complete() {
		t.Fatalf("not complete: %+v", rep)
	}
	if got := p.answeredWith("throttle"); got != 3 {
		t.Errorf("%d throttled answers, want 3", got)
	}
	// Three throttled attempts, then two pages.
	if got := p.count("ec2:DescribeInstances"); got != 5 {
		t.Errorf("%d describe-instances requests, want 5 (3 throttled + 2 pages)", got)
	}
	if n := instancesIn(t, filepath.Join(dir, "123456789012", "us-east-1", "ec2-describe-instances.json")); n != 7 {
		t.Errorf("%d instances in the file, want 7", n)
	}
}

// TestAccessDeniedOnOneService: RDS answers AccessDenied; its three calls
// are reported, everything else is collected.
func TestAccessDeniedOnOneService(t *testing.T) {
	ep := production(t)
	p := newProxy(t, ep, func(c call) string {
		if c.service == "rds" {
			return "deny"
		}
		return ""
	})
	dir := t.TempDir()
	rep, err := Collect(context.Background(), fast(Config{Endpoint: p.URL}), DirSink{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Complete() {
		t.Fatal("a collection with AccessDenied is reported complete")
	}
	var got []string
	for _, f := range rep.Failures {
		got = append(got, f.Operation+" "+f.Code+" "+f.File)
	}
	want := []string{
		"rds:DescribeDBClusters AccessDenied 123456789012/us-east-1/rds-describe-db-clusters.json",
		"rds:DescribeDBInstances AccessDenied 123456789012/us-east-1/rds-describe-db-instances.json",
		"rds:DescribeDBSubnetGroups AccessDenied 123456789012/us-east-1/rds-describe-db-subnet-groups.json",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("failures (-want +got):\n%s", d)
	}
	region := filepath.Join(dir, "123456789012", "us-east-1")
	if _, err := os.Stat(filepath.Join(region, "rds-describe-db-instances.json")); !os.IsNotExist(err) {
		t.Errorf("a denied call left a file: %v", err)
	}
	if n := instancesIn(t, filepath.Join(region, "ec2-describe-instances.json")); n != 4 {
		t.Errorf("%d instances collected, want the production estate's 4", n)
	}
	if rep.Files != 33 {
		t.Errorf("%d files written, want 33 (36 less the 3 of RDS)", rep.Files)
	}
}

// organization makes an organization of three accounts on moto (the
// default account manages it) with one named VPC in each, and returns the
// member account ids.
func organization(t *testing.T, ep string) []string {
	t.Helper()
	ctx := context.Background()
	cfg := mototest.Config(t, ep)
	org := organizations.NewFromConfig(cfg)
	if _, err := org.CreateOrganization(ctx, &organizations.CreateOrganizationInput{FeatureSet: orgtypes.OrganizationFeatureSetAll}); err != nil {
		t.Fatal(err)
	}
	var members []string
	for i := range 2 {
		out, err := org.CreateAccount(ctx, &organizations.CreateAccountInput{AccountName: aws.String(fmt.Sprint("member-", i)), Email: aws.String(fmt.Sprintf("member%d@example.com", i))})
		if err != nil {
			t.Fatal(err)
		}
		members = append(members, aws.ToString(out.CreateAccountStatus.AccountId))
	}
	for i, acct := range append([]string{"123456789012"}, members...) {
		c := cfg
		if i > 0 {
			c = cfg.Copy()
			c.Credentials = aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(sts.NewFromConfig(cfg), "arn:aws:iam::"+acct+":role/OrganizationAccountAccessRole"))
		}
		if _, err := ec2.NewFromConfig(c).CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"),
			TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeVpc, Tags: []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String("vpc-of-" + acct)}}}}}); err != nil {
			t.Fatal(err)
		}
	}
	sort.Strings(members)
	return members
}

// TestOrganization collects an organization of three accounts through
// OrganizationAccountAccessRole, then again with one account's role
// refused: that account is reported, the others are collected.
func TestOrganization(t *testing.T) {
	ep := mototest.Server(t)
	mototest.Reset(t, ep)
	mototest.Env(t, ep)
	members := organization(t, ep)
	all := append([]string{"123456789012"}, members...)
	sort.Strings(all)

	dir := t.TempDir()
	rep, err := Collect(context.Background(), fast(Config{OrgRole: "OrganizationAccountAccessRole", Endpoint: ep}), DirSink{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Complete() {
		t.Fatalf("not complete: %+v", rep)
	}
	var got []string
	for _, a := range rep.Accounts {
		got = append(got, a.Account)
		data, err := os.ReadFile(filepath.Join(dir, a.Account, "us-east-1", "ec2-describe-vpcs.json"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), `"Value": "vpc-of-`+a.Account+`"`) {
			t.Errorf("account %s: its folder does not hold its own VPC:\n%s", a.Account, data)
		}
	}
	if d := cmp.Diff(all, got); d != "" {
		t.Errorf("accounts (-want +got):\n%s", d)
	}

	refused := members[0]
	p := newProxy(t, ep, func(c call) string {
		if c.operation == "AssumeRole" && strings.Contains(c.body, refused) {
			return "deny"
		}
		return ""
	})
	dir = t.TempDir()
	rep, err = Collect(context.Background(), fast(Config{OrgRole: "OrganizationAccountAccessRole", Endpoint: p.URL}), DirSink{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Complete() {
		t.Fatal("reported complete with an account that could not be assumed")
	}
	for _, a := range rep.Accounts {
		_, statErr := os.Stat(filepath.Join(dir, a.Account, "us-east-1", "ec2-describe-vpcs.json"))
		if a.Account == refused {
			if !strings.Contains(a.Error, "cannot assume arn:aws:iam::"+refused+":role/OrganizationAccountAccessRole") || !strings.Contains(a.Error, "AccessDenied") {
				t.Errorf("refused account's error: %q", a.Error)
			}
			if statErr == nil {
				t.Error("the refused account has files")
			}
			continue
		}
		if a.Error != "" || statErr != nil {
			t.Errorf("account %s not collected: %q %v", a.Account, a.Error, statErr)
		}
	}
}

// TestCancelLeavesNoPartialFile cancels a collection while
// describe-instances is in flight: the call's file is not written, no
// temporary file is left, every file written is complete JSON, and the
// report says the collection was interrupted.
func TestCancelLeavesNoPartialFile(t *testing.T) {
	ep := production(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p := newProxy(t, ep, func(c call) string {
		if c.operation == "DescribeInstances" {
			cancel()
			return "block"
		}
		return ""
	})
	dir := t.TempDir()
	rep, err := Collect(ctx, fast(Config{Endpoint: p.URL, Concurrency: 2}), DirSink{Dir: dir})
	if err == nil || rep == nil || !rep.Interrupted {
		t.Fatalf("Collect after cancel: report %+v, error %v", rep, err)
	}
	files := 0
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if strings.Contains(d.Name(), ".tmp-") {
			t.Errorf("temporary file left: %s", path)
		}
		if d.Name() == "ec2-describe-instances.json" {
			t.Errorf("the interrupted call's file was written: %s", path)
		}
		data, _ := os.ReadFile(path)
		if !json.Valid(data) {
			t.Errorf("%s is not complete JSON", path)
		}
		files++
		return nil
	})
	if files != rep.Files {
		t.Errorf("%d files on disk, the report says %d", files, rep.Files)
	}
}

// TestLeastPrivilege records the operations a collection calls (every kind
// of resource, an ECS service, every region, an organization) and checks
// that they are exactly the actions examples/iam/vpcgate-readonly.json
// allows. sts:GetCallerIdentity needs no permission (AWS: "No permissions
// are required to perform this operation").
func TestLeastPrivilege(t *testing.T) {
	ep := production(t)
	ctx := context.Background()
	cfg := mototest.Config(t, ep)
	e := ecs.NewFromConfig(cfg)
	if _, err := e.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("prod")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("web"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("nginx"), Memory: aws.Int32(256)}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("prod"), ServiceName: aws.String("web"), TaskDefinition: aws.String("web:1"), DesiredCount: aws.Int32(1)}); err != nil {
		t.Fatal(err)
	}
	organization(t, ep)
	// Every region, but moto's list cut to two so the test stays quick.
	p := newProxy(t, ep, func(c call) string {
		if c.operation == "DescribeRegions" {
			return "regions"
		}
		return ""
	})
	rec := &Recorder{}
	dir := t.TempDir()
	rep, err := Collect(ctx, fast(Config{Endpoint: ep, APIOptions: []func(*middleware.Stack) error{rec.Register}}), DirSink{Dir: dir})
	if err != nil || !rep.Complete() {
		t.Fatalf("collect: %v %+v", err, rep)
	}
	if _, err := os.Stat(filepath.Join(dir, "123456789012", "us-east-1", "ecs-describe-services-prod.json")); err != nil {
		t.Fatal(err)
	}
	rep, err = Collect(ctx, fast(Config{Endpoint: p.URL, Regions: []string{AllRegions}, OrgRole: "OrganizationAccountAccessRole", Concurrency: 16,
		APIOptions: []func(*middleware.Stack) error{rec.Register}}), &MemSink{})
	if err != nil || !rep.Complete() {
		t.Fatalf("collect --org-role --region all: %v %+v", err, rep)
	}
	if len(rep.Accounts) != 3 || len(rep.Accounts[0].Regions) != 2 {
		t.Fatalf("want 3 accounts of 2 regions: %+v", rep.Accounts)
	}

	data, err := os.ReadFile(filepath.Join("..", "..", "..", "examples", "iam", "vpcgate-readonly.json"))
	if err != nil {
		t.Fatal(err)
	}
	var policy struct {
		Version   string
		Statement []struct {
			Effect string
			Action []string
		}
	}
	if err := json.Unmarshal(data, &policy); err != nil {
		t.Fatal(err)
	}
	var allowed []string
	for _, s := range policy.Statement {
		if s.Effect != "Allow" {
			t.Errorf("statement with effect %q", s.Effect)
		}
		allowed = append(allowed, s.Action...)
	}
	sort.Strings(allowed)
	var called []string
	for _, a := range rec.Actions() {
		if a != "sts:GetCallerIdentity" {
			called = append(called, a)
		}
	}
	if d := cmp.Diff(allowed, called); d != "" {
		t.Errorf("actions the policy allows (-) and the collection calls (+):\n%s", d)
	}
}

// TestExplain checks the one-line messages of expected errors.
func TestExplain(t *testing.T) {
	cases := []struct {
		err  error
		want string
	}{
		{&smithy.GenericAPIError{Code: "ExpiredToken", Message: "The security token included in the request is expired"}, "have expired"},
		{&smithy.GenericAPIError{Code: "InvalidClientTokenId", Message: "bad"}, "were refused"},
		{&smithy.GenericAPIError{Code: "AccessDenied", Message: "no"}, "vpcgate-readonly.json"},
		{errors.New("operation error STS: GetCallerIdentity, get identity: get credentials: failed to refresh cached credentials, no EC2 IMDS role found"), "no AWS credentials found"},
		{context.Canceled, "interrupted"},
	}
	for _, c := range cases {
		if got := Explain(c.err).Error(); !strings.Contains(got, c.want) {
			t.Errorf("Explain(%v) = %q, want it to say %q", c.err, got, c.want)
		}
	}
}

// TestRegionNotEnabled: a region answering OptInRequired is recorded as
// skipped after its first call; the other region is collected.
func TestRegionNotEnabled(t *testing.T) {
	ep := mototest.Server(t)
	mototest.Reset(t, ep)
	mototest.Env(t, ep)
	p := newProxy(t, ep, func(c call) string {
		if strings.Contains(c.r.Header.Get("Authorization"), "/me-south-1/") {
			return "optin"
		}
		return ""
	})
	dir := t.TempDir()
	rep, err := Collect(context.Background(), fast(Config{Endpoint: p.URL, Regions: []string{"me-south-1", "us-east-1"}}), DirSink{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Complete() || len(rep.Accounts) != 1 {
		t.Fatalf("report: %+v", rep)
	}
	regions := rep.Accounts[0].Regions
	if len(regions) != 2 || regions[0].Region != "me-south-1" || !strings.Contains(regions[0].Skipped, "opt-in") || regions[1].Skipped != "" || regions[1].Files == 0 {
		t.Errorf("regions: %+v", regions)
	}
	if n := p.count("ec2:DescribeVpcs"); n != 2 {
		t.Errorf("%d describe-vpcs calls, want 2 (one per region)", n)
	}
	if _, err := os.Stat(filepath.Join(dir, "123456789012", "me-south-1")); !os.IsNotExist(err) {
		t.Errorf("the skipped region has a folder: %v", err)
	}
}
