package describe

import (
	clbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"

	"github.com/vpcgate/vpcgate/analyzer/aws"
	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// decodeClassicLB reads a classic load balancer (elb
// describe-load-balancers): its listeners become nodes of their own, as
// the other forms give them (aws.ClassicListener). A classic load balancer
// has no ARN in the output: its id is the ARN AWS gives it when the
// account and region are known (from the dump's folders or the options),
// else its name; the name is an alias either way, and is what Auto Scaling
// groups refer to (LoadBalancerNames).
func decodeClassicLB(c *chunk, el elem) {
	var v clbtypes.LoadBalancerDescription
	if !decodeInto(c, el, &v) {
		return
	}
	name := str(v.LoadBalancerName)
	if name == "" {
		return // said once for the file (idKeys)
	}
	id := name
	if c.f.account != "" && c.f.region != "" {
		id = "arn:aws:elasticloadbalancing:" + c.f.region + ":" + c.f.account + ":loadbalancer/" + name
	}
	n := &graph.LoadBalancer{
		Base:              c.base(graph.KindLoadBalancer, id, el, nil, name),
		LBName:            name,
		Type:              aws.LBClassic,
		Scheme:            str(v.Scheme),
		VPCID:             str(v.VPCId),
		SubnetIDs:         v.Subnets,
		AvailabilityZones: v.AvailabilityZones,
		SecurityGroups:    v.SecurityGroups,
		DNSName:           str(v.DNSName),
		State:             "active",
	}
	if id != name {
		n.Aliases = append(n.Aliases, name)
	}
	if v.HealthCheck != nil {
		n.HealthCheckTarget = str(v.HealthCheck.Target)
	}
	for _, in := range v.Instances {
		if i := str(in.InstanceId); i != "" {
			n.Instances = append(n.Instances, i)
		}
	}
	c.attr(&n.Base, el, "Scheme", "scheme")
	aws.LoadBalancerDefaults(n)
	c.add(n)
	les := c.sub(el, "ListenerDescriptions")
	for i, ld := range v.ListenerDescriptions {
		l := ld.Listener
		if l == nil {
			continue
		}
		src := c.source(el)
		if i < len(les) {
			src = c.source(les[i])
		}
		port := 0
		if l.InstancePort != nil {
			port = int(*l.InstancePort)
		}
		c.add(aws.ClassicListener(n, src, int(l.LoadBalancerPort), str(l.Protocol), port, str(l.SSLCertificateId)))
	}
}
