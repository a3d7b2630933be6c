"""Records OpenCV 4.6's results for the pixel operations SSD's data path (the fork's
im_transforms.cpp) is made of: BGR<->HSV, convertTo with a scale and a shift (addWeighted with
a zero second weight rounds the same way), INTER_NEAREST resizes and copyMakeBorder.
Run with Debian's python3-opencv from this directory: /usr/bin/python3 make_fixtures.py
Writes opencv_ops.txt: one case per line, 'name height width channels' then the bytes (HWC)."""
import cv2
import numpy as np

rng = np.random.RandomState(29)
img = rng.randint(0, 256, size=(12, 16, 3)).astype(np.uint8)
img[0, :4] = [[0, 0, 0], [255, 255, 255], [77, 77, 77], [0, 0, 255]]  # grays and a pure red
img[1, :3] = [[255, 0, 0], [0, 255, 0], [10, 200, 10]]


def convert(plane, alpha, beta):
    return cv2.addWeighted(plane, alpha, plane, 0.0, beta)


def with_hsv(plane_index, alpha, beta):
    planes = list(cv2.split(cv2.cvtColor(img, cv2.COLOR_BGR2HSV)))
    planes[plane_index] = convert(planes[plane_index], alpha, beta)
    return cv2.cvtColor(cv2.merge(planes), cv2.COLOR_HSV2BGR)


hsv = cv2.cvtColor(img, cv2.COLOR_BGR2HSV)
cases = [
    ("input", img),
    ("hsv", hsv),
    ("hsv_to_bgr", cv2.cvtColor(hsv, cv2.COLOR_HSV2BGR)),
    ("saturation_1.3", with_hsv(1, 1.3, 0.0)),
    ("hue_plus_12.4", with_hsv(0, 1.0, 12.4)),
    ("hue_minus_17.6", with_hsv(0, 1.0, -17.6)),
    ("brightness_minus_20.5", convert(img, 1.0, -20.5)),
    ("contrast_0.7", convert(img, 0.7, 0.0)),
    ("nearest_7x9", cv2.resize(img, (9, 7), interpolation=cv2.INTER_NEAREST)),
    ("nearest_20x30", cv2.resize(img, (30, 20), interpolation=cv2.INTER_NEAREST)),
    ("reflect101_rows_3_4", cv2.copyMakeBorder(img, 3, 4, 0, 0, cv2.BORDER_REFLECT101)),
    ("replicate_cols_2_5", cv2.copyMakeBorder(img, 0, 0, 2, 5, cv2.BORDER_REPLICATE)),
    ("constant_cols_1_2", cv2.copyMakeBorder(img, 0, 0, 1, 2, cv2.BORDER_CONSTANT, value=(7, 300, 20.5))),
]
with open("opencv_ops.txt", "w") as f:
    for name, m in cases:
        f.write("%s %d %d %d %s\n" % (name, m.shape[0], m.shape[1], m.shape[2],
                                      " ".join(str(int(x)) for x in m.reshape(-1))))
