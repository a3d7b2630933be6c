"""caffe.io: blobs and datums to and from numpy, image loading and resizing, and the Transformer
that turns images (H x W x K, RGB in [0, 1]) into net inputs (K x H x W) and back."""
import numpy as np

from .proto import caffe_pb2


# ---- BlobProto and Datum ------------------------------------------------------

def blobproto_to_array(blob, return_diff=False):
    """The values (or diffs) of a BlobProto shaped by its legacy num/channels/height/width when
    any of them is set, else by its shape; ValueError when the count does not fit."""
    values = np.array(blob.diff if return_diff else blob.data)
    legacy = any(blob.HasField(f) for f in ('num', 'channels', 'height', 'width'))
    shape = (blob.num, blob.channels, blob.height, blob.width) if legacy else tuple(blob.shape.dim)
    return values.reshape(shape)


def array_to_blobproto(arr, diff=None):
    """A BlobProto with the array's shape and values (and diff, of the same shape)."""
    blob = caffe_pb2.BlobProto()
    blob.shape.dim.extend(arr.shape)
    blob.data.extend(np.asarray(arr, dtype=float).flat)
    if diff is not None:
        blob.diff.extend(np.asarray(diff, dtype=float).flat)
    return blob


def arraylist_to_blobprotovector_str(arraylist):
    """A serialized BlobProtoVector of the arrays."""
    vector = caffe_pb2.BlobProtoVector()
    vector.blobs.extend(array_to_blobproto(arr) for arr in arraylist)
    return vector.SerializeToString()


def blobprotovector_str_to_arraylist(text):
    """The arrays of a serialized BlobProtoVector."""
    vector = caffe_pb2.BlobProtoVector()
    vector.ParseFromString(text)
    return [blobproto_to_array(blob) for blob in vector.blobs]


def array_to_datum(arr, label=None):
    """A Datum of a C x H x W array: bytes for uint8, float_data otherwise; label only when given."""
    if arr.ndim != 3:
        raise ValueError('Incorrect array shape.')
    datum = caffe_pb2.Datum()
    datum.channels, datum.height, datum.width = arr.shape
    if arr.dtype == np.uint8:
        datum.data = arr.tobytes()
    else:
        datum.float_data.extend(arr.astype(float).flat)
    if label is not None:
        datum.label = label
    return datum


def datum_to_array(datum):
    """The C x H x W array of a Datum (uint8 from data, float from float_data); the label is not returned."""
    shape = (datum.channels, datum.height, datum.width)
    if len(datum.data):
        return np.frombuffer(datum.data, dtype=np.uint8).reshape(shape)
    return np.array(datum.float_data).astype(float).reshape(shape)


# ---- images -----------------------------------------------------------------------

def load_image(filename, color=True):
    """An image as H x W x 3 (or x 1 with color=False) float32 in [0, 1], RGB, through scikit-image."""
    import skimage.io
    from skimage import img_as_float
    img = img_as_float(skimage.io.imread(filename, as_gray=not color)).astype(np.float32)
    if img.ndim == 2:
        img = img[:, :, np.newaxis]
        if color:
            img = np.tile(img, (1, 1, 3))
    elif img.shape[2] == 4:
        img = img[:, :, :3]
    return img


def resize_image(im, new_dims, interp_order=1):
    """Resizes H x W x K to new_dims (height, width): 1 or 3 channels through scikit-image
    (values kept in their range), any other count through scipy's zoom."""
    new_dims = tuple(int(d) for d in new_dims)
    if im.shape[-1] in (1, 3):
        low, high = im.min(), im.max()
        if high <= low:
            return np.full(new_dims + (im.shape[-1],), low, dtype=np.float32)
        from skimage.transform import resize
        unit = (im - low) / (high - low)
        resized = resize(unit, new_dims, order=interp_order, mode='constant') * (high - low) + low
    else:
        from scipy.ndimage import zoom
        factors = tuple(np.array(new_dims, dtype=float) / np.array(im.shape[:2])) + (1,)
        resized = zoom(im, factors, order=interp_order)
    return resized.astype(np.float32)


def oversample(images, crop_dims):
    """Caffe's 10 crops of each H x W x K image: the four corners and the center, then the
    same five mirrored left-right. Returns (10 * N) x crop_h x crop_w x K."""
    crop_h, crop_w = (int(d) for d in crop_dims)
    height, width = images[0].shape[:2]
    corners = [(0, 0), (0, width - crop_w), (height - crop_h, 0), (height - crop_h, width - crop_w)]
    center = (int(height / 2.0 - crop_h / 2.0), int(width / 2.0 - crop_w / 2.0))
    origins = corners + [center]
    crops = np.empty((10 * len(images), crop_h, crop_w, images[0].shape[-1]), dtype=np.float32)
    for i, image in enumerate(images):
        five = [image[y:y + crop_h, x:x + crop_w, :] for y, x in origins]
        crops[10 * i:10 * i + 5] = five
        crops[10 * i + 5:10 * i + 10] = [c[:, ::-1, :] for c in five]
    return crops


# ---- Transformer ------------------------------------------------------------------

class Transformer(object):
    """Prepares images for the inputs of a net, given as {input name: blob shape}.

    preprocess(name, image): resize to the input's size, transpose (e.g. (2, 0, 1) for HWC to
    CHW), swap channels (e.g. RGB to BGR), multiply by raw_scale, subtract the mean, multiply by
    input_scale. deprocess undoes these steps in reverse order (except the resize).
    """

    def __init__(self, inputs):
        self.inputs = dict(inputs)
        self.transpose = {}
        self.channel_swap = {}
        self.raw_scale = {}
        self.mean = {}
        self.input_scale = {}

    def _check(self, name):
        if name not in self.inputs:
            raise Exception('{} is not one of the net inputs: {}'.format(name, self.inputs))

    def preprocess(self, in_, data):
        self._check(in_)
        image = data.astype(np.float32, copy=False)
        size = tuple(self.inputs[in_][2:])
        if image.shape[:2] != size:
            image = resize_image(image, size)
        if in_ in self.transpose:
            image = image.transpose(self.transpose[in_])
        if in_ in self.channel_swap:
            image = image[self.channel_swap[in_], :, :]
        if in_ in self.raw_scale:
            image = image * self.raw_scale[in_]
        if in_ in self.mean:
            image = image - self.mean[in_]
        if in_ in self.input_scale:
            image = image * self.input_scale[in_]
        return image

    def deprocess(self, in_, data):
        self._check(in_)
        image = data.copy().squeeze()
        if in_ in self.input_scale:
            image = image / self.input_scale[in_]
        if in_ in self.mean:
            image = image + self.mean[in_]
        if in_ in self.raw_scale:
            image = image / self.raw_scale[in_]
        if in_ in self.channel_swap:
            image = image[np.argsort(self.channel_swap[in_]), :, :]
        if in_ in self.transpose:
            image = image.transpose(np.argsort(self.transpose[in_]))
        return image

    def set_transpose(self, in_, order):
        """The axis order from the image's to the input's, e.g. (2, 0, 1)."""
        self._check(in_)
        if len(order) != len(self.inputs[in_]) - 1:
            raise Exception('Transpose order needs to have the same number of dimensions as the input.')
        self.transpose[in_] = order

    def set_channel_swap(self, in_, order):
        """The channel order after transposing, e.g. (2, 1, 0) for RGB to BGR."""
        self._check(in_)
        if len(order) != self.inputs[in_][1]:
            raise Exception('Channel swap needs to have the same number of dimensions as the input channels.')
        self.channel_swap[in_] = order

    def set_raw_scale(self, in_, scale):
        """Multiplies the image (in [0, 1] from load_image) first, e.g. 255 for nets trained on [0, 255]."""
        self._check(in_)
        self.raw_scale[in_] = scale

    def set_mean(self, in_, mean):
        """A mean per channel (K values) or per pixel (K x H x W, resized to the input when it differs)."""
        self._check(in_)
        mean = np.asarray(mean)
        channels_and_size = tuple(self.inputs[in_][1:])
        if mean.ndim == 1:
            if mean.shape[0] != channels_and_size[0]:
                raise ValueError('Mean channels incompatible with input.')
            mean = mean[:, np.newaxis, np.newaxis]
        else:
            if mean.ndim == 2:
                mean = mean[np.newaxis]
            if mean.ndim != 3:
                raise ValueError('Mean shape invalid')
            if mean.shape != channels_and_size:
                low, high = mean.min(), mean.max()
                unit = (mean - low) / (high - low) if high > low else mean - low
                resized = resize_image(unit.transpose((1, 2, 0)), channels_and_size[1:])
                mean = resized.transpose((2, 0, 1)) * (high - low) + low
        self.mean[in_] = mean

    def set_input_scale(self, in_, scale):
        """Multiplies the image last, after the mean (e.g. 0.017 for nets trained on scaled inputs)."""
        self._check(in_)
        self.input_scale[in_] = scale
