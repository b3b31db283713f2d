package mototest

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kms-lab/kms-lab/internal/testenv/motoserver"
)

// Need's message is what a user without moto reads: how to install it, and
// how to run the rest without it.
func TestNeedExplainsAMissingServer(t *testing.T) {
	tests := []struct {
		name string
		err  error
	}{
		{"moto failed to start", assert.AnError},
		{"TestMain never ran the suite", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ft := &fakeT{TB: t}
			s := &Suite{err: tt.err}
			func() {
				defer func() { _ = recover() }()
				s.Need(ft)
			}()
			assert.Contains(t, ft.fatal, motoserver.InstallHint)
			assert.Contains(t, ft.fatal, "go test -short")
			assert.False(t, ft.skipped)
		})
	}
}

func TestNeedSkipsInAShortRun(t *testing.T) {
	ft := &fakeT{TB: t}
	s := &Suite{err: errShort}
	func() {
		defer func() { _ = recover() }()
		s.Need(ft)
	}()
	assert.True(t, ft.skipped)
	assert.Empty(t, ft.fatal)
}

// fakeT records Fatalf and Skip instead of ending the real test.
type fakeT struct {
	testing.TB
	fatal   string
	skipped bool
}

func (f *fakeT) Helper() {}
func (f *fakeT) Fatalf(format string, args ...any) {
	f.fatal = fmt.Sprintf(format, args...)
	panic("fatal")
}
func (f *fakeT) Skip(args ...any) {
	f.skipped = true
	panic("skip")
}
