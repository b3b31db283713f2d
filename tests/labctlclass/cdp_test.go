package labctlclass_test

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// browserTab drives one tab of a headless Chromium over the DevTools
// protocol on a pipe (--remote-debugging-pipe: requests on fd 3, replies on
// fd 4, each message ending in a NUL byte), so that a test can click, wait
// for the page to change and read what it shows without a reload.
type browserTab struct {
	t       testing.TB
	w       io.Writer
	session string
	mu      sync.Mutex
	nextID  int
	waiting map[int]chan cdpReply
}

type cdpReply struct {
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Message string `json:"message"`
	} `json:"error"`
}

// openTab starts Chromium at width x height and opens url in it.
func openTab(t testing.TB, browser, url string, width, height int) *browserTab {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmdR, cmdW, err := os.Pipe()
	require.NoError(t, err)
	outR, outW, err := os.Pipe()
	require.NoError(t, err)
	cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
		"--user-data-dir="+profileDir(t), "--remote-debugging-pipe", fmt.Sprintf("--window-size=%d,%d", width, height), "about:blank")
	cmd.ExtraFiles = []*os.File{cmdR, outW}
	require.NoError(t, cmd.Start())
	_ = cmdR.Close()
	_ = outW.Close()
	b := &browserTab{t: t, w: cmdW, waiting: map[int]chan cdpReply{}}
	go b.read(outR)
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
		_ = cmdW.Close()
	})
	var target struct {
		TargetID string `json:"targetId"`
	}
	b.call("", "Target.createTarget", map[string]any{"url": "about:blank"}, &target)
	var att struct {
		SessionID string `json:"sessionId"`
	}
	b.call("", "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &att)
	b.session = att.SessionID
	b.call(b.session, "Emulation.setDeviceMetricsOverride", map[string]any{"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false}, nil)
	b.call(b.session, "Page.enable", nil, nil)
	b.call(b.session, "Page.navigate", map[string]any{"url": url}, nil)
	b.waitFor(`document.readyState === "complete" && document.getElementById("overview") !== null && document.getElementById("overview").children.length > 0`, 30*time.Second)
	return b
}

func (b *browserTab) read(r io.Reader) {
	br := bufio.NewReader(r)
	for {
		msg, err := br.ReadBytes(0)
		if err != nil {
			return
		}
		var m struct {
			ID int `json:"id"`
			cdpReply
		}
		if json.Unmarshal(msg[:len(msg)-1], &m) != nil || m.ID == 0 {
			continue // an event
		}
		b.mu.Lock()
		ch := b.waiting[m.ID]
		delete(b.waiting, m.ID)
		b.mu.Unlock()
		if ch != nil {
			ch <- m.cdpReply
		}
	}
}

// call sends one DevTools command and decodes its result into out.
func (b *browserTab) call(session, method string, params any, out any) {
	b.t.Helper()
	b.mu.Lock()
	b.nextID++
	id := b.nextID
	ch := make(chan cdpReply, 1)
	b.waiting[id] = ch
	b.mu.Unlock()
	msg := map[string]any{"id": id, "method": method}
	if params != nil {
		msg["params"] = params
	}
	if session != "" {
		msg["sessionId"] = session
	}
	data, err := json.Marshal(msg)
	require.NoError(b.t, err)
	_, err = b.w.Write(append(data, 0))
	require.NoError(b.t, err, method)
	select {
	case r := <-ch:
		require.Nil(b.t, r.Error, "%s: %+v", method, r.Error)
		if out != nil {
			require.NoError(b.t, json.Unmarshal(r.Result, out), method)
		}
	case <-time.After(60 * time.Second):
		b.t.Fatalf("chromium did not answer %s within 60s", method)
	}
}

// eval runs a JavaScript expression in the page and decodes its value.
func (b *browserTab) eval(expr string, out any) {
	b.t.Helper()
	var r struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text      string `json:"text"`
			Exception struct {
				Description string `json:"description"`
			} `json:"exception"`
		} `json:"exceptionDetails"`
	}
	b.call(b.session, "Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true, "awaitPromise": true}, &r)
	require.Nil(b.t, r.ExceptionDetails, "%s: %+v", expr, r.ExceptionDetails)
	if out != nil {
		require.NoError(b.t, json.Unmarshal(r.Result.Value, out), "%s: %s", expr, r.Result.Value)
	}
}

// waitFor polls a boolean expression until it holds or timeout passes; it
// reports whether it held.
func (b *browserTab) waitFor(expr string, timeout time.Duration) bool {
	b.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		var ok bool
		b.eval("Boolean("+expr+")", &ok)
		if ok {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// screenshot saves the viewport as a PNG.
func (b *browserTab) screenshot(file string) {
	b.t.Helper()
	var r struct {
		Data string `json:"data"`
	}
	b.call(b.session, "Page.captureScreenshot", map[string]any{"format": "png"}, &r)
	png, err := base64.StdEncoding.DecodeString(r.Data)
	require.NoError(b.t, err)
	require.NoError(b.t, os.WriteFile(file, png, 0o644))
}
