package live

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// proxy is a local reverse proxy in front of moto that can answer some
// requests itself: throttling errors, AccessDenied, a blocked call.
type proxy struct {
	*httptest.Server
	mu sync.Mutex
	// rule decides what to do with a request; "" passes it on.
	rule func(c call) string
	// seen counts requests by "service:Operation".
	seen map[string]int
	// answered counts requests answered by the proxy, by what it answered.
	answered map[string]int
}

// call is what the proxy knows of a request.
type call struct {
	service, operation, body string
	r                        *http.Request
}

var scopeService = regexp.MustCompile(`Credential=[^/]+/[^/]+/[^/]+/([^/]+)/aws4_request`)

func newProxy(t *testing.T, target string, rule func(c call) string) *proxy {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(u)
	p := &proxy{rule: rule, seen: map[string]int{}, answered: map[string]int{}}
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		c := call{body: string(body), r: r}
		if m := scopeService.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
			c.service = m[1]
		}
		if target := r.Header.Get("X-Amz-Target"); target != "" {
			_, c.operation, _ = strings.Cut(target, ".")
		} else if form, err := url.ParseQuery(string(body)); err == nil {
			c.operation = form.Get("Action")
		}
		p.mu.Lock()
		p.seen[c.service+":"+c.operation]++
		what := ""
		if p.rule != nil {
			what = p.rule(c)
		}
		if what != "" {
			p.answered[what]++
		}
		p.mu.Unlock()
		switch what {
		case "":
			rp.ServeHTTP(w, r)
		case "throttle":
			awsError(w, c.service, http.StatusServiceUnavailable, "throttle")
		case "deny":
			awsError(w, c.service, http.StatusForbidden, "deny")
		case "optin":
			awsError(w, c.service, http.StatusUnauthorized, "optin")
		case "regions":
			// Two enabled regions, in EC2's format.
			w.Header().Set("Content-Type", "text/xml")
			fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><DescribeRegionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r-1</requestId><regionInfo>`+
				`<item><regionName>eu-west-1</regionName><regionEndpoint>ec2.eu-west-1.amazonaws.com</regionEndpoint><optInStatus>opt-in-not-required</optInStatus></item>`+
				`<item><regionName>us-east-1</regionName><regionEndpoint>ec2.us-east-1.amazonaws.com</regionEndpoint><optInStatus>opt-in-not-required</optInStatus></item>`+
				`</regionInfo></DescribeRegionsResponse>`)
		case "block":
			<-r.Context().Done()
		default:
			t.Errorf("proxy: unknown answer %q", what)
		}
	}))
	t.Cleanup(p.Close)
	return p
}

func (p *proxy) count(key string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.seen[key]
}

func (p *proxy) answeredWith(what string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.answered[what]
}

// awsError answers an error in the protocol of the service: EC2's XML,
// the query protocol's XML (ELB, Auto Scaling, RDS, STS), or JSON (ECS,
// Organizations).
func awsError(w http.ResponseWriter, service string, status int, what string) {
	codes := map[string][3]string{ // ec2, query, json
		"throttle": {"RequestLimitExceeded", "Throttling", "ThrottlingException"},
		"deny":     {"UnauthorizedOperation", "AccessDenied", "AccessDeniedException"},
		"optin":    {"OptInRequired", "OptInRequired", "OptInRequired"},
	}[what]
	msg := "Rate exceeded"
	if what == "deny" {
		msg = "User: arn:aws:iam::123456789012:user/test is not authorized to perform this operation"
	}
	switch service {
	case "ec2":
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(status)
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>%s</Code><Message>%s</Message></Error></Errors><RequestID>r-1</RequestID></Response>`, codes[0], msg)
	case "ecs", "organizations":
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.Header().Set("X-Amzn-ErrorType", codes[2])
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"__type":%q,"message":%q}`, codes[2], msg)
	default:
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(status)
		fmt.Fprintf(w, `<ErrorResponse><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`, codes[1], msg)
	}
}
