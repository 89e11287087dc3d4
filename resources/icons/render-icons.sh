#!/usr/bin/env bash
# Regenerates the committed raster icons from tickwire.svg: hicolor PNGs for Linux, tickwire.ico
# for Windows, tickwire.icns for macOS. Run after editing the SVG and commit the results.
# Needs (Debian): librsvg2-bin icoutils icnsutils.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

for size in 16 24 32 48 64 128 256 512; do
    mkdir -p "hicolor/${size}x${size}"
    rsvg-convert -w "$size" -h "$size" tickwire.svg -o "hicolor/${size}x${size}/tickwire.png"
done
icotool -c -o tickwire.ico hicolor/{16x16,24x24,32x32,48x48,64x64}/tickwire.png \
    -r hicolor/256x256/tickwire.png
# png2icns knows the classic icns sizes only (16, 32, 48, 128, 256, 512).
png2icns tickwire.icns hicolor/{16x16,32x32,48x48,128x128,256x256,512x512}/tickwire.png >/dev/null
