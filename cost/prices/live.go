package prices

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/pricing"
	"github.com/aws/aws-sdk-go-v2/service/pricing/types"
)

// LiveOptions configure Live.
type LiveOptions struct {
	// Regions to fetch prices for; required.
	Regions []string
	// APIRegion is where the Pricing API is called (us-east-1 when empty).
	APIRegion string
	// Endpoint overrides the Pricing API endpoint (a test server).
	Endpoint string
	// AccessKeyID and SecretAccessKey give static credentials; when empty
	// the SDK's default chain (environment, profile, role) is used.
	AccessKeyID     string
	SecretAccessKey string
}

// liveQuery is one GetProducts query template; the region filter is added
// per region.
type liveQuery struct {
	service     string
	regionField string
	filters     map[string]string
}

func liveQueries() []liveQuery {
	return []liveQuery{
		{"AmazonEC2", "regionCode", map[string]string{"productFamily": "Compute Instance", "operatingSystem": "Linux", "tenancy": "Shared", "preInstalledSw": "NA", "capacitystatus": "Used"}},
		{"AmazonEC2", "regionCode", map[string]string{"productFamily": "NAT Gateway"}},
		{"AmazonEC2", "regionCode", map[string]string{"productFamily": "Storage"}},
		{"AmazonVPC", "regionCode", nil},
		{"AWSELB", "regionCode", nil},
		{"AmazonRDS", "regionCode", map[string]string{"productFamily": "Database Instance", "databaseEngine": "MySQL"}},
		{"AmazonRDS", "regionCode", map[string]string{"productFamily": "Database Instance", "databaseEngine": "PostgreSQL"}},
		{"AmazonRDS", "regionCode", map[string]string{"productFamily": "Database Storage"}},
		{"AmazonECS", "regionCode", nil},
		{"AWSDataTransfer", "fromRegionCode", nil},
	}
}

// livePrice is one element of GetProducts' PriceList.
type livePrice struct {
	ServiceCode     string      `json:"serviceCode"`
	PublicationDate string      `json:"publicationDate"`
	Product         jsonProduct `json:"product"`
	Terms           struct {
		OnDemand map[string]jsonTerm `json:"OnDemand"`
	} `json:"terms"`
}

// Live imports prices through the AWS Pricing API (GetProducts), for the
// services and regions the catalog covers.
func (im *Importer) Live(ctx context.Context, opts LiveOptions) error {
	if len(opts.Regions) == 0 {
		return fmt.Errorf("live prices: no region given")
	}
	apiRegion := opts.APIRegion
	if apiRegion == "" {
		apiRegion = "us-east-1"
	}
	loadOpts := []func(*config.LoadOptions) error{config.WithRegion(apiRegion)}
	if opts.AccessKeyID != "" {
		loadOpts = append(loadOpts, config.WithCredentialsProvider(
			credentials.NewStaticCredentialsProvider(opts.AccessKeyID, opts.SecretAccessKey, "")))
	}
	cfg, err := config.LoadDefaultConfig(ctx, loadOpts...)
	if err != nil {
		return fmt.Errorf("live prices: load aws config: %w", err)
	}
	client := pricing.NewFromConfig(cfg, func(o *pricing.Options) {
		if opts.Endpoint != "" {
			o.BaseEndpoint = aws.String(opts.Endpoint)
		}
	})
	source := "AWS Price List API"
	for _, region := range opts.Regions {
		for _, q := range liveQueries() {
			in := &pricing.GetProductsInput{
				ServiceCode:   aws.String(q.service),
				FormatVersion: aws.String("aws_v1"),
				Filters: []types.Filter{{
					Field: aws.String(q.regionField), Type: types.FilterTypeTermMatch, Value: aws.String(region),
				}},
			}
			for _, f := range sortedKeys(q.filters) {
				in.Filters = append(in.Filters, types.Filter{Field: aws.String(f), Type: types.FilterTypeTermMatch, Value: aws.String(q.filters[f])})
			}
			pages := pricing.NewGetProductsPaginator(client, in)
			for pages.HasMorePages() {
				page, err := pages.NextPage(ctx)
				if err != nil {
					return fmt.Errorf("live prices: %s in %s: %w", q.service, region, err)
				}
				for i, raw := range page.PriceList {
					var lp livePrice
					if err := json.Unmarshal([]byte(raw), &lp); err != nil {
						return fmt.Errorf("live prices: %s in %s: price %d: %w", q.service, region, i, err)
					}
					if len(lp.PublicationDate) >= 10 && lp.PublicationDate[:10] > im.asOf {
						im.asOf = lp.PublicationDate[:10]
					}
					if lp.Product.Attributes["servicecode"] == "" && lp.Product.Attributes["serviceCode"] == "" {
						if lp.Product.Attributes == nil {
							lp.Product.Attributes = map[string]string{}
						}
						lp.Product.Attributes["servicecode"] = lp.ServiceCode
					}
					c, ok := im.classifyProduct(lp.Product)
					if !ok {
						continue
					}
					dims, asOf, err := dimsOf(lp.Terms.OnDemand)
					if err != nil {
						return fmt.Errorf("live prices: %s: %w", lp.Product.SKU, err)
					}
					im.add(c, lp.Product.SKU, dims, source, asOf)
				}
			}
		}
	}
	im.sources = append(im.sources, source)
	return nil
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
