package graph

// LoadBalancer is an application, network, gateway or classic load
// balancer. Its id is its ARN (a classic one: its name).
type LoadBalancer struct {
	Base
	LBName string `json:"lb_name"`
	// Type is "application", "network", "gateway" or "classic".
	Type string `json:"type"`
	// Scheme is "internet-facing" or "internal".
	Scheme            string   `json:"scheme"`
	VPCID             string   `json:"vpc_id"`
	SubnetIDs         []string `json:"subnet_ids"`
	AvailabilityZones []string `json:"availability_zones,omitempty"`
	SecurityGroups    []string `json:"security_groups,omitempty"`
	State             string   `json:"state,omitempty"` // active, provisioning, failed
	DNSName           string   `json:"dns_name,omitempty"`
	IPAddressType     string   `json:"ip_address_type,omitempty"` // ipv4, dualstack
	// Instances are the registered instances of a classic load balancer.
	Instances []string `json:"instances,omitempty"`
	// HealthCheckTarget is a classic load balancer's health check:
	// PROTOCOL:PORT[/PATH] ("HTTP:80/health", "TCP:22").
	HealthCheckTarget string `json:"health_check_target,omitempty"`
}

// InternetFacing reports whether the scheme is internet-facing.
func (l *LoadBalancer) InternetFacing() bool { return l.Scheme == "internet-facing" }

// Refs implements Node.
func (l *LoadBalancer) Refs() []Ref {
	var r refs
	r.add(EdgeInSubnet, l.SubnetIDs...)
	r.add(EdgeUsesSG, l.SecurityGroups...)
	r.add(EdgeTargets, l.Instances...)
	return r
}

// ListenerAction is a listener's default action (or a rule's action).
type ListenerAction struct {
	// Type is forward, redirect, fixed-response, authenticate-oidc…
	Type            string   `json:"type"`
	TargetGroupARNs []string `json:"target_group_arns,omitempty"`
	// RedirectProtocol and RedirectPort for a redirect ("HTTPS", "443";
	// "#{protocol}" and "#{port}" keep the original).
	RedirectProtocol string `json:"redirect_protocol,omitempty"`
	RedirectPort     string `json:"redirect_port,omitempty"`
	StatusCode       string `json:"status_code,omitempty"`
}

// Listener is a load balancer listener. Its id is its ARN.
type Listener struct {
	Base
	LoadBalancerARN string           `json:"load_balancer_arn"`
	Port            int              `json:"port"`
	Protocol        string           `json:"protocol"`                // HTTP, HTTPS, TCP, TLS, UDP, TCP_UDP
	InstancePort    int              `json:"instance_port,omitempty"` // classic load balancers
	Certificates    []string         `json:"certificates,omitempty"`
	SSLPolicy       string           `json:"ssl_policy,omitempty"`
	DefaultActions  []ListenerAction `json:"default_actions"`
}

// TargetGroupARNs returns every target group the listener forwards to.
func (l *Listener) TargetGroupARNs() []string {
	var out []string
	for _, a := range l.DefaultActions {
		out = append(out, a.TargetGroupARNs...)
	}
	return out
}

// Refs implements Node.
func (l *Listener) Refs() []Ref {
	var r refs
	r.add(EdgeListenerOf, l.LoadBalancerARN)
	r.add(EdgeForwardsTo, l.TargetGroupARNs()...)
	return r
}

// Target is a registered target of a target group.
type Target struct {
	ID               string `json:"id"` // instance id, IP address, Lambda ARN or ALB ARN
	Port             int    `json:"port,omitempty"`
	AvailabilityZone string `json:"availability_zone,omitempty"`
	Health           string `json:"health,omitempty"` // healthy, unhealthy, unused…
}

// TargetGroup is an ELBv2 target group. Its id is its ARN.
type TargetGroup struct {
	Base
	TargetGroupName  string   `json:"target_group_name"`
	Protocol         string   `json:"protocol,omitempty"`
	Port             int      `json:"port,omitempty"`
	TargetType       string   `json:"target_type,omitempty"` // instance, ip, lambda, alb
	VPCID            string   `json:"vpc_id,omitempty"`
	LoadBalancerARNs []string `json:"load_balancer_arns,omitempty"`
	HealthCheckPath  string   `json:"health_check_path,omitempty"`
	HealthCheckPort  string   `json:"health_check_port,omitempty"`
	Targets          []Target `json:"targets,omitempty"`
}

// Refs implements Node.
func (t *TargetGroup) Refs() []Ref {
	var r refs
	for _, tg := range t.Targets {
		r.add(EdgeTargets, tg.ID)
	}
	return r
}
