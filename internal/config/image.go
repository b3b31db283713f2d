package config

import (
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
)

// maxImageBytes keeps uploads lab-sized: the image is opened in a browser tab.
const maxImageBytes = 10 << 20

// imageTypes are the content types a browser shows inline.
var imageTypes = map[string]bool{
	"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true, "image/bmp": true,
}

// image checks that path is a readable image file and returns its content
// type, sniffed from its bytes rather than trusted from its extension.
func (v *validator) image(shown, path string) string {
	if shown == "" {
		v.bad(ImagePath, shown, "must not be empty")
		return ""
	}
	f, err := os.Open(path)
	if err != nil {
		switch {
		case errors.Is(err, fs.ErrNotExist):
			v.bad(ImagePath, shown, "file does not exist")
		default:
			v.bad(ImagePath, shown, "cannot be read: %v", err)
		}
		return ""
	}
	defer f.Close()
	info, err := f.Stat()
	switch {
	case err != nil:
		v.bad(ImagePath, shown, "cannot be read: %v", err)
		return ""
	case info.IsDir():
		v.bad(ImagePath, shown, "is a directory, not an image file")
		return ""
	case info.Size() == 0:
		v.bad(ImagePath, shown, "is empty")
		return ""
	case info.Size() > maxImageBytes:
		v.bad(ImagePath, shown, "is %d bytes; the lab image must be at most %d bytes", info.Size(), maxImageBytes)
		return ""
	}
	head := make([]byte, 512)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		v.bad(ImagePath, shown, "cannot be read: %v", err)
		return ""
	}
	ct := http.DetectContentType(head[:n])
	if !imageTypes[ct] {
		v.bad(ImagePath, shown, "is %s, not an image (PNG, JPEG, GIF, WebP or BMP)", ct)
		return ""
	}
	return ct
}

func baseName(path string) string { return filepath.Base(path) }
