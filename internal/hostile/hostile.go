// Package hostile generates the hostile inputs of the hardening tests
// (issue 13) in memory, so that no big file is committed, and measures what
// reading them costs.
package hostile

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// GoodTF is examples/terraform/basic/main.tf, the good file put beside
// every hostile one.
func GoodTF(t testing.TB) []byte {
	t.Helper()
	_, here, _, _ := runtime.Caller(0)
	b, err := os.ReadFile(filepath.Join(filepath.Dir(here), "..", "..", "examples", "terraform", "basic", "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// DeepList is an HCL attribute whose value is a list nested n deep.
func DeepList(name string, n int) string {
	return name + " = " + strings.Repeat("[", n) + strings.Repeat("]", n) + "\n"
}

// ManyCounts is n aws_security_group blocks with count = c each.
func ManyCounts(n, c int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "resource \"aws_security_group\" \"s%d\" {\n  count = %d\n  name  = \"s%d-${count.index}\"\n}\n", i, c, i)
	}
	return b.String()
}

// EmptyInstances is describe-instances output with n instances that have
// no InstanceId (empty objects).
func EmptyInstances(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"Reservations": [{"Instances": [`)
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("{}")
	}
	b.WriteString("]}]}\n")
	return []byte(b.String())
}

// Write writes name under dir.
func Write(t testing.TB, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// Cost measures fn: the memory the Go runtime obtained from the system
// while it ran, its allocations, and the peak of its heap (objects live
// or not yet collected) sampled every millisecond with runtime/metrics.
type Cost struct {
	SysBytes   uint64
	AllocBytes uint64
	PeakHeap   uint64
}

// Measure runs fn and returns its cost, after a GC so that earlier tests'
// garbage does not count.
func Measure(fn func()) Cost {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak atomic.Uint64
	read := func() {
		metrics.Read(sample)
		if v := sample[0].Value.Uint64(); v > peak.Load() {
			peak.Store(v)
		}
	}
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				read()
			}
		}
	}()
	fn()
	close(stop)
	<-done
	read()
	runtime.ReadMemStats(&after)
	return Cost{SysBytes: after.Sys - min(before.Sys, after.Sys), AllocBytes: after.TotalAlloc - before.TotalAlloc, PeakHeap: peak.Load()}
}

// GiB is the memory bound of every hostile input.
const GiB = 1 << 30

// Check fails t when c is over the memory bound.
func (c Cost) Check(t testing.TB) {
	t.Helper()
	t.Logf("peak heap %d MiB, memory obtained %d MiB, allocated %d MiB", c.PeakHeap>>20, c.SysBytes>>20, c.AllocBytes>>20)
	if c.SysBytes >= GiB {
		t.Errorf("obtained %d MiB from the system, over 1 GiB", c.SysBytes>>20)
	}
	if c.PeakHeap >= GiB {
		t.Errorf("peak heap %d MiB, over 1 GiB", c.PeakHeap>>20)
	}
}

// ManyRules is describe-security-groups output with one group whose
// ingress admits port 22 from n distinct /24 ranges.
func ManyRules(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"SecurityGroups": [{"GroupId": "sg-1", "GroupName": "g", "VpcId": "vpc-1", "IpPermissionsEgress": [], "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [`)
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"CidrIp": "10.%d.%d.0/24"}`, i/256%256, i%256)
	}
	b.WriteString("]}]}]}\n")
	return []byte(b.String())
}
