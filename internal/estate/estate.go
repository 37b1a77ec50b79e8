// Package estate generates synthetic AWS estates as describe dumps: the JSON the AWS CLI prints
// for ec2, elbv2, autoscaling and rds describe commands, in the CloudMapper-like file layout the
// describe ingester reads (<service>-<command>.json, large commands split into numbered files).
//
// An estate of N instances holds one VPC per 2,000 instances (at least one), each with public,
// private and data subnets over three Availability Zones, an internet gateway, NAT gateways with
// Elastic IPs, route tables (main, public, one private table per AZ), network ACLs, and services:
// an Application Load Balancer with listeners and a target group, an Auto Scaling group with its
// launch template and target-tracking policy, and an RDS instance, tied together by security
// groups that reference each other (ALB ← internet, app ← ALB and bastion, DB ← app). A few
// deliberate mistakes (SSH or MySQL open to 0.0.0.0/0, a wide-open legacy group, a publicly
// accessible database, stopped instances) give the analyzer something to find.
//
// Output is a pure function of Options: the same seed gives byte-identical files.
package estate

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Default values of Options fields left zero.
const (
	DefaultItemsPerFile = 5000
	DefaultRegion       = "us-east-1"
	DefaultAccount      = "123456789012"
)

// InstancesPerVPC is how many instances the generator places in one VPC (the last VPCs may hold
// one fewer when the count does not divide evenly).
const InstancesPerVPC = 2000

// Options configures a generated estate.
type Options struct {
	// Instances is the number of EC2 instances, at least 1.
	Instances int
	// Seed selects the estate; the same seed and options give byte-identical output.
	Seed int64
	// ItemsPerFile caps the items of one command per file (instances, network interfaces,
	// security groups…); larger commands are split into <service>-<command>-NNN.json.
	// Zero means DefaultItemsPerFile.
	ItemsPerFile int
	// Region is the AWS region of every resource; empty means DefaultRegion.
	Region string
	// Account is the 12-digit owner account id; empty means DefaultAccount.
	Account string
}

// Stats counts what an estate holds and what was written.
type Stats struct {
	Files int   // files written
	Bytes int64 // bytes written over all files

	// Resources of each kind in the estate (Addresses are Elastic IPs; SecurityGroupRules counts
	// ingress and egress rules as describe-security-group-rules lists them; NetworkInterfaces
	// includes those of NAT gateways, load balancers and databases).
	VPCs               int
	Subnets            int
	RouteTables        int
	InternetGateways   int
	NATGateways        int
	Addresses          int
	NetworkACLs        int
	SecurityGroups     int
	SecurityGroupRules int
	PrefixLists        int
	Instances          int
	NetworkInterfaces  int
	LaunchTemplates    int
	LoadBalancers      int
	Listeners          int
	TargetGroups       int
	AutoScalingGroups  int
	ScalingPolicies    int
	DBInstances        int
	DBSubnetGroups     int
}

// CreateFunc opens the named output file (a base name such as "ec2-describe-vpcs.json") for
// writing; Generate closes it when the file is complete.
type CreateFunc func(name string) (io.WriteCloser, error)

// Generate builds the estate described by opts and writes its files through create, one at a
// time and in a fixed order.
func Generate(opts Options, create CreateFunc) (Stats, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return Stats{}, err
	}
	m, err := build(opts)
	if err != nil {
		return Stats{}, err
	}
	st := m.stats()
	e := &emitter{create: create, perFile: opts.ItemsPerFile}
	if err := m.emit(e); err != nil {
		return Stats{}, err
	}
	st.Files, st.Bytes = e.files, e.bytes
	return st, nil
}

// Write generates the estate into dir, creating dir when missing. Existing files of the same
// names are replaced; other files are left alone.
func Write(dir string, opts Options) (Stats, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Stats{}, fmt.Errorf("estate: %w", err)
	}
	return Generate(opts, func(name string) (io.WriteCloser, error) {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("estate: %w", err)
		}
		return &bufferedFile{f: f, w: bufio.NewWriterSize(f, 1<<20)}, nil
	})
}

func (o Options) withDefaults() (Options, error) {
	if o.Instances < 1 {
		return o, fmt.Errorf("estate: instances must be at least 1, got %d", o.Instances)
	}
	if o.ItemsPerFile < 0 {
		return o, fmt.Errorf("estate: items per file must not be negative, got %d", o.ItemsPerFile)
	}
	if o.ItemsPerFile == 0 {
		o.ItemsPerFile = DefaultItemsPerFile
	}
	if o.Region == "" {
		o.Region = DefaultRegion
	}
	if o.Account == "" {
		o.Account = DefaultAccount
	}
	if len(o.Account) != 12 {
		return o, fmt.Errorf("estate: account id must have 12 digits, got %q", o.Account)
	}
	for _, c := range o.Account {
		if c < '0' || c > '9' {
			return o, fmt.Errorf("estate: account id must have 12 digits, got %q", o.Account)
		}
	}
	return o, nil
}

// bufferedFile buffers writes to a file and flushes before closing it.
type bufferedFile struct {
	f *os.File
	w *bufio.Writer
}

func (b *bufferedFile) Write(p []byte) (int, error) { return b.w.Write(p) }

func (b *bufferedFile) Close() error {
	return errors.Join(b.w.Flush(), b.f.Close())
}

// emitter writes describe documents in the AWS CLI's layout: four-space indent, no HTML escaping,
// a trailing newline.
type emitter struct {
	create  CreateFunc
	perFile int
	files   int
	bytes   int64
	buf     bytes.Buffer // compact JSON of the value being written
	out     []byte       // buf laid out as the CLI prints it
	enc     *json.Encoder
}

// encode renders v with the given line prefix into e.out, without a trailing newline.
func (e *emitter) encode(v any, prefix string) error {
	if e.enc == nil {
		e.enc = json.NewEncoder(&e.buf)
		e.enc.SetEscapeHTML(false)
	}
	e.buf.Reset()
	if err := e.enc.Encode(v); err != nil {
		return fmt.Errorf("estate: encode: %w", err)
	}
	e.out = indent(e.out[:0], bytes.TrimSuffix(e.buf.Bytes(), []byte("\n")), prefix)
	return nil
}

// indent appends src, compact JSON produced by encoding/json, to dst laid out as the AWS CLI
// prints it: four spaces per level, each line after the first starting with prefix, empty
// objects and lists as {} and []. It gives what json.Indent gives, without json.Indent's
// validating scanner, which costs most of the generation time.
func indent(dst, src []byte, prefix string) []byte {
	depth := 0
	newline := func() {
		dst = append(dst, '\n')
		dst = append(dst, prefix...)
		for range depth {
			dst = append(dst, "    "...)
		}
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch c {
		case '"':
			j := i + 1
			for ; j < len(src) && src[j] != '"'; j++ {
				if src[j] == '\\' {
					j++
				}
			}
			dst = append(dst, src[i:j+1]...)
			i = j
		case '{', '[':
			if i+1 < len(src) && (src[i+1] == '}' || src[i+1] == ']') {
				dst = append(dst, c, src[i+1])
				i++
				continue
			}
			dst = append(dst, c)
			depth++
			newline()
		case '}', ']':
			depth--
			newline()
			dst = append(dst, c)
		case ',':
			dst = append(dst, c)
			newline()
		case ':':
			dst = append(dst, ':', ' ')
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// doc writes one whole document as the file name.
func (e *emitter) doc(name string, v any) error {
	w, err := e.open(name)
	if err != nil {
		return err
	}
	if err := e.encode(v, ""); err != nil {
		w.Close()
		return err
	}
	e.out = append(e.out, '\n')
	if _, err := w.Write(e.out); err != nil {
		w.Close()
		return fmt.Errorf("estate: write %s: %w", name, err)
	}
	return e.close(name, w)
}

// list writes {"key": [item(0), …, item(n-1)]} as service-command.json, or split over
// service-command-001.json, -002.json… when n exceeds the items per file.
func (e *emitter) list(service, command, key string, n int, item func(i int) any) error {
	chunks := 1
	if n > e.perFile {
		chunks = (n + e.perFile - 1) / e.perFile
	}
	for c := range chunks {
		name := service + "-" + command + ".json"
		if chunks > 1 {
			name = fmt.Sprintf("%s-%s-%03d.json", service, command, c+1)
		}
		lo, hi := c*e.perFile, min(n, (c+1)*e.perFile)
		if err := e.listFile(name, key, lo, hi, item); err != nil {
			return err
		}
	}
	return nil
}

func (e *emitter) listFile(name, key string, lo, hi int, item func(i int) any) error {
	w, err := e.open(name)
	if err != nil {
		return err
	}
	fail := func(err error) error {
		w.Close()
		return err
	}
	head := "{\n    " + quote(key) + ": ["
	if lo == hi {
		head += "]\n}\n"
		if _, err := io.WriteString(w, head); err != nil {
			return fail(fmt.Errorf("estate: write %s: %w", name, err))
		}
		return e.close(name, w)
	}
	if _, err := io.WriteString(w, head); err != nil {
		return fail(fmt.Errorf("estate: write %s: %w", name, err))
	}
	for i := lo; i < hi; i++ {
		if err := e.encode(item(i), "        "); err != nil {
			return fail(err)
		}
		sep := ",\n        "
		if i == lo {
			sep = "\n        "
		}
		if _, err := io.WriteString(w, sep); err != nil {
			return fail(fmt.Errorf("estate: write %s: %w", name, err))
		}
		if _, err := w.Write(e.out); err != nil {
			return fail(fmt.Errorf("estate: write %s: %w", name, err))
		}
	}
	if _, err := io.WriteString(w, "\n    ]\n}\n"); err != nil {
		return fail(fmt.Errorf("estate: write %s: %w", name, err))
	}
	return e.close(name, w)
}

func (e *emitter) open(name string) (*countingWriter, error) {
	w, err := e.create(name)
	if err != nil {
		return nil, fmt.Errorf("estate: create %s: %w", name, err)
	}
	return &countingWriter{w: w}, nil
}

func (e *emitter) close(name string, w *countingWriter) error {
	if err := w.Close(); err != nil {
		return fmt.Errorf("estate: close %s: %w", name, err)
	}
	e.files++
	e.bytes += w.n
	return nil
}

type countingWriter struct {
	w io.WriteCloser
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func (c *countingWriter) Close() error { return c.w.Close() }

// quote returns s as a JSON string.
func quote(s string) string {
	b, _ := json.Marshal(s) // a string always marshals
	return string(b)
}
