package outfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// chdir runs the test from dir, so that relative paths are the user's.
func chdir(t *testing.T, dir string) {
	t.Helper()
	t.Chdir(dir)
}

// TestCheck: issue 24, "`--out` can destroy the class it reports on": a
// destination that is a file the run reads is refused however it is
// spelled, and a destination that cannot be written is found before any
// work. Each case's wanted text is the reason the user reads after
// "--out X: ".
func TestCheck(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	require.NoError(t, os.Mkdir("classes", 0o755))
	require.NoError(t, os.WriteFile("classes/hand2.yaml", []byte("name: hand2\n"), 0o644))
	require.NoError(t, os.WriteFile("Pulumi.hand2-acct01.yaml", []byte("config: {}\n"), 0o644))
	require.NoError(t, os.WriteFile("old.html", []byte("<p>old</p>"), 0o644))
	require.NoError(t, os.Symlink("classes/hand2.yaml", "link.html"))
	require.NoError(t, os.Symlink("classes", "cl"))
	require.NoError(t, os.Link("Pulumi.hand2-acct01.yaml", "hard.html"))
	require.NoError(t, os.Mkdir("reports", 0o755))
	inputs := []Input{
		{Role: "the class file", Path: "classes/hand2.yaml"},
		{Role: "the stack file of hand2-acct01", Path: filepath.Join(dir, "Pulumi.hand2-acct01.yaml")},
	}
	tests := []struct {
		name, dest, want string
	}{
		{"a new file in an existing directory", "reports/hand2.html", ""},
		{"an earlier report, replaced", "old.html", ""},
		{"no name: not stdout", "", "give a file name, or leave the option out to write to stdout"},
		{"the class file", "classes/hand2.yaml",
			"is the class file (classes/hand2.yaml), which this run reads: writing the report there would destroy it; choose another file"},
		{"the class file, by another relative path", "./reports/../classes/hand2.yaml",
			"is the class file (classes/hand2.yaml), which this run reads"},
		{"the class file, by its absolute path", filepath.Join(dir, "classes/hand2.yaml"),
			"is the class file (classes/hand2.yaml), which this run reads"},
		{"the class file, through a symbolic link to it", "link.html",
			"is the class file (classes/hand2.yaml), which this run reads"},
		{"the class file, through a linked directory", "cl/hand2.yaml",
			"is the class file (classes/hand2.yaml), which this run reads"},
		{"a stack file, given relative while the run names it absolute", "Pulumi.hand2-acct01.yaml",
			"is the stack file of hand2-acct01 (" + filepath.Join(dir, "Pulumi.hand2-acct01.yaml") + "), which this run reads"},
		{"a stack file, through a hard link", "hard.html", "is the stack file of hand2-acct01"},
		{"a directory", "reports", "is a directory; give a file name in it, such as reports/report.html"},
		{"a missing directory", "nodir/hand2.html", "directory nodir does not exist; create it first"},
		{"a file as the directory", "old.html/hand2.html", "old.html is not a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Check(tt.dest, inputs...)
			if tt.want == "" {
				require.NoError(t, err)
				entries, _ := os.ReadDir(filepath.Dir(tt.dest))
				for _, e := range entries {
					assert.NotContains(t, e.Name(), ".tmp-", "the probe file is removed")
				}
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			var oe *Error
			assert.True(t, errors.As(err, &oe), "a typed error the command words as a flag")
		})
	}
	data, err := os.ReadFile("classes/hand2.yaml")
	require.NoError(t, err)
	assert.Equal(t, "name: hand2\n", string(data), "checking writes nothing")
}

// A read-only directory is found before any work. Root writes anywhere,
// so the case runs only as another user.
func TestCheckReadOnlyDirectory(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root may write in a read-only directory; this case needs another user")
	}
	dir := t.TempDir()
	ro := filepath.Join(dir, "ro")
	require.NoError(t, os.Mkdir(ro, 0o555))
	err := Check(filepath.Join(ro, "k.html"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "cannot write in directory "+ro+": permission denied")
}

// TestWrite: the report replaces the destination in one rename; a write
// that fails part-way (the full disk of issue 24) leaves the previous
// file whole and no temporary file behind.
func TestWrite(t *testing.T) {
	tests := []struct {
		name     string
		existing string // "" : no file before
		write    func(io.Writer) error
		want     string // the destination's content after
		wantErr  string
	}{
		{"a new file", "", writeString("<p>new</p>"), "<p>new</p>", ""},
		{"replacing an earlier report", "<p>old</p>", writeString("<p>new</p>"), "<p>new</p>", ""},
		{"a write cut off part-way: the previous page survives", "<p>old</p>",
			func(w io.Writer) error {
				_, _ = io.WriteString(w, "<script>cut off")
				return errors.New("no space left on device")
			},
			"<p>old</p>", "the report could not be written: no space left on device; "},
		{"a write cut off part-way with no file before: none is created", "",
			func(w io.Writer) error {
				_, _ = io.WriteString(w, "<script>cut off")
				return errors.New("no space left on device")
			},
			"", "was not created"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			dest := filepath.Join(dir, "kms101.html")
			if tt.existing != "" {
				require.NoError(t, os.WriteFile(dest, []byte(tt.existing), 0o640))
			}
			err := Write(dest, tt.write)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
			} else {
				require.NoError(t, err)
			}
			data, rerr := os.ReadFile(dest)
			if tt.want == "" {
				assert.True(t, errors.Is(rerr, os.ErrNotExist), "no file at %s", dest)
			} else {
				require.NoError(t, rerr)
				assert.Equal(t, tt.want, string(data))
			}
			entries, err := os.ReadDir(dir)
			require.NoError(t, err)
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			if tt.want == "" {
				assert.Empty(t, names, "no temporary file left")
			} else {
				assert.Equal(t, []string{"kms101.html"}, names, "no temporary file left")
			}
			if tt.existing != "" && tt.wantErr == "" {
				info, err := os.Stat(dest)
				require.NoError(t, err)
				assert.Equal(t, os.FileMode(0o640), info.Mode().Perm(), "an existing file keeps its mode")
			}
		})
	}
}

// A destination that is a symbolic link to a report stays a link: the
// report it points to is replaced.
func TestWriteThroughLink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "pages", "kms101.html")
	require.NoError(t, os.Mkdir(filepath.Dir(target), 0o755))
	require.NoError(t, os.WriteFile(target, []byte("old"), 0o644))
	link := filepath.Join(dir, "latest.html")
	require.NoError(t, os.Symlink(target, link))

	require.NoError(t, Write(link, writeString("new")))
	fi, err := os.Lstat(link)
	require.NoError(t, err)
	assert.Equal(t, os.ModeSymlink, fi.Mode()&os.ModeSymlink, "still a link")
	data, err := os.ReadFile(target)
	require.NoError(t, err)
	assert.Equal(t, "new", string(data))
}

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := fmt.Fprint(w, s)
		return err
	}
}
