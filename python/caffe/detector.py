"""caffe.Detector: a deploy net that scores windows of images (R-CNN style)."""
import numpy as np

from . import io
from ._net import Net
from .classifier import input_transformer
from .proto.caffe_pb2 import TEST


class Detector(Net):
    """Detector(model_file, pretrained_file, mean=None, input_scale=None, raw_scale=None,
    channel_swap=None, context_pad=None): each window is cropped (with context_pad pixels of
    context at the input's size, as R-CNN does), warped to the input's size by a
    caffe.io.Transformer set up from the other arguments, and scored."""

    def __init__(self, model_file, pretrained_file, mean=None, input_scale=None, raw_scale=None,
                 channel_swap=None, context_pad=None):
        Net.__init__(self, model_file, pretrained_file, TEST)
        self.transformer = input_transformer(self, mean, input_scale, raw_scale, channel_swap)
        self.configure_crop(context_pad)

    def detect_windows(self, images_windows):
        """[(image filename, [window (ymin, xmin, ymax, xmax), ...]), ...] -> one dict per
        window, in order: {'window', 'prediction' (its row of the first output), 'filename'}."""
        name = self.inputs[0]
        crops, where = [], []
        for filename, windows in images_windows:
            image = io.load_image(filename).astype(np.float32)
            for window in windows:
                crops.append(self.crop(image, window))
                where.append((filename, window))
        batch = np.asarray([self.transformer.preprocess(name, c) for c in crops], dtype=np.float32)
        scores = self.forward_all(**{name: batch})[self.outputs[0]]
        return [{'window': window, 'prediction': scores[i], 'filename': filename}
                for i, (filename, window) in enumerate(where)]

    def crop(self, im, window):
        """The window (ymin, xmin, ymax, xmax, end excluded) of im; with context_pad, a box grown
        so that context_pad pixels of the input are context, placed in an input-sized crop whose
        parts outside the image are the mean (Caffe's arithmetic, from R-CNN)."""
        ymin, xmin, ymax, xmax = (int(v) for v in window)
        if not self.context_pad:
            return im[ymin:ymax, xmin:xmax]
        size = self.crop_dims[1]  # square inputs, as in Caffe
        scale = size / (1.0 * size - 2 * self.context_pad)
        half_h, half_w = (ymax - ymin + 1) / 2.0, (xmax - xmin + 1) / 2.0
        center = np.array((ymin + half_h, xmin + half_w))
        box = np.round(np.tile(center, 2) + scale * np.array((-half_h, -half_w, half_h, half_w)))
        scale_h = size / (box[2] - box[0] + 1)
        scale_w = size / (box[3] - box[1] + 1)
        pad_y = int(round(max(0, -box[0]) * scale_h))  # rows of the crop above the image
        pad_x = int(round(max(0, -box[1]) * scale_w))
        im_h, im_w = im.shape[:2]
        box = np.clip(box, 0.0, [im_h, im_w, im_h, im_w])
        crop_h = min(int(round((box[2] - box[0] + 1) * scale_h)), size - pad_y)
        crop_w = min(int(round((box[3] - box[1] + 1) * scale_w)), size - pad_x)
        context = im[int(box[0]):int(box[2]), int(box[1]):int(box[3])]
        out = np.ones(self.crop_dims, dtype=np.float32) * self.crop_mean
        out[pad_y:pad_y + crop_h, pad_x:pad_x + crop_w] = io.resize_image(context, (crop_h, crop_w))
        return out

    def configure_crop(self, context_pad):
        """The crop's size in image order (H x W x K), and for context padding the mean in
        image space (before channel swap and raw scale), to fill what lies outside the image."""
        name = self.inputs[0]
        to_image = np.argsort(self.transformer.transpose[name])
        self.crop_dims = np.array(self.blobs[name].shape[1:])[to_image]
        self.context_pad = context_pad
        if not context_pad:
            return
        mean = self.transformer.mean.get(name)
        if mean is None:
            self.crop_mean = np.zeros(self.crop_dims, dtype=np.float32)
            return
        crop_mean = mean.copy().transpose(to_image)
        swap = self.transformer.channel_swap.get(name)
        if swap is not None:
            crop_mean = crop_mean[:, :, np.argsort(swap)]
        raw_scale = self.transformer.raw_scale.get(name)
        if raw_scale is not None:
            crop_mean = crop_mean / raw_scale
        self.crop_mean = crop_mean
