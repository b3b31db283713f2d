package labctl_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// result is what one labctl run printed and returned.
type result struct {
	stdout string
	stderr string
	code   int
}

// awsEnv is a clean environment with the lab deployer's credentials. HOME
// points at an empty directory so no developer profile or CA bundle leaks
// in, and instance-metadata lookups are off (there is no instance to ask).
func awsEnv(t *testing.T, l *lab) []string {
	t.Helper()
	home := t.TempDir()
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"AWS_CONFIG_FILE=" + filepath.Join(home, "config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "credentials"),
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_ACCESS_KEY_ID=" + l.credentials.AccessKeyID,
		"AWS_SECRET_ACCESS_KEY=" + l.credentials.SecretAccessKey,
		"AWS_REGION=" + region,
	}
	if l.credentials.SessionToken != "" {
		env = append(env, "AWS_SESSION_TOKEN="+l.credentials.SessionToken)
	}
	return env
}

// withoutCredentials drops the access keys and session token from env.
func withoutCredentials(env []string) []string {
	var out []string
	for _, e := range env {
		if !strings.HasPrefix(e, "AWS_ACCESS_KEY_ID=") && !strings.HasPrefix(e, "AWS_SECRET_ACCESS_KEY=") && !strings.HasPrefix(e, "AWS_SESSION_TOKEN=") {
			out = append(out, e)
		}
	}
	return out
}

// runLabctl runs the built binary and waits for it.
func runLabctl(t *testing.T, env []string, stdin string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, shared.Binary(labctlCmd), args...)
	cmd.Env = env
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	res := result{stdout: stdout.String(), stderr: stderr.String()}
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr):
		res.code = exitErr.ExitCode()
	default:
		require.NoError(t, err, "running labctl %v", args)
	}
	return res
}

// requireOneLineError asserts labctl failed with exit code 2 and one line
// on stderr containing each of parts, and no Go stack trace; a usage error
// is followed by a blank line and the command's usage, as GitHub's CLI
// prints a FlagError.
func requireOneLineError(t *testing.T, res result, parts ...string) {
	t.Helper()
	require.Equal(t, 2, res.code, "exit code; stderr: %s", res.stderr)
	stderr, usage, hasUsage := strings.Cut(res.stderr, "\n\nUsage:\n")
	if hasUsage {
		require.True(t, strings.HasPrefix(usage, "  labctl "), "usage: %s", usage)
	}
	lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
	require.Len(t, lines, 1, "stderr should be one line, got:\n%s", res.stderr)
	require.True(t, strings.HasPrefix(lines[0], "labctl: "), "stderr: %s", lines[0])
	for _, p := range parts {
		require.Contains(t, lines[0], p)
	}
	require.NotContains(t, res.stderr, "goroutine")
	require.NotContains(t, res.stderr, "panic")
}
