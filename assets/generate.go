//go:build ignore

// generate draws the lab's sample image: a small key on a blue tile. It is
// drawn by code so the repository ships a real image with a known origin.
// Regenerate with: go run ./assets/generate.go
package main

import (
	"image"
	"image/color"
	"image/png"
	"log"
	"os"
)

func main() {
	const w, h = 128, 96
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	bg := color.RGBA{0x23, 0x2f, 0x3e, 0xff}  // dark slate
	key := color.RGBA{0xff, 0x99, 0x00, 0xff} // orange
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, bg)
		}
	}
	// Key bow: a ring centred at (36, 48).
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			dx, dy := x-36, y-48
			d := dx*dx + dy*dy
			if d <= 20*20 && d >= 9*9 {
				img.Set(x, y, key)
			}
		}
	}
	// Shaft and two teeth.
	fill := func(x0, y0, x1, y1 int) {
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				img.Set(x, y, key)
			}
		}
	}
	fill(54, 43, 112, 53)
	fill(92, 53, 100, 66)
	fill(104, 53, 112, 62)
	f, err := os.Create("assets/lab-image.png")
	if err != nil {
		log.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}
