"""caffe.Detector on a tiny net (Input, then Power: 2 x input) and a PNG written here: each
window's prediction is twice the preprocessed crop, so it is checked against the image itself."""
import os
import shutil
import tempfile
import unittest

import numpy as np
import skimage.io

import caffe
from fixtures import write_temp

DOUBLE_NET = """name: 'double'
layer { name: 'data' type: 'Input' top: 'data' input_param { shape { dim: 2 dim: 3 dim: 4 dim: 4 } } }
layer { name: 'twice' type: 'Power' bottom: 'data' top: 'twice' power_param { scale: 2 } }
"""
MEAN = np.array([10, 20, 30], dtype=np.float32)  # per input channel (BGR after the swap)
SWAP = (2, 1, 0)


class DetectorTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        pixels = np.random.RandomState(3).randint(0, 256, (12, 16, 3)).astype(np.uint8)
        self.image_file = os.path.join(self.dir, 'image.png')
        skimage.io.imsave(self.image_file, pixels, check_contrast=False)
        self.image = pixels.astype(np.float32) / 255  # what caffe.io.load_image gives
        self.model = write_temp(DOUBLE_NET, directory=self.dir)
        self.weights = os.path.join(self.dir, 'double.caffemodel')
        caffe.Net(self.model, caffe.TEST).save(self.weights)

    def tearDown(self):
        shutil.rmtree(self.dir)

    def detector(self, context_pad=None):
        return caffe.Detector(self.model, self.weights, mean=MEAN, raw_scale=255, channel_swap=SWAP,
                              context_pad=context_pad)

    @staticmethod
    def expected(crop):
        """What the net gives for an H x W x RGB crop of the input's size: 2 * (BGR * 255 - mean)."""
        return 2 * (crop.transpose(2, 0, 1)[list(SWAP)] * 255 - MEAN[:, None, None])

    def test_windows_are_cropped_warped_and_scored_in_order(self):
        windows = [(0, 0, 4, 4), (2, 3, 6, 7), (8, 12, 12, 16), (0, 0, 8, 8)]  # 4 windows in batches of 2
        detections = self.detector().detect_windows([(self.image_file, windows[:2]), (self.image_file, windows[2:])])
        self.assertEqual([d['window'] for d in detections], windows)
        self.assertEqual([d['filename'] for d in detections], [self.image_file] * 4)
        for (ymin, xmin, ymax, xmax), d in zip(windows[:3], detections):
            self.assertEqual(d['prediction'].shape, (3, 4, 4))
            np.testing.assert_allclose(d['prediction'], self.expected(self.image[ymin:ymax, xmin:xmax]),
                                       rtol=1e-5, atol=1e-3)
        warped = caffe.io.resize_image(self.image[0:8, 0:8], (4, 4))
        np.testing.assert_allclose(detections[3]['prediction'], self.expected(warped), rtol=1e-5, atol=1e-3)

    def test_context_padding_fills_what_lies_outside_the_image_with_the_mean(self):
        detector = self.detector(context_pad=1)
        # window (0, 0, 1, 1) grows to rows/columns -1..3 of the image: one row and one column
        # of the 4 x 4 crop lie outside, the other 3 x 3 are the image's first 3 x 3 pixels
        crop = detector.crop(self.image, (0, 0, 1, 1))
        np.testing.assert_allclose(crop[1:, 1:], self.image[:3, :3], atol=1e-6)
        outside = MEAN[list(SWAP)] / 255  # the mean in the image's RGB order and scale
        np.testing.assert_allclose(crop[0], np.tile(outside, (4, 1)), atol=1e-6)
        np.testing.assert_allclose(crop[:, 0], np.tile(outside, (4, 1)), atol=1e-6)
        prediction = detector.detect_windows([(self.image_file, [(0, 0, 1, 1)])])[0]['prediction']
        np.testing.assert_allclose(prediction[:, 0, :], 0, atol=1e-4)
        np.testing.assert_allclose(prediction[:, :, 0], 0, atol=1e-4)
        np.testing.assert_allclose(prediction, self.expected(crop), rtol=1e-5, atol=1e-3)


if __name__ == '__main__':
    unittest.main()
