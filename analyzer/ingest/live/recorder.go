package live

import (
	"context"
	"sort"
	"strings"
	"sync"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/middleware"
)

// Recorder records the IAM action of every operation called (once per
// call, retries not counted): Config.APIOptions = []…{rec.Register}. The
// least-privilege test compares its actions with
// examples/iam/vpcgate-readonly.json.
type Recorder struct {
	mu      sync.Mutex
	actions map[string]bool
}

// Register adds the recorder to an operation's middleware stack.
func (r *Recorder) Register(stack *middleware.Stack) error {
	return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("vpcgateRecordOperation",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			action := IAMAction(awsmiddleware.GetServiceID(ctx), awsmiddleware.GetOperationName(ctx))
			r.mu.Lock()
			if r.actions == nil {
				r.actions = map[string]bool{}
			}
			r.actions[action] = true
			r.mu.Unlock()
			return next.HandleInitialize(ctx, in)
		}), middleware.After)
}

// Actions returns the actions recorded, sorted.
func (r *Recorder) Actions() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, 0, len(r.actions))
	for a := range r.actions {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}

// IAMAction returns the IAM action of an operation of the SDK service id
// ("EC2", "Elastic Load Balancing v2") : "ec2:DescribeVpcs".
func IAMAction(serviceID, operation string) string {
	prefix := strings.ToLower(strings.ReplaceAll(serviceID, " ", ""))
	switch serviceID {
	case "Elastic Load Balancing", "Elastic Load Balancing v2":
		prefix = "elasticloadbalancing"
	case "Auto Scaling":
		prefix = "autoscaling"
	}
	return prefix + ":" + operation
}
