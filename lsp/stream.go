package lsp

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"encoding/json"
	"go.lsp.dev/jsonrpc2"
)

// MaxMessage bounds one JSON-RPC message, in bytes; a larger one is read
// past and answered with an error, never held in memory.
const MaxMessage = 64 << 20

// stream frames JSON-RPC messages with Content-Length headers like
// jsonrpc2's, but survives a broken client: a body that is not a JSON-RPC
// message is answered with a parse error (id null) and skipped, a bad
// header block is skipped to the next blank line, and an oversized body
// is discarded. Only the end of input (or a read error) ends the stream,
// because jsonrpc2.Conn closes the connection on any Read error.
type stream struct {
	in  *bufio.Reader
	out io.Writer
	c   io.Closer
	mu  sync.Mutex // guards writes to out
	log func(msg string, args ...any)
}

func newStream(rwc io.ReadWriteCloser, log func(string, ...any)) *stream {
	return &stream{in: bufio.NewReaderSize(rwc, 64<<10), out: rwc, c: rwc, log: log}
}

// errFrame is a malformed frame the stream skipped.
var errFrame = errors.New("malformed frame")

func (s *stream) Read(ctx context.Context) (jsonrpc2.Message, int64, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		msg, n, err := s.readOne()
		if err == nil {
			return msg, n, nil
		}
		if !errors.Is(err, errFrame) {
			return nil, n, err
		}
		s.log("skipped a malformed message", "error", err)
	}
}

// readOne reads one framed message; errFrame wraps what a client got wrong
// (the stream goes on), anything else ends the stream.
func (s *stream) readOne() (jsonrpc2.Message, int64, error) {
	var total int64
	length := int64(-1)
	var bad string
	for {
		line, err := s.in.ReadString('\n')
		total += int64(len(line))
		if err != nil {
			return nil, total, err
		}
		line = strings.TrimSpace(line)
		if line == "" {
			if length < 0 && bad == "" && total <= 2 {
				continue // a stray blank line between messages
			}
			break
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			bad = fmt.Sprintf("invalid header line %q", excerpt(line))
			continue
		}
		if strings.EqualFold(strings.TrimSpace(name), jsonrpc2.HdrContentLength) {
			n, err := strconv.ParseInt(strings.TrimSpace(value), 10, 64)
			if err != nil || n <= 0 {
				bad = fmt.Sprintf("invalid Content-Length %q", excerpt(value))
				continue
			}
			length = n
		}
	}
	if length < 0 {
		if bad == "" {
			bad = "missing Content-Length header"
		}
		return nil, total, fmt.Errorf("%w: %s", errFrame, bad)
	}
	if length > MaxMessage {
		n, err := io.CopyN(io.Discard, s.in, length)
		total += n
		if err != nil {
			return nil, total, err
		}
		s.replyError(jsonrpc2.InvalidRequest, fmt.Sprintf("message of %d bytes is larger than %d", length, MaxMessage))
		return nil, total, fmt.Errorf("%w: message of %d bytes", errFrame, length)
	}
	data := make([]byte, length)
	n, err := io.ReadFull(s.in, data)
	total += int64(n)
	if err != nil {
		return nil, total, err
	}
	msg, err := jsonrpc2.DecodeMessage(data)
	if err != nil {
		code := jsonrpc2.ParseError
		if json.Valid(data) {
			code = jsonrpc2.InvalidRequest
		}
		s.replyError(code, err.Error())
		return nil, total, fmt.Errorf("%w: %v", errFrame, err)
	}
	return msg, total, nil
}

// replyError answers a message that could not be read, with id null as
// JSON-RPC says.
func (s *stream) replyError(code jsonrpc2.Code, message string) {
	body, _ := json.Marshal(map[string]any{
		"jsonrpc": "2.0",
		"id":      nil,
		"error":   map[string]any{"code": code, "message": message},
	})
	s.mu.Lock()
	defer s.mu.Unlock()
	fmt.Fprintf(s.out, "Content-Length: %d\r\n\r\n%s", len(body), body)
}

func (s *stream) Write(_ context.Context, msg jsonrpc2.Message) (int64, error) {
	data, err := json.Marshal(msg)
	if err != nil {
		return 0, fmt.Errorf("marshaling message: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n, err := fmt.Fprintf(s.out, "Content-Length: %d\r\n\r\n", len(data))
	if err != nil {
		return int64(n), err
	}
	m, err := s.out.Write(data)
	return int64(n + m), err
}

func (s *stream) Close() error { return s.c.Close() }

func excerpt(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
