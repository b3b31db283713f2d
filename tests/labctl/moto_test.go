package labctl_test

import (
	"errors"
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

// motoServer is a moto server process this suite started.
type motoServer struct {
	cmd *exec.Cmd
	url string
	log string
}

// startMoto runs `python3 -m moto.server` on a free loopback port and waits
// until it answers.
func startMoto(dir string) (*motoServer, error) {
	python, err := exec.LookPath("python3")
	if err != nil {
		return nil, errors.New("python3 not found on PATH")
	}
	if out, err := exec.Command(python, "-c", "import moto.server").CombinedOutput(); err != nil {
		// The traceback's last line says what is missing.
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		return nil, fmt.Errorf("%s cannot import moto.server (%s)", python, lines[len(lines)-1])
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	logPath := filepath.Join(dir, "moto.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(python, "-m", "moto.server", "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	cmd.Stdout, cmd.Stderr = logFile, logFile
	// Its own process group, so a Ctrl-C aimed at `go test` reaches it only
	// through stop().
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("starting moto: %w", err)
	}
	logFile.Close()
	m := &motoServer{cmd: cmd, url: fmt.Sprintf("http://127.0.0.1:%d", port), log: logPath}
	if err := m.waitReady(30 * time.Second); err != nil {
		m.stop()
		return nil, err
	}
	return m, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("finding a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func (m *motoServer) waitReady(timeout time.Duration) error {
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		resp, err := client.Get(m.url + "/moto-api/")
		if err == nil {
			resp.Body.Close()
			return nil
		}
		if m.cmd.ProcessState != nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	log, _ := os.ReadFile(m.log)
	return fmt.Errorf("moto did not answer on %s within %s; its log: %s", m.url, timeout, log)
}

// stop ends the moto process this suite started, and only it.
func (m *motoServer) stop() {
	if m.cmd.Process == nil {
		return
	}
	_ = m.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = m.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = m.cmd.Process.Kill()
		<-done
	}
}
