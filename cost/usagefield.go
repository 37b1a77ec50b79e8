package cost

import "strings"

// Settle names the entry of a usage file that gives a component's missing
// quantity: Key is the resource to list under `resources:` (the resource
// itself, or for cross-AZ transfer the subnet that sends the data), Field
// the field to give it, Unit what the field counts.
type Settle struct {
	Key   string
	Field string
	Unit  string
}

// SettledBy returns the usage file entry that would price a component
// that depends on usage, and false for a component whose quantity the
// usage file cannot give. resourceID is the id of the resource the
// component belongs to.
func SettledBy(resourceID string, c Component) (Settle, bool) {
	switch c.Name {
	case CompNATData:
		return Settle{resourceID, "gb_processed", "GB a month"}, true
	case CompCrossAZ:
		// The detail starts with the subnet routed to the NAT in another
		// zone: "subnet-1 us-east-1b → us-east-1a (each direction)".
		subnet, _, _ := strings.Cut(c.Detail, " ")
		if subnet == "" {
			return Settle{}, false
		}
		return Settle{subnet, "nat_gb", "GB a month the subnet sends through its NAT gateway"}, true
	case CompLCU:
		return Settle{resourceID, "lcu", "average load balancer capacity units (or the LCU drivers: new_connections_per_second, active_connections, processed_gb_per_hour, rule_evaluations_per_second)"}, true
	case CompELBData, CompEndpointData, CompTGWData:
		return Settle{resourceID, "gb_processed", "GB a month"}, true
	case CompEBS:
		return Settle{resourceID, "storage_gb", "GB of the root volume of each instance"}, true
	case CompAuroraStorage:
		return Settle{resourceID, "storage_gb", "GB stored"}, true
	case CompAuroraIO:
		return Settle{resourceID, "io_requests_millions", "millions of I/O requests a month"}, true
	case CompSpot:
		return Settle{resourceID, "spot_price", "price paid for a Spot instance hour"}, true
	case CompInternetEgress:
		return Settle{resourceID, "internet_egress_gb", "GB a month sent to the internet"}, true
	}
	return Settle{}, false
}
