"""Blob views: numpy arrays over the engine's memory, checked against the Java API itself."""
import gc
import os
import unittest

import numpy as np
from jpype import JClass

import caffe
from fixtures import IP_NET, write_temp


class BlobViewTest(unittest.TestCase):
    def setUp(self):
        name = write_temp(IP_NET)
        self.net = caffe.Net(name, caffe.TEST)
        os.remove(name)

    def java_values(self, blob_name):
        return np.array(self.net._network.blob(blob_name), dtype=np.float32)

    def test_writes_through_numpy_reach_the_engine(self):
        self.net.blobs['data'].data[...] = np.arange(6).reshape(2, 3)
        np.testing.assert_array_equal(self.java_values('data'), np.arange(6))

    def test_the_engine_writes_into_the_same_view(self):
        data = self.net.blobs['data'].data
        ip = self.net.blobs['ip'].data
        data[...] = 1
        self.net.forward()
        weights, bias = (p.data for p in self.net.params['ip'])
        np.testing.assert_allclose(ip, np.ones((2, 3)).dot(weights.T) + bias, rtol=1e-5)
        np.testing.assert_array_equal(ip.ravel(), self.java_values('ip'))

    def test_views_are_float32_without_copies(self):
        view = self.net.blobs['data'].data
        self.assertEqual(view.dtype, np.float32)
        self.assertFalse(view.flags['OWNDATA'])
        self.assertEqual(view.__array_interface__['data'][0],
                         self.net.blobs['data'].data.__array_interface__['data'][0])

    def test_diff_is_separate_memory(self):
        blob = self.net.blobs['ip']
        blob.diff[...] = 3
        blob.data[...] = 4
        self.assertTrue((blob.diff == 3).all())

    def test_shapes_after_a_reshape(self):
        self.net.blobs['data'].reshape(5, 3)
        self.net.reshape()
        self.assertEqual(self.net.blobs['data'].data.shape, (5, 3))
        self.assertEqual(self.net.blobs['ip'].shape, (5, 4))
        self.assertEqual(self.net.blobs['ip'].num, 5)
        self.assertEqual(self.net.blobs['ip'].channels, 4)
        self.assertEqual(self.net.blobs['ip'].count, 20)
        self.net.blobs['data'].data[...] = 1
        out = self.net.forward()['ip']
        self.assertEqual(out.shape, (5, 4))

    def test_zero_axis_blob_is_a_scalar_view(self):
        blob = self.net.blobs['data']
        blob.reshape()
        self.assertEqual(blob.data.shape, ())
        blob.data[()] = 9
        self.assertEqual(float(blob.data), 9)

    def test_views_stay_valid_after_del_net_and_collections(self):
        data = self.net.blobs['data'].data
        weights = self.net.params['ip'][0].data
        data[...] = 2
        expected = weights.copy()
        del self.net
        gc.collect()
        for _ in range(3):
            JClass('java.lang.System').gc()
        junk = [np.zeros(1000, np.float32) for _ in range(100)]  # reuse freed memory, if any
        self.assertTrue(len(junk))
        self.assertTrue((data == 2).all())
        np.testing.assert_array_equal(weights, expected)


def address(view):
    return view.__array_interface__['data'][0]


class CachedViewTest(unittest.TestCase):
    """A blob's views are made once and remade only when the engine changes its memory or shape."""

    def setUp(self):
        name = write_temp(IP_NET)
        self.net = caffe.Net(name, caffe.TEST)
        os.remove(name)

    def test_repeated_access_does_not_call_the_engine(self):
        blob = self.net.blobs['ip']
        blob.data, blob.diff
        blob._handle = None  # any call into the engine would fail now
        self.assertEqual(blob.data.shape, (2, 4))
        self.assertEqual(blob.diff.shape, (2, 4))
        self.assertEqual(blob.shape, (2, 4))

    def test_setting_shape_on_a_view_leaves_the_next_access_alone(self):
        view = self.net.blobs['ip'].data
        view.shape = (8,)
        self.assertEqual(self.net.blobs['ip'].data.shape, (2, 4))

    def test_a_reshape_by_the_engine_gives_new_views(self):
        ip = self.net.blobs['ip']
        before = ip.data
        self.net.blobs['data'].reshape(5, 3)
        self.net.reshape()  # the engine reshapes ip; Python never touched that blob
        self.assertEqual(ip.data.shape, (5, 4))
        self.assertEqual(ip.diff.shape, (5, 4))
        self.assertNotEqual(address(ip.data), address(before))
        self.net.blobs['data'].data[...] = 1
        self.net.forward()
        np.testing.assert_array_equal(ip.data.ravel(), self.java_values('ip'))

    def test_a_reshape_within_the_memory_keeps_the_address_and_changes_the_shape(self):
        data = self.net.blobs['data']
        before = data.data
        data.reshape(3, 2)
        self.assertEqual(data.data.shape, (3, 2))
        self.assertEqual(address(data.data), address(before))
        data.reshape(3, 2)  # the same shape: the engine keeps everything
        self.assertEqual(data._seen, data._stamp.item(0))

    def test_sharing_weights_moves_the_views_to_the_other_nets_memory(self):
        name = write_temp(IP_NET)
        other = caffe.Net(name, caffe.TEST)
        os.remove(name)
        mine = self.net.params['ip'][0]
        old = mine.data
        other.params['ip'][0].data[...] = 7
        self.net.share_with(other)
        self.assertEqual(address(mine.data), address(other.params['ip'][0].data))
        self.assertTrue((mine.data == 7).all())
        self.assertFalse((old == 7).all(), 'the old view still shows the memory it was made over')

    def java_values(self, blob_name):
        return np.array(self.net._network.blob(blob_name), dtype=np.float32)


class NetSurfaceTest(unittest.TestCase):
    def test_names_inputs_outputs_and_layers(self):
        name = write_temp(IP_NET)
        net = caffe.Net(name, caffe.TEST)
        os.remove(name)
        self.assertEqual(net.inputs, ['data'])
        self.assertEqual(net.outputs, ['ip'])
        self.assertEqual(list(net._layer_names), ['data', 'ip'])
        self.assertEqual([l.type for l in net.layers], ['Input', 'InnerProduct'])
        self.assertEqual([b.shape for b in net.params['ip']], [(4, 3), (4,)])
        self.assertEqual(dict(net.bottom_names), {'data': [], 'ip': ['data']})

    def test_forward_all_pads_and_trims_batches(self):
        name = write_temp(IP_NET)
        net = caffe.Net(name, caffe.TEST)
        os.remove(name)
        inputs = np.random.RandomState(3).randn(5, 3).astype(np.float32)
        out = net.forward_all(data=inputs)['ip']
        weights, bias = (p.data for p in net.params['ip'])
        np.testing.assert_allclose(out, inputs.dot(weights.T) + bias, rtol=1e-5, atol=1e-6)


if __name__ == '__main__':
    unittest.main()
