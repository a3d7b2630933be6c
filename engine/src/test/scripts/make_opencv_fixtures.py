#!/usr/bin/env python3
"""Writes the image fixtures of src/test/resources/opencv/: small source images (PNG, baseline and
progressive JPEG, gray and colour, odd and 1-pixel sizes) and what OpenCV makes of them --
cv2.imread with IMREAD_COLOR / IMREAD_GRAYSCALE (as Caffe's ReadImageToCVMat calls it), then
cv2.resize(img, (w, h)) with the default INTER_LINEAR, as Caffe's ImageData layer and
convert_imageset do.

Needs Debian's python3-opencv (OpenCV 4.6, the version Caffe is built against) and
libjpeg-turbo-progs (cjpeg, for the chroma samplings OpenCV cannot write).
Run from the project root with Debian's Python:  /usr/bin/python3 src/test/scripts/make_opencv_fixtures.py

cases.txt, one case a line:  SOURCE COLOR NEW_H NEW_W REFERENCE H W C
  COLOR 1 = IMREAD_COLOR, 0 = IMREAD_GRAYSCALE; NEW_H NEW_W 0 0 = decode only;
  REFERENCE = raw bytes of the result, rows of H*W pixels with C interleaved channels (BGR).
"""
import os
import struct
import subprocess
import sys

import cv2
import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "opencv")


def picture(rng, h, w, channels):
    """Smooth gradients plus noise: every rounding path of the resize and the JPEG codec is used."""
    y, x = np.mgrid[0:h, 0:w]
    planes = []
    for c in range(channels):
        base = 128 + 100 * np.sin(x * (0.3 + 0.2 * c) + y * (0.2 + 0.1 * c))
        planes.append(base + rng.randint(-40, 41, size=(h, w)))
    img = np.clip(np.stack(planes, axis=-1), 0, 255).astype(np.uint8)
    return img[:, :, 0] if channels == 1 else img


def sources(rng):
    jpeg = [cv2.IMWRITE_JPEG_QUALITY, 90]
    progressive = jpeg + [cv2.IMWRITE_JPEG_PROGRESSIVE, 1]
    s = {}
    s["colour_17x23.png"] = (picture(rng, 17, 23, 3), [])
    s["gray_13x9.png"] = (picture(rng, 13, 9, 1), [])
    s["colour_32x32.png"] = (picture(rng, 32, 32, 3), [])
    s["colour_1x1.png"] = (picture(rng, 1, 1, 3), [])
    s["gray_1x7.png"] = (picture(rng, 1, 7, 1), [])
    s["colour_5x1.png"] = (picture(rng, 5, 1, 3), [])
    s["baseline_31x27.jpg"] = (picture(rng, 31, 27, 3), jpeg)
    s["baseline_16x16.jpg"] = (picture(rng, 16, 16, 3), jpeg)
    s["progressive_33x19.jpg"] = (picture(rng, 33, 19, 3), progressive)
    s["gray_15x21.jpg"] = (picture(rng, 15, 21, 1), jpeg)
    s["gray_progressive_9x14.jpg"] = (picture(rng, 9, 14, 1), progressive)
    s["baseline_1x1.jpg"] = (picture(rng, 1, 1, 3), jpeg)
    # OpenCV 4.6 writes 4:2:0 only; other chroma samplings come from libjpeg-turbo's cjpeg.
    for sample in ("1x1", "2x1", "1x2"):
        s["sampling_%s_21x18.jpg" % sample] = (picture(rng, 21, 18, 3), ["-sample", sample])
    s["sampling_1x2_progressive_10x13.jpg"] = (picture(rng, 10, 13, 3), ["-sample", "1x2", "-progressive"])
    # imread and imdecode turn the picture as its EXIF orientation (1-8) says.
    rotated = picture(rng, 7, 5, 3)
    for orientation in range(1, 9):
        s["exif_%d_7x5.jpg" % orientation] = (rotated, [("exif", orientation)])
    return s


def with_orientation(jpeg, orientation):
    """The JPEG with a big-endian EXIF block holding only the orientation tag, after its JFIF header."""
    tiff = b"MM\x00\x2a\x00\x00\x00\x08\x00\x01" + struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0) + b"\x00" * 4
    app1 = b"Exif\x00\x00" + tiff
    assert jpeg[2:4] == b"\xff\xe0"
    end = 4 + struct.unpack(">H", jpeg[4:6])[0]
    return jpeg[:end] + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + jpeg[end:]


def write(path, img, params):
    """cv2.imwrite, cjpeg (Debian's libjpeg-turbo-progs) when params are cjpeg flags, or an EXIF-tagged JPEG."""
    if params and isinstance(params[0], tuple):
        ok, jpeg = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 90])
        assert ok, path
        with open(path, "wb") as f:
            f.write(with_orientation(jpeg.tobytes(), params[0][1]))
        return
    if not params or not isinstance(params[0], str):
        assert cv2.imwrite(path, img, params), path
        return
    ppm = path + ".ppm"
    assert cv2.imwrite(ppm, img)
    subprocess.run(["cjpeg", "-quality", "90"] + params + ["-outfile", path, ppm], check=True)
    os.remove(ppm)


# (new_h, new_w) per source; (0, 0) = decode only.
SIZES = [(0, 0), (40, 37), (7, 5), (1, 1), (11, 29), (3, 60)]
EXTRA = {"colour_32x32.png": [(16, 16), (64, 64), (16, 32)], "colour_1x1.png": [(5, 4)],
         "gray_1x7.png": [(4, 3)], "colour_5x1.png": [(2, 6)], "baseline_16x16.jpg": [(8, 8)]}
ORIENTED_SIZES = [(0, 0), (9, 4)]


def main():
    os.makedirs(os.path.join(OUT, "ref"), exist_ok=True)
    rng = np.random.RandomState(1701)
    lines = []
    for name, (img, params) in sorted(sources(rng).items()):
        path = os.path.join(OUT, name)
        write(path, img, params)
        for color in (1, 0):
            decoded = cv2.imread(path, cv2.IMREAD_COLOR if color else cv2.IMREAD_GRAYSCALE)
            for h, w in (ORIENTED_SIZES if name.startswith("exif") else SIZES + EXTRA.get(name, [])):
                out = decoded if h == 0 else cv2.resize(decoded, (w, h))
                ref = "%s.%s.%dx%d.raw" % (name.rsplit(".", 1)[0], "bgr" if color else "gray", h, w)
                out = np.ascontiguousarray(out)
                with open(os.path.join(OUT, "ref", ref), "wb") as f:
                    f.write(out.tobytes())
                c = 1 if out.ndim == 2 else out.shape[2]
                lines.append("%s %d %d %d ref/%s %d %d %d" % (name, color, h, w, ref, out.shape[0], out.shape[1], c))
    with open(os.path.join(OUT, "cases.txt"), "w") as f:
        f.write("# written by src/test/scripts/make_opencv_fixtures.py with OpenCV %s\n" % cv2.__version__)
        f.write("\n".join(lines) + "\n")
    print("%d cases in %s" % (len(lines), OUT), file=sys.stderr)


if __name__ == "__main__":
    main()
