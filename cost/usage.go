package cost

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/vpcgate/vpcgate/internal/docpos"
	"io"
	"sort"

	"github.com/shopspring/decimal"
	"gopkg.in/yaml.v3"
)

// MaxUsageSize bounds a usage file.
const MaxUsageSize = 4 << 20

// maxQuantity bounds a usage quantity: beyond it a value is absurd, and
// arithmetic on it (1e1000000) would take time and memory.
var maxQuantity = decimal.New(1, 12)

// excerpt cuts a value quoted in a message to 40 bytes.
func excerpt(s string) string {
	if len(s) <= 40 {
		return s
	}
	return s[:40] + "…"
}

// Quantity is a non-negative decimal read from YAML (a number or a
// string).
type Quantity struct{ decimal.Decimal }

// UnmarshalYAML implements yaml.Unmarshaler.
func (q *Quantity) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: want a number", n.Line)
	}
	d, err := decimal.NewFromString(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %q is not a number", n.Line, n.Value)
	}
	if d.IsNegative() {
		return fmt.Errorf("line %d: %s is negative", n.Line, n.Value)
	}
	if d.GreaterThan(maxQuantity) {
		return fmt.Errorf("line %d: %s is beyond any real usage (at most %s)", n.Line, excerpt(n.Value), maxQuantity)
	}
	q.Decimal = d
	return nil
}

// ResourceUsage is what a usage file says about one resource. Every field
// is optional; an absent one leaves its component "depends on usage".
type ResourceUsage struct {
	// GBProcessed is the data a NAT gateway (or classic load balancer)
	// processes in a month, in GB.
	GBProcessed *Quantity `yaml:"gb_processed"`
	// InternetEgressGB is the data sent to the internet in a month, in GB.
	InternetEgressGB *Quantity `yaml:"internet_egress_gb"`
	// NATGB is the data a subnet sends through its NAT gateway in a month,
	// in GB; it is charged as cross-AZ transfer when the NAT sits in
	// another availability zone, and adds to the NAT's data processed.
	NATGB *Quantity `yaml:"nat_gb"`
	// LCU is the average number of load balancer capacity units an hour.
	LCU *Quantity `yaml:"lcu"`
	// LCU drivers of a load balancer; the largest decides the LCUs.
	NewConnectionsPerSecond  *Quantity `yaml:"new_connections_per_second"`
	ActiveConnections        *Quantity `yaml:"active_connections"`
	ProcessedGBPerHour       *Quantity `yaml:"processed_gb_per_hour"`
	RuleEvaluationsPerSecond *Quantity `yaml:"rule_evaluations_per_second"`
	// StorageGB and StorageType give EBS storage per instance (instances,
	// Auto Scaling groups) when the input does not say.
	StorageGB   *Quantity `yaml:"storage_gb"`
	StorageType string    `yaml:"storage_type"`
	// MonthlyHours is how many hours a month the resource runs (730 when
	// not given): every hourly component is scaled to it.
	MonthlyHours *Quantity `yaml:"monthly_hours"`
	// Discount is a reserved instance or savings plan discount on the
	// resource's compute (EC2, RDS and Aurora instances, Fargate).
	Discount *Discount `yaml:"discount"`
	// OS is the operating system of instances (linux, windows, rhel,
	// suse); linux when not given.
	OS string `yaml:"os"`
	// IORequestsMillions is an Aurora cluster's I/O a month, in millions
	// of requests.
	IORequestsMillions *Quantity `yaml:"io_requests_millions"`
	// SpotPrice is the hourly price paid for the Spot share of a
	// mixed-instances group (Spot prices are not in the catalog).
	SpotPrice *Quantity `yaml:"spot_price"`
	// Line is the 1-based line of the entry in the usage file.
	Line int `yaml:"-"`
}

// Discount is a reserved instance or savings plan discount.
type Discount struct {
	// Type is "reserved" or "savings_plan".
	Type string `yaml:"type"`
	// Percent off the on-demand price, 0 to 100.
	Percent Quantity `yaml:"percent"`
}

// UnmarshalYAML checks the type and the percentage.
func (d *Discount) UnmarshalYAML(n *yaml.Node) error {
	type plain Discount
	var p plain
	if err := n.Decode(&p); err != nil {
		return err
	}
	switch p.Type {
	case "reserved", "savings_plan":
	default:
		return fmt.Errorf("line %d: discount type %q: want reserved or savings_plan", n.Line, p.Type)
	}
	if p.Percent.GreaterThan(decimal.NewFromInt(100)) {
		return fmt.Errorf("line %d: discount of %s%% is more than 100%%", n.Line, p.Percent)
	}
	*d = Discount(p)
	return nil
}

// Usage is a usage file: what configuration cannot know.
//
//	version: "1"
//	defaults:            # by node kind, for resources not listed below
//	  nat_gateway: {gb_processed: 100}
//	  load_balancer: {lcu: 1}
//	resources:           # by node id, ARN, name or Name tag
//	  nat-0a1b2c: {gb_processed: 250, internet_egress_gb: 200}
//	  web-alb: {new_connections_per_second: 20, active_connections: 1500, processed_gb_per_hour: 0.2, rule_evaluations_per_second: 40}
//	  subnet-0d4e5f: {nat_gb: 80}
//	  web-asg: {storage_gb: 20, storage_type: gp3, discount: {type: savings_plan, percent: 28}}
//	  batch-1: {monthly_hours: 200, os: windows}
//	  aurora-main: {storage_gb: 500, io_requests_millions: 300}
type Usage struct {
	Version   string                   `yaml:"version"`
	Defaults  map[string]ResourceUsage `yaml:"defaults"`
	Resources map[string]ResourceUsage `yaml:"resources"`
	// Name is the file the usage was read from.
	Name string `yaml:"-"`
}

// ParseUsage reads a usage file; name is used in errors.
func ParseUsage(r io.Reader, name string) (*Usage, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxUsageSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(data) > MaxUsageSize {
		return nil, fmt.Errorf("%s: usage file larger than %d bytes", name, MaxUsageSize)
	}
	if err := docpos.CheckText(name, data); err != nil {
		return nil, err
	}
	u := &Usage{Name: name}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(u); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if u.Version != "" && u.Version != "1" {
		return nil, fmt.Errorf("%s: unsupported version %q (want \"1\")", name, u.Version)
	}
	// Lines of resource entries, for errors about unknown resources.
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err == nil && len(root.Content) == 1 {
		m := root.Content[0]
		for i := 0; i+1 < len(m.Content); i += 2 {
			if m.Content[i].Value != "resources" {
				continue
			}
			rs := m.Content[i+1]
			for j := 0; j+1 < len(rs.Content); j += 2 {
				k := rs.Content[j].Value
				if ru, ok := u.Resources[k]; ok {
					ru.Line = rs.Content[j].Line
					u.Resources[k] = ru
				}
			}
		}
	}
	return u, nil
}

// keys returns the resource keys sorted.
func (u *Usage) keys() []string {
	out := make([]string, 0, len(u.Resources))
	for k := range u.Resources {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
