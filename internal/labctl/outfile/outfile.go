// Package outfile writes a command's report to the file its --out names,
// so that a report never costs the user a file: the destination is checked
// before any work (it can be written, it is no directory, it is none of
// the files the same run reads), and it is replaced in one rename, so a
// failed write leaves the previous file whole.
package outfile

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// Input is a file the run reads, by what it is to the user ("the class
// file", "the stack file of kms101-acct01").
type Input struct {
	Role string
	Path string
}

// Error says why a destination cannot be written; the command words it as
// a flag ("--out X: ..."). Its text names no flag.
type Error struct {
	Dest   string
	Reason string
}

func (e *Error) Error() string { return e.Reason }

// Check is run before the first account is touched: dest must be a file
// name ("" is not one), in a directory that exists and can be written, not
// a directory itself, and none of inputs, compared after resolving
// relative paths and symbolic links (and, for files that exist, by
// identity, which catches hard links).
func Check(dest string, inputs ...Input) error {
	fail := func(format string, args ...any) error {
		return &Error{Dest: dest, Reason: fmt.Sprintf(format, args...)}
	}
	if dest == "" {
		return fail("give a file name, or leave the option out to write to stdout")
	}
	target, err := resolve(dest)
	if err != nil {
		return fail("%s", err)
	}
	info, statErr := os.Stat(target)
	switch {
	case statErr == nil && info.IsDir():
		return fail("is a directory; give a file name in it, such as %s", filepath.Join(dest, "report.html"))
	case statErr == nil && !info.Mode().IsRegular():
		return fail("is not a regular file; give a file name")
	case statErr != nil && !errors.Is(statErr, fs.ErrNotExist) && !errors.Is(statErr, syscall.ENOTDIR):
		// ENOTDIR: a file where the directory should be, said below.
		return fail("cannot be read: %s", plain(statErr))
	}
	for _, in := range inputs {
		if in.Path == "" {
			continue
		}
		if same(target, info, in.Path) {
			return fail("is %s (%s), which this run reads: writing the report there would destroy it; choose another file", in.Role, in.Path)
		}
	}
	dir := filepath.Dir(target)
	d, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fail("directory %s does not exist; create it first", filepath.Dir(dest))
	case err != nil:
		return fail("directory %s cannot be read: %s", filepath.Dir(dest), plain(err))
	case !d.IsDir():
		return fail("%s is not a directory", filepath.Dir(dest))
	}
	// The surest test that the directory takes a new file is making one;
	// it is the temporary file Write would make.
	f, err := createTemp(dir, target, 0o600)
	if err != nil {
		return fail("cannot write in directory %s: %s", filepath.Dir(dest), plain(err))
	}
	name := f.Name()
	_ = f.Close()
	_ = os.Remove(name)
	return nil
}

// Write writes dest with write: into a temporary file beside it, synced,
// then renamed over it. When write or any step fails, the temporary file
// is removed and dest is as it was. A dest that is a symbolic link keeps
// it: its target is replaced. A new file gets 0666 less the umask, an
// existing one keeps its mode.
func Write(dest string, write func(io.Writer) error) (err error) {
	if dest == "" {
		return &Error{Dest: dest, Reason: "give a file name"}
	}
	target, err := resolve(dest)
	if err != nil {
		return err
	}
	perm := fs.FileMode(0o666)
	if info, err := os.Stat(target); err == nil {
		if !info.Mode().IsRegular() {
			return &Error{Dest: dest, Reason: "is not a regular file"}
		}
		perm = info.Mode().Perm()
	}
	dir := filepath.Dir(target)
	f, err := createTemp(dir, target, perm)
	if err != nil {
		return fmt.Errorf("cannot write in directory %s: %s", filepath.Dir(dest), plain(err))
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if err = write(f); err != nil {
		return kept(dest, err)
	}
	if err = f.Sync(); err != nil {
		return kept(dest, err)
	}
	if err = f.Close(); err != nil {
		return kept(dest, err)
	}
	if perm != 0o666 {
		// An existing file's mode; a new one took 0666 less the umask
		// when it was created.
		if err = os.Chmod(tmp, perm); err != nil {
			return kept(dest, err)
		}
	}
	if err = os.Rename(tmp, target); err != nil {
		return kept(dest, err)
	}
	// The rename is durable once the directory is synced; where a
	// directory cannot be synced the file is written all the same.
	if d, derr := os.Open(dir); derr == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

// kept is a failed write's error: what failed, and that dest is as it was.
func kept(dest string, err error) error {
	if _, serr := os.Lstat(dest); serr != nil {
		return fmt.Errorf("the report could not be written: %s; %s was not created", plain(err), dest)
	}
	return fmt.Errorf("the report could not be written: %s; %s is unchanged", plain(err), dest)
}

// resolve is path made absolute with its symbolic links followed; for a
// file that does not exist yet, its directory's links are followed.
func resolve(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("cannot resolve %s: %s", path, plain(err))
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		return r, nil
	}
	if r, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		return filepath.Join(r, filepath.Base(abs)), nil
	}
	return abs, nil
}

// same says whether target (stat'ed as info, nil when it does not exist)
// is the file at path.
func same(target string, info fs.FileInfo, path string) bool {
	other, err := resolve(path)
	if err == nil && other == target {
		return true
	}
	if info == nil {
		return false
	}
	oi, err := os.Stat(path)
	return err == nil && os.SameFile(info, oi)
}

// createTemp makes a new file beside target with perm (less the umask),
// named so that it is plainly a leftover if the process is killed.
func createTemp(dir, target string, perm fs.FileMode) (*os.File, error) {
	for range 10 {
		var b [6]byte
		_, _ = rand.Read(b[:])
		name := filepath.Join(dir, "."+filepath.Base(target)+".tmp-"+hex.EncodeToString(b[:]))
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return f, err
	}
	return nil, errors.New("no free temporary file name")
}

// plain is an OS error without Go's "op path:" prefix: "permission
// denied", "no space left on device".
func plain(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err.Error()
	}
	return err.Error()
}
