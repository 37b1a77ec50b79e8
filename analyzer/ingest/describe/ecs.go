package describe

import (
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

func decodeECSService(c *chunk, el elem) {
	var v ecstypes.Service
	if !decodeInto(c, el, &v) {
		return
	}
	name := str(v.ServiceName)
	id := str(v.ServiceArn)
	if id == "" {
		id = name
	}
	tags := tagMap(v.Tags, func(t ecstypes.Tag) (*string, *string) { return t.Key, t.Value })
	n := &graph.ECSService{
		Base:         c.base(graph.KindECSService, id, el, tags, name),
		Cluster:      str(v.ClusterArn),
		LaunchType:   string(v.LaunchType),
		DesiredCount: int(v.DesiredCount),
	}
	if name != "" && name != id {
		n.Aliases = append(n.Aliases, name)
	}
	if nc := v.NetworkConfiguration; nc != nil && nc.AwsvpcConfiguration != nil {
		a := nc.AwsvpcConfiguration
		n.SubnetIDs = a.Subnets
		n.SecurityGroups = a.SecurityGroups
		n.AssignPublicIP = a.AssignPublicIp == ecstypes.AssignPublicIpEnabled
	}
	for _, lb := range v.LoadBalancers {
		n.LoadBalancers = append(n.LoadBalancers, graph.ECSLoadBalancer{
			TargetGroupARN:   str(lb.TargetGroupArn),
			LoadBalancerName: str(lb.LoadBalancerName),
			ContainerName:    str(lb.ContainerName),
			ContainerPort:    intv(lb.ContainerPort),
		})
	}
	c.add(n)
}
