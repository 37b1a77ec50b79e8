// Package live collects the describe output of live AWS accounts through
// aws-sdk-go-v2 and writes it in the layout the describe reader reads and
// CloudMapper uses: <account>/<region>/<service>-<command>.json, each file
// the JSON the AWS CLI would print for the command, every page merged.
//
// Collect loads the AWS configuration the usual way (config.LoadDefaultConfig:
// profiles, SSO, environment, AWS_ENDPOINT_URL), optionally assumes a role
// (with an external id), or lists the accounts of an AWS Organization and
// collects each through a role. Calls run through the SDK's paginators and
// adaptive retryer, at most Config.Concurrency at a time across accounts,
// regions and services. Pages are streamed to the Sink as they arrive: a
// DirSink writes each file atomically (temporary file, then rename), a
// MemSink keeps the files in memory for an analysis on the spot.
//
// A call that fails (AccessDenied on one service, a region that is not
// enabled) is recorded in the Report and everything else is still
// collected. See README.md.
package live

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/middleware"
)

// Defaults of Config.
const (
	DefaultConcurrency = 8    // API calls in flight
	DefaultAccounts    = 4    // accounts collected side by side with OrgRole
	DefaultPageSize    = 1000 // describe-instances MaxResults (the API's maximum)
	DefaultMaxAttempts = 10   // attempts per call, throttling included
)

// AllRegions as the only Config.Regions entry collects every region
// enabled for the account.
const AllRegions = "all"

// Config says what to collect and how.
type Config struct {
	// Profile names a profile of the shared AWS configuration (empty: the
	// default chain: AWS_PROFILE, environment, SSO, instance roles).
	Profile string
	// Regions to collect; empty: the profile's region; {"all"}: every
	// region enabled for the account (ec2 DescribeRegions).
	Regions []string
	// RoleARN, when set, is assumed (with ExternalID when set) for the
	// whole collection.
	RoleARN, ExternalID string
	// OrgRole, when set, lists the accounts of the AWS Organization of the
	// credentials and collects each active account through the role of
	// that name in it (the account of the credentials themselves is
	// collected with them directly).
	OrgRole string
	// Concurrency bounds the API calls in flight (default 8); Accounts the
	// accounts collected side by side (default 4).
	Concurrency, Accounts int
	// PageSize is the MaxResults of describe-instances (default 1000).
	PageSize int32
	// MaxAttempts and MaxBackoff tune the adaptive retryer (defaults: 10
	// attempts, the SDK's 20 s).
	MaxAttempts int
	MaxBackoff  time.Duration
	// Endpoint overrides the AWS endpoint of every service (default: the
	// SDK's, or AWS_ENDPOINT_URL).
	Endpoint string
	// HTTPClient and APIOptions are passed to the SDK (tests, recorders).
	HTTPClient aws.HTTPClient
	APIOptions []func(*middleware.Stack) error
	// Progress, when set, is told each time a file is done or a call is
	// added. It is called from one goroutine at a time.
	Progress func(Progress)
}

// Progress is the state of a collection.
type Progress struct {
	// Done and Total count the calls (one call writes one file; a few,
	// such as ecs list-clusters, write none).
	Done, Total int
	// Last is the file or call just finished.
	Last string
}

// Report says what was collected and what was not. It is written as
// collect-report.json beside the dump: snake_case, sorted, no timestamps,
// so two collections of the same estate give the same report.
type Report struct {
	Accounts []AccountReport `json:"accounts"`
	// Files counts the files written.
	Files    int       `json:"files"`
	Failures []Failure `json:"failures"`
	// Interrupted is set when the collection was cancelled (Ctrl-C): the
	// files written before are complete, the others were not written.
	Interrupted bool `json:"interrupted"`
}

// AccountReport is one account of a collection.
type AccountReport struct {
	Account string `json:"account"`
	// Name is the account's name in the organization.
	Name    string         `json:"name,omitempty"`
	Regions []RegionReport `json:"regions"`
	// Error says why nothing of the account was collected (the role could
	// not be assumed).
	Error string `json:"error,omitempty"`
}

// RegionReport is one region of an account.
type RegionReport struct {
	Region string `json:"region"`
	Files  int    `json:"files"`
	// Skipped says why the region was not collected (not enabled).
	Skipped string `json:"skipped,omitempty"`
}

// Failure is one call that failed.
type Failure struct {
	Account string `json:"account"`
	Region  string `json:"region,omitempty"`
	// Operation is the IAM action of the call (ec2:DescribeInstances).
	Operation string `json:"operation"`
	// File is the file that was not written.
	File    string `json:"file,omitempty"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Complete reports whether everything asked for was collected.
func (r *Report) Complete() bool {
	if r.Interrupted || len(r.Failures) > 0 {
		return false
	}
	for _, a := range r.Accounts {
		if a.Error != "" {
			return false
		}
		for _, reg := range a.Regions {
			if reg.Skipped != "" {
				return false
			}
		}
	}
	return true
}

// Collect collects the describe output of the configured accounts and
// regions into sink. The error is for what stops the whole collection (no
// credentials, an organization that cannot be listed, a cancelled context);
// failures of single calls, regions or accounts are in the report. With a
// cancelled context the report says what was collected before.
func Collect(ctx context.Context, c Config, sink Sink) (*Report, error) {
	c = c.withDefaults()
	base, err := c.load(ctx)
	if err != nil {
		return nil, err
	}
	if c.RoleARN != "" {
		base = assume(base, c.RoleARN, c.ExternalID)
	}
	id, err := sts.NewFromConfig(base).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		if c.RoleARN != "" {
			return nil, fmt.Errorf("cannot assume %s: %w", c.RoleARN, Explain(err))
		}
		return nil, Explain(err)
	}
	col := &collector{cfg: c, sink: sink, sem: make(chan struct{}, c.Concurrency), report: &Report{}}
	self := aws.ToString(id.Account)
	if c.OrgRole == "" {
		acct := col.addAccount(self, "")
		col.account(ctx, acct, base)
	} else {
		accounts, err := listAccounts(ctx, base)
		if err != nil {
			return nil, fmt.Errorf("listing the accounts of the organization: %w", Explain(err))
		}
		col.organization(ctx, base, self, accounts)
	}
	col.wg.Wait()
	r := col.finish()
	if ctx.Err() != nil {
		r.Interrupted = true
		return r, Explain(ctx.Err())
	}
	return r, nil
}

func (c Config) withDefaults() Config {
	if c.Concurrency <= 0 {
		c.Concurrency = DefaultConcurrency
	}
	if c.Accounts <= 0 {
		c.Accounts = DefaultAccounts
	}
	if c.PageSize <= 0 {
		c.PageSize = DefaultPageSize
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = DefaultMaxAttempts
	}
	return c
}

// load builds the base AWS configuration.
func (c Config) load(ctx context.Context) (aws.Config, error) {
	opts := []func(*config.LoadOptions) error{
		config.WithRetryer(func() aws.Retryer {
			return retry.NewAdaptiveMode(func(o *retry.AdaptiveModeOptions) {
				o.StandardOptions = append(o.StandardOptions, func(so *retry.StandardOptions) {
					so.MaxAttempts = c.MaxAttempts
					if c.MaxBackoff > 0 {
						so.MaxBackoff = c.MaxBackoff
					}
				})
			})
		}),
	}
	if c.Profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(c.Profile))
	}
	if c.Endpoint != "" {
		opts = append(opts, config.WithBaseEndpoint(c.Endpoint))
	}
	if c.HTTPClient != nil {
		opts = append(opts, config.WithHTTPClient(c.HTTPClient))
	}
	if len(c.APIOptions) > 0 {
		opts = append(opts, config.WithAPIOptions(c.APIOptions))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("loading the AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		// STS, Organizations and DescribeRegions need a region to call;
		// the regions collected are chosen below.
		region := "us-east-1"
		if len(c.Regions) > 0 && c.Regions[0] != AllRegions {
			region = c.Regions[0]
		}
		cfg.Region = region
		if len(c.Regions) == 0 {
			return aws.Config{}, errors.New("no region: give --region (R1,R2 or all) or set one in the profile or AWS_REGION")
		}
	}
	return cfg, nil
}

// assume returns cfg with the credentials of role.
func assume(cfg aws.Config, role, externalID string) aws.Config {
	out := cfg.Copy()
	prov := stscreds.NewAssumeRoleProvider(sts.NewFromConfig(cfg), role, func(o *stscreds.AssumeRoleOptions) {
		o.RoleSessionName = "vpcgate-collect"
		if externalID != "" {
			o.ExternalID = aws.String(externalID)
		}
	})
	out.Credentials = aws.NewCredentialsCache(prov)
	return out
}

// listAccounts lists the accounts of the organization.
func listAccounts(ctx context.Context, cfg aws.Config) ([]orgtypes.Account, error) {
	var out []orgtypes.Account
	p := organizations.NewListAccountsPaginator(organizations.NewFromConfig(cfg), &organizations.ListAccountsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Accounts...)
	}
	return out, nil
}

// collector runs the calls of one collection.
type collector struct {
	cfg  Config
	sink Sink
	sem  chan struct{}
	wg   sync.WaitGroup

	mu          sync.Mutex
	report      *Report
	accounts    map[string]*AccountReport
	regions     map[[2]string]*RegionReport
	done, total int
}

func (col *collector) addAccount(id, name string) *AccountReport {
	col.mu.Lock()
	defer col.mu.Unlock()
	if col.accounts == nil {
		col.accounts = map[string]*AccountReport{}
		col.regions = map[[2]string]*RegionReport{}
	}
	a := &AccountReport{Account: id, Name: name}
	col.accounts[id] = a
	return a
}

// organization collects every active account of the organization, at
// most cfg.Accounts at a time.
func (col *collector) organization(ctx context.Context, base aws.Config, self string, accounts []orgtypes.Account) {
	sort.Slice(accounts, func(i, j int) bool { return aws.ToString(accounts[i].Id) < aws.ToString(accounts[j].Id) })
	slots := make(chan struct{}, col.cfg.Accounts)
	var wg sync.WaitGroup
	for _, a := range accounts {
		if a.Status != orgtypes.AccountStatusActive && a.Status != "" {
			continue
		}
		id := aws.ToString(a.Id)
		acct := col.addAccount(id, aws.ToString(a.Name))
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return
			}
			defer func() { <-slots }()
			cfg := base
			if id != self {
				role := fmt.Sprintf("arn:%s:iam::%s:role/%s", partitionOf(base.Region), id, col.cfg.OrgRole)
				cfg = assume(base, role, col.cfg.ExternalID)
				got, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
				if err == nil && aws.ToString(got.Account) != id {
					err = fmt.Errorf("the role's credentials are of account %s", aws.ToString(got.Account))
				}
				if err != nil {
					if ctx.Err() == nil {
						col.mu.Lock()
						acct.Error = fmt.Sprintf("cannot assume %s: %v", role, Explain(err))
						col.mu.Unlock()
					}
					return
				}
			}
			var accountWG sync.WaitGroup
			col.accountInto(ctx, acct, cfg, &accountWG)
			accountWG.Wait()
		}()
	}
	wg.Wait()
}

// partitionOf returns the partition of a region.
func partitionOf(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}

// account collects one account with cfg's credentials.
func (col *collector) account(ctx context.Context, acct *AccountReport, cfg aws.Config) {
	col.accountInto(ctx, acct, cfg, &col.wg)
}

func (col *collector) accountInto(ctx context.Context, acct *AccountReport, cfg aws.Config, wg *sync.WaitGroup) {
	regions := col.cfg.Regions
	if len(regions) == 0 {
		regions = []string{cfg.Region}
	}
	if len(regions) == 1 && regions[0] == AllRegions {
		enabled, err := enabledRegions(ctx, cfg)
		if err != nil {
			code, msg := errorCode(err)
			col.fail(Failure{Account: acct.Account, Region: cfg.Region, Operation: "ec2:DescribeRegions", Code: code, Message: msg})
			return
		}
		regions = enabled
	}
	for _, region := range regions {
		rc := cfg.Copy()
		rc.Region = region
		col.mu.Lock()
		rr := &RegionReport{Region: region}
		col.regions[[2]string{acct.Account, region}] = rr
		col.mu.Unlock()
		col.region(ctx, wg, &target{account: acct.Account, region: region, cfg: rc, report: rr, pageSize: col.cfg.PageSize})
	}
}

// enabledRegions lists the regions enabled for the account.
func enabledRegions(ctx context.Context, cfg aws.Config) ([]string, error) {
	out, err := ec2.NewFromConfig(cfg).DescribeRegions(ctx, &ec2.DescribeRegionsInput{})
	if err != nil {
		return nil, err
	}
	var regions []string
	for _, r := range out.Regions {
		regions = append(regions, aws.ToString(r.RegionName))
	}
	sort.Strings(regions)
	return regions, nil
}

// spawn runs t on its own goroutine once a call slot is free; then, if the
// call succeeded, runs after (which may spawn more calls).
func (col *collector) spawn(ctx context.Context, wg *sync.WaitGroup, tg *target, t task, after func(ok bool)) {
	col.mu.Lock()
	col.total++
	col.progress("")
	col.mu.Unlock()
	wg.Add(1)
	go func() {
		defer wg.Done()
		select {
		case col.sem <- struct{}{}:
		case <-ctx.Done():
			return
		}
		ok := col.run(ctx, tg, t)
		<-col.sem
		if after != nil && ctx.Err() == nil {
			after(ok)
		}
	}()
}

// run makes one call and writes its file.
func (col *collector) run(ctx context.Context, tg *target, t task) bool {
	rel := ""
	var fw FileWriter
	var d *doc
	if t.command != "" {
		rel = tg.account + "/" + tg.region + "/" + t.fileName()
		var err error
		fw, err = col.sink.Create(rel)
		if err != nil {
			col.fail(Failure{Account: tg.account, Region: tg.region, Operation: t.action, File: rel, Code: CodeError, Message: err.Error()})
			return false
		}
		d = newDoc(bufio.NewWriterSize(fw, 32<<10), t.camel)
	}
	err := t.run(ctx, d)
	if err == nil && d != nil {
		err = d.end()
		if err == nil {
			err = fw.Commit()
		}
	}
	if err != nil {
		if fw != nil {
			fw.Abort()
		}
		if ctx.Err() == nil {
			code, msg := errorCode(err)
			col.fail(Failure{Account: tg.account, Region: tg.region, Operation: t.action, File: rel, Code: code, Message: msg})
		}
		col.mu.Lock()
		col.done++
		col.progress(t.action)
		col.mu.Unlock()
		return false
	}
	col.mu.Lock()
	col.done++
	if rel != "" {
		col.report.Files++
		tg.report.Files++
		col.progress(rel)
	} else {
		col.progress(t.action)
	}
	col.mu.Unlock()
	return true
}

// progress tells Config.Progress; col.mu is held.
func (col *collector) progress(last string) {
	if col.cfg.Progress != nil {
		col.cfg.Progress(Progress{Done: col.done, Total: col.total, Last: last})
	}
}

func (col *collector) fail(f Failure) {
	col.mu.Lock()
	defer col.mu.Unlock()
	col.report.Failures = append(col.report.Failures, f)
}

// skipRegion marks a region as not collected.
func (col *collector) skipRegion(tg *target, why string) {
	col.mu.Lock()
	defer col.mu.Unlock()
	tg.report.Skipped = why
}

// finish sorts the report.
func (col *collector) finish() *Report {
	col.mu.Lock()
	defer col.mu.Unlock()
	r := col.report
	r.Accounts = r.Accounts[:0]
	for _, a := range col.accounts {
		a.Regions = a.Regions[:0]
		for k, reg := range col.regions {
			if k[0] == a.Account {
				a.Regions = append(a.Regions, *reg)
			}
		}
		sort.Slice(a.Regions, func(i, j int) bool { return a.Regions[i].Region < a.Regions[j].Region })
		r.Accounts = append(r.Accounts, *a)
	}
	sort.Slice(r.Accounts, func(i, j int) bool { return r.Accounts[i].Account < r.Accounts[j].Account })
	sort.Slice(r.Failures, func(i, j int) bool {
		a, b := r.Failures[i], r.Failures[j]
		if a.Account != b.Account {
			return a.Account < b.Account
		}
		if a.Region != b.Region {
			return a.Region < b.Region
		}
		if a.Operation != b.Operation {
			return a.Operation < b.Operation
		}
		return a.File < b.File
	})
	if r.Failures == nil {
		r.Failures = []Failure{}
	}
	if r.Accounts == nil {
		r.Accounts = []AccountReport{}
	}
	return r
}
