package prices

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type row struct{ Region, Key, Unit, Price, AsOf string }

func rows(c *Catalog) []row {
	var out []row
	for _, e := range c.Entries() {
		out = append(out, row{e.Region, e.Key, e.Unit, e.Price.String(), e.AsOf})
	}
	return out
}

func TestImportFiles(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		files   []string
		regions []string
		want    []row
	}{
		{
			name:  "json ec2 offer",
			files: []string{"testdata/offer-ec2.json"},
			want: []row{
				{"eu-west-1", "ec2/m3.xlarge", "hour", "0.293", "2025-04-01"},
				{"us-east-1", "ebs/gp3", "GB-month", "0.08", "2025-05-01"},
				{"us-east-1", "ec2/t3.micro", "hour", "0.0104", "2025-05-01"},
				{"us-east-1", "ec2/t3.micro/windows", "hour", "0.0196", "2025-05-01"}, // the Windows SKU of the offer
				{"us-east-1", "nat/gb", "GB", "0.045", "2025-05-01"},
				{"us-east-1", "nat/hour", "hour", "0.045", "2025-05-01"},
			},
		},
		{
			name:    "csv offers, one region",
			files:   []string{"testdata/offer-elb.csv", "testdata/offer-transfer.csv"},
			regions: []string{"us-east-1"},
			want: []row{
				{"us-east-1", "alb/hour", "hour", "0.0225", "2025-05-01"},
				{"us-east-1", "alb/lcu_hour", "LCU-hour", "0.008", "2025-05-01"},
				{"us-east-1", "nlb/hour", "hour", "0.0225", "2025-05-01"},
				{"us-east-1", "transfer/inter_az", "GB", "0.01", "2025-05-01"},
				{"us-east-1", "transfer/internet_out", "GB", "0.09", "2025-05-01"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			im := NewImporter(ImportOptions{Regions: tt.regions})
			for _, f := range tt.files {
				if err := im.ReadFile(f); err != nil {
					t.Fatal(err)
				}
			}
			c := im.Catalog()
			if diff := cmp.Diff(tt.want, rows(c)); diff != "" {
				t.Errorf("catalog (-want +got):\n%s", diff)
			}
			if c.AsOf != "2025-06-01" {
				t.Errorf("as_of = %q", c.AsOf)
			}
		})
	}
}

// TestImportStreams feeds a large generated offer file through a pipe: the
// importer must read it as a stream (the reserved section is skipped token
// by token) and find the one product it wants among thousands.
func TestImportStreams(t *testing.T) {
	t.Parallel()
	pr, pw := io.Pipe()
	go func() {
		w := func(s string) { _, _ = io.WriteString(pw, s) }
		w(`{"formatVersion":"v1.0","offerCode":"AmazonEC2","publicationDate":"2025-06-01T00:00:00Z","products":{`)
		for i := 0; i < 20000; i++ {
			if i > 0 {
				w(",")
			}
			sku := "SKU" + strings.Repeat("0", 6-len(itoa(i))) + itoa(i)
			os := "Windows"
			if i == 12345 {
				os = "Linux"
			}
			w(`"` + sku + `":{"sku":"` + sku + `","productFamily":"Compute Instance","attributes":{"instanceType":"c6i.large","tenancy":"Shared","operatingSystem":"` + os + `","preInstalledSw":"NA","capacitystatus":"Used","operation":"RunInstances","regionCode":"us-west-2"}}`)
		}
		w(`},"terms":{"Reserved":{`)
		for i := 0; i < 20000; i++ {
			if i > 0 {
				w(",")
			}
			w(`"R` + itoa(i) + `":{"x":{"priceDimensions":{"y":{"unit":"Hrs","pricePerUnit":{"USD":"1"}}}}}`)
		}
		w(`},"OnDemand":{"SKU012345":{"SKU012345.T":{"effectiveDate":"2025-05-01T00:00:00Z","priceDimensions":{"d":{"unit":"Hrs","beginRange":"0","pricePerUnit":{"USD":"0.0850000000"}}}}},"SKU000001":{"t":{"priceDimensions":{}}}}}}`)
		pw.Close()
	}()
	im := NewImporter(ImportOptions{})
	if err := im.ReadOffer(pr, "big.json"); err != nil {
		t.Fatal(err)
	}
	want := []row{{"us-west-2", "ec2/c6i.large", "hour", "0.085", "2025-05-01"}}
	if diff := cmp.Diff(want, rows(im.Catalog())); diff != "" {
		t.Errorf("catalog (-want +got):\n%s", diff)
	}
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

func TestImportErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"empty", "", "empty file"},
		{"not offer json", `{"a":1}`, "no products"},
		{"terms first", `{"terms":{},"products":{}}`, "terms precede products"},
		{"truncated json", `{"products":{"A":{"sku":"A"`, "product A"},
		{"csv without header", "a,b\nc,d\n", "no SKU header"},
		{"csv bad price", "\"SKU\",\"TermType\",\"PricePerUnit\",\"Unit\",\"Product Family\",\"usageType\",\"Region Code\"\nA,OnDemand,x,Hrs,NAT Gateway,NatGateway-Hours,us-east-1\n", "line 2: price \"x\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := NewImporter(ImportOptions{}).ReadOffer(strings.NewReader(tt.in), "in")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func FuzzReadOffer(f *testing.F) {
	for _, p := range []string{"testdata/offer-ec2.json", "testdata/offer-elb.csv"} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Fuzz(func(t *testing.T, s string) {
		im := NewImporter(ImportOptions{})
		_ = im.ReadOffer(strings.NewReader(s), "fuzz")
		_ = im.Catalog()
	})
}

// pricingStub speaks the Pricing API's JSON 1.1 protocol on 127.0.0.1.
type pricingStub struct {
	mu       sync.Mutex
	requests []map[string]any
}

func (s *pricingStub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("X-Amz-Target") != "AWSPriceListService.GetProducts" {
		http.Error(w, `{"__type":"InvalidParameterException","message":"unexpected target"}`, http.StatusBadRequest)
		return
	}
	var req map[string]any
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	s.requests = append(s.requests, req)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	var list []string
	next := ""
	switch req["ServiceCode"] {
	case "AmazonEC2":
		filters, _ := req["Filters"].([]any)
		family := ""
		for _, f := range filters {
			m := f.(map[string]any)
			if m["Field"] == "productFamily" {
				family, _ = m["Value"].(string)
			}
		}
		if family == "NAT Gateway" {
			if req["NextToken"] == nil {
				list = append(list, livePriceJSON("NATH", "NAT Gateway", `"usagetype":"NatGateway-Hours","regionCode":"us-east-1"`, "Hrs", "0.0450000000"))
				next = "page2"
			} else {
				list = append(list, livePriceJSON("NATB", "NAT Gateway", `"usagetype":"NatGateway-Bytes","regionCode":"us-east-1"`, "GB", "0.0450000000"))
			}
		}
	case "AmazonVPC":
		list = append(list, livePriceJSON("IPV4", "VPC Public IPv4 Address", `"usagetype":"USE1-PublicIPv4:InUseAddress","regionCode":"us-east-1"`, "Hrs", "0.0050000000"))
	}
	out := map[string]any{"FormatVersion": "aws_v1", "PriceList": list}
	if next != "" {
		out["NextToken"] = next
	}
	_ = json.NewEncoder(w).Encode(out)
}

func livePriceJSON(sku, family, attrs, unit, usd string) string {
	return `{"product":{"productFamily":"` + family + `","attributes":{` + attrs + `},"sku":"` + sku + `"},"serviceCode":"x","terms":{"OnDemand":{"` + sku + `.T":{"effectiveDate":"2025-05-01T00:00:00Z","priceDimensions":{"` + sku + `.T.D":{"unit":"` + unit + `","beginRange":"0","endRange":"Inf","pricePerUnit":{"USD":"` + usd + `"}}}}}},"version":"20250601","publicationDate":"2025-06-01T00:00:00Z"}`
}

func TestLive(t *testing.T) {
	t.Parallel()
	stub := &pricingStub{}
	srv := httptest.NewServer(stub)
	defer srv.Close()
	im := NewImporter(ImportOptions{})
	err := im.Live(context.Background(), LiveOptions{Regions: []string{"us-east-1"}, Endpoint: srv.URL, AccessKeyID: "AKIDTEST", SecretAccessKey: "secret"})
	if err != nil {
		t.Fatal(err)
	}
	want := []row{
		{"us-east-1", "ipv4/hour", "hour", "0.005", "2025-05-01"},
		{"us-east-1", "nat/gb", "GB", "0.045", "2025-05-01"},
		{"us-east-1", "nat/hour", "hour", "0.045", "2025-05-01"},
	}
	if diff := cmp.Diff(want, rows(im.Catalog())); diff != "" {
		t.Errorf("catalog (-want +got):\n%s", diff)
	}
	stub.mu.Lock()
	defer stub.mu.Unlock()
	// 10 queries, plus one for the second NAT page.
	if len(stub.requests) != len(liveQueries())+1 {
		t.Errorf("requests = %d, want %d", len(stub.requests), len(liveQueries())+1)
	}
	first := stub.requests[0]
	if first["ServiceCode"] != "AmazonEC2" || first["FormatVersion"] != "aws_v1" {
		t.Errorf("first request = %v", first)
	}
}

func TestLiveError(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"__type":"AccessDeniedException","message":"no"}`)
	}))
	defer srv.Close()
	err := NewImporter(ImportOptions{}).Live(context.Background(), LiveOptions{Regions: []string{"eu-west-1"}, Endpoint: srv.URL, AccessKeyID: "a", SecretAccessKey: "b"})
	if err == nil || !strings.Contains(err.Error(), "AmazonEC2 in eu-west-1") {
		t.Fatalf("err = %v", err)
	}
}

// BenchmarkImportJSON streams a generated 10,000-product offer file with
// on-demand and reserved terms; b.SetBytes reports the throughput.
func BenchmarkImportJSON(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"formatVersion":"v1.0","offerCode":"AmazonEC2","publicationDate":"2025-06-01T00:00:00Z","products":{`)
	for i := 0; i < 10000; i++ {
		if i > 0 {
			sb.WriteString(",")
		}
		sku := "SKU" + itoa(i)
		sb.WriteString(`"` + sku + `":{"sku":"` + sku + `","productFamily":"Compute Instance","attributes":{"servicecode":"AmazonEC2","location":"US East (N. Virginia)","instanceType":"m5.` + itoa(i) + `xlarge","tenancy":"Shared","operatingSystem":"Linux","preInstalledSw":"NA","capacitystatus":"Used","operation":"RunInstances","regionCode":"us-east-1","usagetype":"BoxUsage:m5.large","licenseModel":"No License required"}}`)
	}
	sb.WriteString(`},"terms":{"OnDemand":{`)
	for i := 0; i < 10000; i++ {
		if i > 0 {
			sb.WriteString(",")
		}
		sku := "SKU" + itoa(i)
		sb.WriteString(`"` + sku + `":{"` + sku + `.JRTCKXETXF":{"effectiveDate":"2025-05-01T00:00:00Z","priceDimensions":{"` + sku + `.JRTCKXETXF.6YS6EN2CT7":{"unit":"Hrs","beginRange":"0","endRange":"Inf","description":"$0.096 per On Demand Linux m5.large Instance Hour","pricePerUnit":{"USD":"0.0960000000"},"appliesTo":[]}},"termAttributes":{}}}`)
	}
	sb.WriteString(`},"Reserved":{`)
	for i := 0; i < 10000; i++ {
		if i > 0 {
			sb.WriteString(",")
		}
		sb.WriteString(`"SKU` + itoa(i) + `":{"x":{"priceDimensions":{"y":{"unit":"Hrs","pricePerUnit":{"USD":"0.05"}}},"termAttributes":{"LeaseContractLength":"1yr","PurchaseOption":"No Upfront"}}}`)
	}
	sb.WriteString(`}}}`)
	data := sb.String()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		im := NewImporter(ImportOptions{})
		if err := im.ReadOffer(strings.NewReader(data), "bench.json"); err != nil {
			b.Fatal(err)
		}
		if n := im.Catalog().Len(); n != 10000 {
			b.Fatalf("%d prices", n)
		}
	}
}
