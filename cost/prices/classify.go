package prices

import (
	"strings"

	"github.com/shopspring/decimal"
)

// product is one SKU of an AWS Price List offer, from any of its forms
// (bulk JSON, bulk CSV, the Pricing API). Attribute names are normalized:
// lower case, letters and digits only ("Instance Type" and "instanceType"
// both become "instancetype").
type product struct {
	sku    string
	family string
	attrs  map[string]string
}

// dimension is one on-demand price dimension of a SKU.
type dimension struct {
	unit       string
	price      decimal.Decimal
	beginRange decimal.Decimal
}

// normAttr normalizes an attribute or column name.
func normAttr(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// regionOfLocation maps a Price List location name to its region code, for
// offer files that predate the regionCode attribute.
func regionOfLocation(name string) string {
	switch name {
	case "US East (N. Virginia)":
		return "us-east-1"
	case "US East (Ohio)":
		return "us-east-2"
	case "US West (N. California)":
		return "us-west-1"
	case "US West (Oregon)":
		return "us-west-2"
	case "EU (Ireland)", "Europe (Ireland)":
		return "eu-west-1"
	case "EU (London)", "Europe (London)":
		return "eu-west-2"
	case "EU (Paris)", "Europe (Paris)":
		return "eu-west-3"
	case "EU (Frankfurt)", "Europe (Frankfurt)":
		return "eu-central-1"
	case "EU (Stockholm)", "Europe (Stockholm)":
		return "eu-north-1"
	case "Asia Pacific (Mumbai)":
		return "ap-south-1"
	case "Asia Pacific (Singapore)":
		return "ap-southeast-1"
	case "Asia Pacific (Sydney)":
		return "ap-southeast-2"
	case "Asia Pacific (Tokyo)":
		return "ap-northeast-1"
	case "Canada (Central)":
		return "ca-central-1"
	case "South America (Sao Paulo)":
		return "sa-east-1"
	case "Asia Pacific (Seoul)":
		return "ap-northeast-2"
	case "Asia Pacific (Hong Kong)":
		return "ap-east-1"
	case "Asia Pacific (Osaka)":
		return "ap-northeast-3"
	case "Asia Pacific (Jakarta)":
		return "ap-southeast-3"
	case "Asia Pacific (Hyderabad)":
		return "ap-south-2"
	case "Middle East (Bahrain)":
		return "me-south-1"
	case "Africa (Cape Town)":
		return "af-south-1"
	case "EU (Milan)", "Europe (Milan)":
		return "eu-south-1"
	case "AWS GovCloud (US-West)":
		return "us-gov-west-1"
	case "AWS GovCloud (US-East)":
		return "us-gov-east-1"
	case "Asia Pacific (Melbourne)":
		return "ap-southeast-4"
	case "Israel (Tel Aviv)":
		return "il-central-1"
	case "Canada West (Calgary)":
		return "ca-west-1"
	case "Middle East (UAE)":
		return "me-central-1"
	case "Europe (Spain)":
		return "eu-south-2"
	case "Europe (Zurich)":
		return "eu-central-2"
	case "Asia Pacific (Malaysia)":
		return "ap-southeast-5"
	case "Asia Pacific (Thailand)":
		return "ap-southeast-7"
	case "Mexico (Central)":
		return "mx-central-1"
	case "Asia Pacific (Taipei)":
		return "ap-east-2"
	case "Asia Pacific (New Zealand)":
		return "ap-southeast-6"
	}
	return ""
}

func (p *product) region() string {
	if r := p.attrs["regioncode"]; r != "" {
		return r
	}
	return regionOfLocation(p.attrs["location"])
}

// classify returns the catalog key and unit of a product, or "" when the
// catalog has no use for it.
func classify(p *product) (region, key, unit string) {
	a := p.attrs
	usage := a["usagetype"]
	service := a["servicecode"]
	family := p.family
	if family == "" {
		family = a["productfamily"]
	}
	region = p.region()
	switch {
	case family == "Compute Instance" && (service == "" || service == "AmazonEC2"):
		os := map[string]string{"Linux": OSLinux, "Windows": OSWindows, "RHEL": OSRHEL, "SUSE": OSSUSE}[a["operatingsystem"]]
		tenancy := map[string]string{"Shared": TenancyDefault, "Dedicated": TenancyDedicated}[a["tenancy"]]
		if os == "" || (a["tenancy"] != "Shared" && a["tenancy"] != "Dedicated") || a["preinstalledsw"] != "NA" ||
			(a["capacitystatus"] != "" && a["capacitystatus"] != "Used") ||
			(a["licensemodel"] != "" && a["licensemodel"] != "No License required" && a["licensemodel"] != "License Included") ||
			(os == OSLinux && a["operation"] != "" && a["operation"] != "RunInstances") || a["instancetype"] == "" {
			return "", "", ""
		}
		return region, EC2OSKey(a["instancetype"], os, tenancy), "hour"
	case family == "NAT Gateway":
		switch {
		case strings.HasSuffix(usage, "NatGateway-Hours"):
			return region, KeyNATHour, "hour"
		case strings.HasSuffix(usage, "NatGateway-Bytes"):
			return region, KeyNATGB, "GB"
		}
	case strings.Contains(usage, "PublicIPv4:InUseAddress"):
		return region, KeyIPv4Hour, "hour"
	case family == "Load Balancer-Application":
		switch {
		case strings.HasSuffix(usage, "LoadBalancerUsage"):
			return region, KeyALBHour, "hour"
		case strings.HasSuffix(usage, "LCUUsage"):
			return region, KeyALBLCUHour, "LCU-hour"
		}
	case family == "Load Balancer-Network":
		switch {
		case strings.HasSuffix(usage, "LoadBalancerUsage"):
			return region, KeyNLBHour, "hour"
		case strings.HasSuffix(usage, "LCUUsage"):
			return region, KeyNLBLCUHour, "NLCU-hour"
		}
	case family == "Load Balancer":
		switch {
		case strings.HasSuffix(usage, "LoadBalancerUsage"):
			return region, KeyELBHour, "hour"
		case strings.HasSuffix(usage, "DataProcessing-Bytes"):
			return region, KeyELBGB, "GB"
		}
	case family == "Database Instance":
		engine := map[string]string{"MySQL": "mysql", "PostgreSQL": "postgres"}[a["databaseengine"]]
		az := map[string]bool{"Single-AZ": false, "Multi-AZ": true}
		multi, okAZ := az[a["deploymentoption"]]
		if engine == "" || !okAZ || a["instancetype"] == "" {
			return "", "", ""
		}
		return region, RDSKey(engine, a["instancetype"], multi), "hour"
	case family == "Database Storage":
		for _, t := range []string{"GP2", "GP3"} {
			switch {
			case strings.HasSuffix(usage, "RDS:"+t+"-Storage"):
				return region, RDSStorageKey(strings.ToLower(t), false), "GB-month"
			case strings.HasSuffix(usage, "RDS:Multi-AZ-"+t+"-Storage"):
				return region, RDSStorageKey(strings.ToLower(t), true), "GB-month"
			}
		}
	case family == "Storage" && (service == "" || service == "AmazonEC2"):
		switch a["volumeapiname"] {
		case "gp2", "gp3", "io1", "io2", "st1", "sc1", "standard":
			return region, EBSKey(a["volumeapiname"]), "GB-month"
		}
	case family == "Data Transfer":
		from := a["fromregioncode"]
		if from == "" {
			from = regionOfLocation(a["fromlocation"])
		}
		switch {
		case a["transfertype"] == "AWS Outbound" && a["tolocation"] == "External":
			return from, KeyTransferInternet, "GB"
		case a["transfertype"] == "IntraRegion":
			return from, KeyTransferInterAZ, "GB"
		}
	case strings.Contains(usage, "Fargate-vCPU-Hours:perCPU"):
		return region, KeyFargateVCPUHour, "vCPU-hour"
	case strings.Contains(usage, "Fargate-GB-Hours"):
		return region, KeyFargateGBHour, "GB-hour"
	}
	return "", "", ""
}

// pick chooses the price of a tiered SKU: the first tier (lowest begin
// range) with a non-zero price, so free allowances do not read as free.
func pick(dims []dimension) (dimension, bool) {
	var best dimension
	found := false
	for _, d := range dims {
		if d.price.IsZero() {
			continue
		}
		if !found || d.beginRange.LessThan(best.beginRange) {
			best, found = d, true
		}
	}
	return best, found
}
