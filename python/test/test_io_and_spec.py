"""caffe.io conversions and Transformer, NetSpec round trips through the engine, draw, Classifier."""
import os
import tempfile
import unittest

import numpy as np
from google.protobuf import text_format

import caffe
import caffe.draw
from caffe import layers as L, params as P
from caffe.proto import caffe_pb2
from fixtures import ROOT, write_temp


class BlobAndDatumTest(unittest.TestCase):
    def test_blobproto_round_trip_with_diff(self):
        values = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
        blob = caffe.io.array_to_blobproto(values, diff=-values)
        np.testing.assert_array_equal(caffe.io.blobproto_to_array(blob), values)
        np.testing.assert_array_equal(caffe.io.blobproto_to_array(blob, return_diff=True), -values)

    def test_blobprotovector_string_round_trip(self):
        arrays = [np.ones((2, 2)), np.arange(3.0)]
        back = caffe.io.blobprotovector_str_to_arraylist(caffe.io.arraylist_to_blobprotovector_str(arrays))
        for mine, theirs in zip(back, arrays):
            np.testing.assert_array_equal(mine, theirs)

    def test_datum_round_trips_for_bytes_and_floats(self):
        pixels = np.arange(12, dtype=np.uint8).reshape(3, 2, 2)
        datum = caffe.io.array_to_datum(pixels, label=4)
        self.assertEqual((datum.channels, datum.height, datum.width, datum.label), (3, 2, 2, 4))
        np.testing.assert_array_equal(caffe.io.datum_to_array(datum), pixels)
        floats = pixels.astype(float) / 7
        np.testing.assert_allclose(caffe.io.datum_to_array(caffe.io.array_to_datum(floats)), floats)
        self.assertRaises(ValueError, caffe.io.array_to_datum, np.ones((2, 2)))


class TransformerTest(unittest.TestCase):
    def transformer(self):
        t = caffe.io.Transformer({'data': (1, 3, 4, 5)})
        t.set_transpose('data', (2, 0, 1))
        t.set_channel_swap('data', (2, 1, 0))
        t.set_raw_scale('data', 255)
        t.set_mean('data', np.array([10.0, 20.0, 30.0]))
        t.set_input_scale('data', 0.5)
        return t

    def test_preprocess_steps_in_caffe_order(self):
        image = np.random.RandomState(0).rand(4, 5, 3).astype(np.float32)
        out = self.transformer().preprocess('data', image)
        expected = (image.transpose(2, 0, 1)[::-1] * 255 - np.array([10, 20, 30])[:, None, None]) * 0.5
        np.testing.assert_allclose(out, expected, rtol=1e-5)

    def test_deprocess_undoes_preprocess(self):
        image = np.random.RandomState(1).rand(4, 5, 3).astype(np.float32)
        t = self.transformer()
        np.testing.assert_allclose(t.deprocess('data', t.preprocess('data', image)), image, atol=1e-5)

    def test_preprocess_resizes_to_the_input(self):
        image = np.random.RandomState(2).rand(8, 10, 3).astype(np.float32)
        self.assertEqual(self.transformer().preprocess('data', image).shape, (3, 4, 5))

    def test_oversample_gives_corners_center_and_mirrors(self):
        image = np.arange(36, dtype=np.float32).reshape(6, 6, 1)
        crops = caffe.io.oversample([image], (4, 4))
        self.assertEqual(crops.shape, (10, 4, 4, 1))
        np.testing.assert_array_equal(crops[0], image[:4, :4])
        np.testing.assert_array_equal(crops[3], image[2:, 2:])
        np.testing.assert_array_equal(crops[4], image[1:5, 1:5])
        np.testing.assert_array_equal(crops[5], image[:4, :4][:, ::-1])


class NetSpecTest(unittest.TestCase):
    def spec(self):
        n = caffe.NetSpec()
        n.data, n.label = L.DummyData(shape=[dict(dim=[4, 1, 8, 8]), dict(dim=[4])], ntop=2)
        n.conv = L.Convolution(n.data, kernel_size=3, num_output=2, weight_filler=dict(type='xavier'),
                               param=[dict(lr_mult=1), dict(lr_mult=2)])
        n.pool = L.Pooling(n.conv, kernel_size=2, stride=2, pool=P.Pooling.AVE)
        n.relu = L.ReLU(n.pool, in_place=True)
        n.ip = L.InnerProduct(n.relu, num_output=3)
        n.loss = L.SoftmaxWithLoss(n.ip, n.label, loss_weight=2)
        return n.to_proto()

    def test_proto_holds_the_schema_fields(self):
        proto = self.spec()
        conv = proto.layer[1]
        self.assertEqual((conv.name, conv.type, list(conv.bottom)), ('conv', 'Convolution', ['data']))
        self.assertEqual(list(conv.convolution_param.kernel_size), [3])
        self.assertEqual([p.lr_mult for p in conv.param], [1, 2])
        self.assertEqual(proto.layer[2].pooling_param.pool, caffe_pb2.PoolingParameter.AVE)
        self.assertEqual(list(proto.layer[3].top), ['pool'])
        self.assertEqual(list(proto.layer[5].loss_weight), [2])

    def test_text_round_trip_builds_the_same_net_in_the_engine(self):
        proto = self.spec()
        parsed = text_format.Parse(str(proto), caffe_pb2.NetParameter())
        self.assertEqual(parsed, proto)
        name = write_temp(str(proto))
        net = caffe.Net(name, caffe.TRAIN)
        os.remove(name)
        self.assertEqual(list(net._layer_names), [l.name for l in proto.layer])
        self.assertEqual(net.blobs['ip'].shape, (4, 3))
        self.assertIn('loss', net.forward())

    def test_a_netparameter_opens_directly(self):
        net = caffe.Net(self.spec(), caffe.TRAIN)
        self.assertEqual(net.blobs['pool'].shape, (4, 2, 3, 3))

    def test_draw_writes_a_png(self):
        out = os.path.join(tempfile.mkdtemp(), 'net.png')
        caffe.draw.draw_net_to_file(self.spec(), out)
        with open(out, 'rb') as f:
            self.assertEqual(f.read(8), b'\x89PNG\r\n\x1a\n')
        os.remove(out)


class ClassifierTest(unittest.TestCase):
    def test_predict_gives_probabilities_per_image(self):
        deploy = os.path.join(ROOT, 'models', 'lenet', 'lenet_deploy.prototxt')
        classifier = caffe.Classifier(deploy, None, raw_scale=255, image_dims=(32, 32))
        images = [np.random.RandomState(i).rand(32, 32, 1).astype(np.float32) for i in range(3)]
        for oversample in (True, False):
            scores = classifier.predict(images, oversample=oversample)
            self.assertEqual(scores.shape, (3, 10))
            np.testing.assert_allclose(scores.sum(1), 1, rtol=1e-4)


if __name__ == '__main__':
    unittest.main()
