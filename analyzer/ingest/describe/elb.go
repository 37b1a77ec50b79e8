package describe

import (
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

func decodeLoadBalancer(c *chunk, el elem) {
	var v elbtypes.LoadBalancer
	if !decodeInto(c, el, &v) {
		return
	}
	name := str(v.LoadBalancerName)
	n := &graph.LoadBalancer{
		Base:           c.base(graph.KindLoadBalancer, str(v.LoadBalancerArn), el, nil, name),
		LBName:         name,
		Type:           string(v.Type),
		Scheme:         string(v.Scheme),
		VPCID:          str(v.VpcId),
		SecurityGroups: v.SecurityGroups,
		DNSName:        str(v.DNSName),
		IPAddressType:  string(v.IpAddressType),
	}
	if name != "" {
		n.Aliases = append(n.Aliases, name)
	}
	if v.State != nil {
		n.State = string(v.State.Code)
	}
	for _, az := range v.AvailabilityZones {
		if id := str(az.SubnetId); id != "" {
			n.SubnetIDs = append(n.SubnetIDs, id)
		}
		if z := str(az.ZoneName); z != "" {
			n.AvailabilityZones = append(n.AvailabilityZones, z)
		}
		for _, ad := range az.LoadBalancerAddresses {
			if alloc := str(ad.AllocationId); alloc != "" {
				c.out.lbEIPs = append(c.out.lbEIPs, lbEIP{lb: n.ID, alloc: alloc})
			}
		}
	}
	c.attr(&n.Base, el, "Scheme", "scheme")
	c.add(n)
}

func decodeListener(c *chunk, el elem) {
	var v elbtypes.Listener
	if !decodeInto(c, el, &v) {
		return
	}
	n := &graph.Listener{
		Base:            c.base(graph.KindListener, str(v.ListenerArn), el, nil, ""),
		LoadBalancerARN: str(v.LoadBalancerArn),
		Port:            intv(v.Port),
		Protocol:        string(v.Protocol),
		SSLPolicy:       str(v.SslPolicy),
	}
	for _, cert := range v.Certificates {
		if arn := str(cert.CertificateArn); arn != "" {
			n.Certificates = append(n.Certificates, arn)
		}
	}
	for _, a := range v.DefaultActions {
		n.DefaultActions = append(n.DefaultActions, listenerAction(a))
	}
	c.add(n)
}

// listenerAction converts a listener action.
func listenerAction(a elbtypes.Action) graph.ListenerAction {
	out := graph.ListenerAction{Type: string(a.Type)}
	if arn := str(a.TargetGroupArn); arn != "" {
		out.TargetGroupARNs = append(out.TargetGroupARNs, arn)
	}
	if a.ForwardConfig != nil {
		for _, tg := range a.ForwardConfig.TargetGroups {
			if arn := str(tg.TargetGroupArn); arn != "" && !contains(out.TargetGroupARNs, arn) {
				out.TargetGroupARNs = append(out.TargetGroupARNs, arn)
			}
		}
	}
	if r := a.RedirectConfig; r != nil {
		out.RedirectProtocol = str(r.Protocol)
		out.RedirectPort = str(r.Port)
		out.StatusCode = string(r.StatusCode)
	}
	if f := a.FixedResponseConfig; f != nil {
		out.StatusCode = str(f.StatusCode)
	}
	return out
}

func decodeTargetGroup(c *chunk, el elem) {
	var v elbtypes.TargetGroup
	if !decodeInto(c, el, &v) {
		return
	}
	name := str(v.TargetGroupName)
	n := &graph.TargetGroup{
		Base:             c.base(graph.KindTargetGroup, str(v.TargetGroupArn), el, nil, name),
		TargetGroupName:  name,
		Protocol:         string(v.Protocol),
		Port:             intv(v.Port),
		TargetType:       string(v.TargetType),
		VPCID:            str(v.VpcId),
		LoadBalancerARNs: v.LoadBalancerArns,
		HealthCheckPath:  str(v.HealthCheckPath),
		HealthCheckPort:  str(v.HealthCheckPort),
	}
	if name != "" {
		n.Aliases = append(n.Aliases, name)
	}
	c.add(n)
}

func decodeTargetHealth(c *chunk, el elem) {
	var v elbtypes.TargetHealthDescription
	if !decodeInto(c, el, &v) {
		return
	}
	if v.Target == nil || str(v.Target.Id) == "" {
		return
	}
	t := graph.Target{ID: *v.Target.Id, Port: intv(v.Target.Port), AvailabilityZone: str(v.Target.AvailabilityZone)}
	if v.TargetHealth != nil {
		t.Health = string(v.TargetHealth.State)
	}
	c.out.health = append(c.out.health, healthIn{tgARN: c.f.tgARN, target: t, src: c.source(el)})
}
