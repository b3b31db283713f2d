// Package motoserver starts, resets and stops a moto server (the
// S3/KMS/CloudTrail/IAM/STS API emulator) process for tests. A test binary
// does not call it directly: its TestMain runs a mototest.Suite, which
// starts the server here and decides what a test without one does.
package motoserver

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// InstallHint is what a user runs to get moto.
const InstallHint = `python3 -m pip install "moto[server]"`

// Account is the account moto answers for when no other is assumed.
const Account = "123456789012"

// Server is a moto process started by a test binary.
type Server struct {
	// URL is the endpoint, http://127.0.0.1:PORT.
	URL string

	cmd    *exec.Cmd
	log    string
	exited chan struct{} // closed when the process has exited
	err    error         // the process's exit error, valid once exited is closed
}

// Start runs `python3 -m moto.server` on a free loopback port in dir (its
// log goes to dir/moto.log) and returns once it answers HTTP. A process that
// dies during start-up is reported at once, with the end of its log.
func Start(dir string) (*Server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	return start(dir, port)
}

func start(dir string, port int) (*Server, error) {
	python, err := exec.LookPath("python3")
	if err != nil {
		return nil, fmt.Errorf("python3 not found on PATH; install Python 3, then %s", InstallHint)
	}
	if out, err := exec.Command(python, "-c", "import moto.server").CombinedOutput(); err != nil {
		// The traceback's last line says what is missing.
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		return nil, fmt.Errorf("%s cannot import moto.server (%s); install it with %s", python, lines[len(lines)-1], InstallHint)
	}
	logPath := filepath.Join(dir, "moto.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, fmt.Errorf("moto log: %w", err)
	}
	cmd := exec.Command(python, "-m", "moto.server", "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	cmd.Stdout, cmd.Stderr = logFile, logFile
	// Its own process group, so a Ctrl-C aimed at `go test` reaches it only
	// through Stop.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("starting moto: %w", err)
	}
	logFile.Close()
	s := &Server{URL: fmt.Sprintf("http://127.0.0.1:%d", port), cmd: cmd, log: logPath, exited: make(chan struct{})}
	go func() {
		s.err = cmd.Wait()
		close(s.exited)
	}()
	if err := s.waitReady(60 * time.Second); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("finding a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// waitReady polls the server until it answers, the process exits, or the
// timeout passes. The process's exit is watched by Start's goroutine, so a
// crash ends the wait at the next poll instead of at the timeout.
func (s *Server) waitReady(timeout time.Duration) error {
	client := &http.Client{Timeout: time.Second}
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		resp, err := client.Get(s.URL + "/moto-api/")
		if err == nil {
			resp.Body.Close()
			return nil
		}
		select {
		case <-s.exited:
			return fmt.Errorf("moto exited during start-up (%v); its log: %s", s.err, s.tail())
		case <-deadline.C:
			return fmt.Errorf("moto did not answer on %s within %s; its log: %s", s.URL, timeout, s.tail())
		case <-tick.C:
		}
	}
}

// tail is the end of the server's log, for error messages.
func (s *Server) tail() string {
	b, _ := os.ReadFile(s.log)
	b = bytes.TrimSpace(b)
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}

// Reset drops every resource moto holds, in every account and region.
func (s *Server) Reset(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL+"/moto-api/reset", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("moto reset: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("moto reset: HTTP %d", resp.StatusCode)
	}
	return nil
}

// Stop ends the moto process, and only it.
func (s *Server) Stop() {
	if s == nil || s.cmd.Process == nil {
		return
	}
	select {
	case <-s.exited:
		return
	default:
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(5 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
}
