"""Writes the small colour images the WindowData example trains on (run from this folder).

Each image is a smooth background with one filled rectangle, the "object" its window file
marks as foreground; deterministic, so the committed PNGs are what this script writes.
"""
import cv2
import numpy as np

SIZES = [(40, 48), (36, 52), (44, 44)]  # (height, width)
BOXES = [(8, 6, 27, 25), (20, 10, 45, 29), (4, 14, 23, 39)]  # x1 y1 x2 y2
COLOURS = [(40, 200, 90), (210, 60, 50), (70, 80, 220)]  # BGR

for i, ((h, w), (x1, y1, x2, y2), colour) in enumerate(zip(SIZES, BOXES, COLOURS)):
    yy, xx = np.mgrid[0:h, 0:w]
    image = np.stack([(xx * 5) % 256, (yy * 6) % 256, ((xx + yy) * 3) % 256], axis=2).astype(np.uint8)
    image[y1:y2 + 1, x1:x2 + 1] = colour
    cv2.imwrite(f"images/scene{i}.png", image)
